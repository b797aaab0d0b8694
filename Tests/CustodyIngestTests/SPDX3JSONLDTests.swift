import CustodyCore
@testable import CustodyIngest
import Testing

/// SPDX 3.0 JSON-LD: shared/fixtures/sbom/spdx/appbomination.spdx-3.0.1.jsonld.json plus a
/// hand-written image SBOM with the other spellings (`@type`/`@id`, expanded IRIs, Sbom root,
/// externalIdentifier purls, verifiedUsing hashes).
@Suite("SPDX 3 JSON-LD")
struct SPDX3JSONLDTests {
    let ingestor = SPDX3JSONLDIngestor()
    static let base = "http://www.sourceauditor.com/spdxdocs/appbomination-src/e3b71037-57de-44c9-8b7f-4e8a62f45311-specv3"

    @Test func appbomination() throws {
        let batch = try SPDXKit.run(ingestor, SPDXKit.shared("appbomination.spdx-3.0.1.jsonld.json"))
        let sbom = try #require(SPDXKit.sbom(batch))
        #expect(sbom.key == "\(Self.base)/document0")
        // rootElement (and `describes`) = SPDXRef-gnrtd3 "App-BOM-ination" 1.0, no purl → sbom node.
        #expect(SPDXKit.subjects(batch).isEmpty)
        #expect(SPDXKit.containers(batch) == [sbom])
        // python: 7 software_Package − 1 root = 6 (4 maven purls + 2 without purl).
        let packages = SPDXKit.keys(batch, .package)
        #expect(packages == [
            "pkg:maven/org.hamcrest/hamcrest-core@1.3", "pkg:maven/junit/junit@4.12",
            "pkg:maven/org.apache.commons/commons-lang3@3.4", "pkg:maven/org.slf4j/slf4j-api@1.7.21",
            SPDXKit.generic("Faust Proprietary File", nil), SPDXKit.generic("Gradle", nil),
        ])
        #expect(SPDXKit.members(batch, of: sbom) == packages)
        // python: 4 dependsOn (3 Relationship + 1 LifecycleScopedRelationship); 3 are from the
        // root (no package identity); junit → hamcrest-core is the one package→package edge.
        #expect(SPDXKit.edgeKeys(batch, .dependsOn) == ["pkg:maven/junit/junit@4.12 -> pkg:maven/org.hamcrest/hamcrest-core@1.3"])
        #expect(SPDXKit.hasInfo(batch, "3 dependency relationship(s) of a subject"))
        #expect(SPDXKit.hasInfo(batch, "15 file(s) listed"))
        #expect(batch.observedAt == (try Timestamp(rfc3339: "2021-09-02T13:46:32Z")))
        let attributes = batch.nodes.first { $0.ref == sbom }?.attributes ?? [:]
        #expect(attributes["producer"] == "Source Auditor Open Source Console")
        #expect(attributes["specVersion"] == "SPDX-3.0.1")
        #expect(attributes["name"] == "SpdxDoc for App-BOM-ination")
        let junit = batch.nodes.first { $0.ref.key == "pkg:maven/junit/junit@4.12" }
        #expect(junit.flatMap(batch.location(of:))?.hasPrefix("/@graph/") == true)
    }

    static let image = """
        {"@context": "https://spdx.org/rdf/3.0.0/spdx-context.jsonld",
         "@graph": [
          {"@type": "CreationInfo", "@id": "_:ci", "specVersion": "3.0.0", "created": "2024-03-06T00:00:00Z",
           "createdBy": ["urn:agent:acme"], "createdUsing": ["urn:tool:syft"]},
          {"type": "Tool", "spdxId": "urn:tool:syft", "name": "syft-1.20.0", "creationInfo": "_:ci"},
          {"type": "SpdxDocument", "spdxId": "urn:doc:1", "rootElement": ["urn:bom:1"], "creationInfo": "_:ci"},
          {"type": "software_Sbom", "spdxId": "urn:bom:1", "rootElement": ["urn:pkg:image"], "creationInfo": "_:ci"},
          {"@type": "https://spdx.org/rdf/3.0.0/terms/Software/Package", "@id": "urn:pkg:image", "name": "ghcr.io/acme/app",
           "software_primaryPurpose": "container", "software_packageVersion": "1.2.3",
           "verifiedUsing": [{"type": "Hash", "algorithm": "sha256", "hashValue": "AB00000000000000000000000000000000000000000000000000000000000001"}]},
          {"type": "software_Package", "spdxId": "urn:pkg:a", "name": "left-pad", "software_packageVersion": "1.3.0",
           "externalIdentifier": [{"type": "ExternalIdentifier", "externalIdentifierType": "packageUrl", "identifier": "pkg:npm/left-pad@1.3.0"},
                                  {"type": "ExternalIdentifier", "externalIdentifierType": "cpe23", "identifier": "cpe:2.3:a:left-pad:left-pad:1.3.0:*:*:*:*:*:*:*"}]},
          {"type": "software_Package", "spdxId": "urn:pkg:b", "name": "openssl", "software_packageUrl": "pkg:apk/alpine/openssl@3.1.4-r0?arch=x86_64"},
          {"type": "software_File", "spdxId": "urn:file:1", "name": "/app/index.js"},
          {"type": "Relationship", "spdxId": "urn:rel:1", "from": "urn:pkg:image", "relationshipType": "contains", "to": ["urn:pkg:a", "urn:pkg:b"]},
          {"type": "Relationship", "spdxId": "urn:rel:2", "from": "urn:pkg:a", "relationshipType": "hasStaticLink", "to": "urn:pkg:b"},
          {"type": "LifecycleScopedRelationship", "spdxId": "urn:rel:3", "from": "urn:pkg:b", "relationshipType": "dependsOn",
           "to": ["https://spdx.org/rdf/3.0.0/terms/Core/NoAssertionElement"], "scope": "runtime"},
          {"type": "Relationship", "spdxId": "urn:rel:4", "from": "urn:pkg:a", "relationshipType": "hasDeclaredLicense", "to": ["urn:lic:mit"]}
         ]}
        """

    @Test func imageSBOMWithOtherSpellings() throws {
        let batch = try SPDXKit.run(ingestor, text: Self.image)
        let artifact = NodeRef(.artifact, "sha256:ab00000000000000000000000000000000000000000000000000000000000001")
        #expect(SPDXKit.sbom(batch)?.key == "urn:doc:1")
        #expect(SPDXKit.subjects(batch) == [artifact])
        #expect(SPDXKit.keys(batch, .imageRepository) == ["ghcr.io/acme/app"])
        #expect(SPDXKit.keys(batch, .package) == ["pkg:npm/left-pad@1.3.0", "pkg:apk/alpine/openssl@3.1.4-r0"])
        #expect(SPDXKit.members(batch, of: artifact) == SPDXKit.keys(batch, .package))
        #expect(SPDXKit.edgeKeys(batch, .dependsOn) == ["pkg:npm/left-pad@1.3.0 -> pkg:apk/alpine/openssl@3.1.4-r0"])
        #expect(batch.nodes.first { $0.ref.key == "pkg:npm/left-pad@1.3.0" }?.attributes["cpe"]
            == "cpe:2.3:a:left-pad:left-pad:1.3.0:*:*:*:*:*:*:*")
        #expect(SPDXKit.hasInfo(batch, "1 relationship(s) name NOASSERTION"))
        #expect(SPDXKit.hasInfo(batch, "hasDeclaredLicense ×1"))
        let attributes = batch.nodes.first { $0.ref.kind == .sbom }?.attributes ?? [:]
        #expect(attributes["producer"] == "syft-1.20.0")
        #expect(batch.observedAt == (try Timestamp(rfc3339: "2024-03-06T00:00:00Z")))
    }

    @Test func typeNormalization() {
        #expect(SPDX3Graph.normalizeType("software_Package") == "software_Package")
        #expect(SPDX3Graph.normalizeType("https://spdx.org/rdf/3.0.1/terms/Software/Package") == "software_Package")
        #expect(SPDX3Graph.normalizeType("https://spdx.org/rdf/3.0.1/terms/Core/Relationship") == "Relationship")
        #expect(SPDX3Graph.normalizeType("spdx:software_File") == "software_File")
    }

    @Test func detection() throws {
        let sample = DetectionSample(fileName: "a.json", bytes: try SPDXKit.shared("appbomination.spdx-3.0.1.jsonld.json"))
        #expect(ingestor.detect(sample) == .high)
        #expect(SPDXJSONIngestor().detect(sample) == .none)
        #expect(SPDXTagValueIngestor().detect(sample) == .none)
    }
}
