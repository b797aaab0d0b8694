import CustodyCore
@testable import CustodyIngest
import Testing

/// Subject classification and relationship normalization, on small hand-written SPDX 2 JSON
/// documents shaped like Syft's and Trivy's output (FORMATS.md §2.2).
@Suite("SPDX relationships and subjects")
struct SPDXRelationshipTests {
    let ingestor = SPDXJSONIngestor()
    static let digest = "2731000000000000000000000000000000000000000000000000000000009368"

    static func document(packages: String, relationships: String, extra: String = "") -> String {
        """
        {"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "test",
         "documentNamespace": "https://example.invalid/test", \(extra)
         "creationInfo": {"created": "2024-05-01T10:00:00Z", "creators": ["Organization: Anchore, Inc", "Tool: syft-1.4.1"]},
         "packages": [\(packages)],
         "relationships": [\(relationships)]}
        """
    }

    static func package(_ id: String, _ name: String, version: String = "1.0", purl: String? = nil,
                        category: String = "PACKAGE-MANAGER", extra: String = "") -> String {
        let refs = purl.map {
            #""externalRefs": [{"referenceCategory": "\#(category)", "referenceType": "purl", "referenceLocator": "\#($0)"}],"#
        } ?? ""
        return #"{"SPDXID": "\#(id)", "name": "\#(name)", "versionInfo": "\#(version)", \#(refs) \#(extra) "downloadLocation": "NOASSERTION"}"#
    }

    static func relation(_ from: String, _ type: String, _ to: String) -> String {
        #"{"spdxElementId": "\#(from)", "relationshipType": "\#(type)", "relatedSpdxElement": "\#(to)"}"#
    }

    @Test func syftImageRootWithDependencyOf() throws {
        let image = Self.package(
            "SPDXRef-DocumentRoot-Image-registry.example.com-team-app", "registry.example.com/team/app", version: "1.4.2",
            purl: "pkg:oci/registry.example.com%2Fteam%2Fapp@sha256%3A\(Self.digest)?arch=amd64&tag=1.4.2",
            extra: #""primaryPackagePurpose": "CONTAINER", "checksums": [{"algorithm": "SHA256", "checksumValue": "\#(Self.digest.uppercased())"}],"#)
        let packages = [
            image,
            Self.package("SPDXRef-Package-npm-express", "express", version: "4.21.2", purl: "pkg:npm/express@4.21.2"),
            Self.package("SPDXRef-Package-npm-debug", "debug", version: "4.4.2", purl: "pkg:npm/debug@4.4.2"),
            Self.package("SPDXRef-Package-npm-ms", "ms", version: "2.1.3", purl: "pkg:npm/ms@2.1.3"),
        ].joined(separator: ",")
        let relationships = [
            Self.relation("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-DocumentRoot-Image-registry.example.com-team-app"),
            // Syft: "A DEPENDENCY_OF B" = B depends on A.
            Self.relation("SPDXRef-Package-npm-debug", "DEPENDENCY_OF", "SPDXRef-Package-npm-express"),
            Self.relation("SPDXRef-Package-npm-ms", "RUNTIME_DEPENDENCY_OF", "SPDXRef-Package-npm-debug"),
            Self.relation("SPDXRef-Package-npm-express", "OTHER", "SPDXRef-Package-npm-ms"),
            Self.relation("SPDXRef-Package-npm-express", "DEPENDS_ON", "NOASSERTION"),
        ].joined(separator: ",")
        let batch = try SPDXKit.run(ingestor, text: Self.document(packages: packages, relationships: relationships))
        let artifact = NodeRef(.artifact, "sha256:\(Self.digest)")
        #expect(SPDXKit.subjects(batch) == [artifact])
        #expect(SPDXKit.keys(batch, .imageReference) == ["registry.example.com/team/app:1.4.2"])
        #expect(SPDXKit.members(batch, of: artifact) == ["pkg:npm/express@4.21.2", "pkg:npm/debug@4.4.2", "pkg:npm/ms@2.1.3"])
        #expect(SPDXKit.edgeKeys(batch, .dependsOn) == [
            "pkg:npm/express@4.21.2 -> pkg:npm/debug@4.4.2",
            "pkg:npm/debug@4.4.2 -> pkg:npm/ms@2.1.3",
        ])
        #expect(SPDXKit.hasInfo(batch, "1 relationship(s) name NOASSERTION"))
        #expect(SPDXKit.hasInfo(batch, "OTHER ×1"))
        #expect(batch.nodes.first { $0.ref.kind == .sbom }?.attributes["producer"] == "syft-1.4.1")
    }

    @Test func trivyContainsChainIsFlattenedIntoTheImage() throws {
        let image = Self.package(
            "SPDXRef-ContainerImage-1", "rails:latest", version: "",
            purl: "pkg:oci/rails@sha256:\(Self.digest)?arch=amd64&repository_url=index.docker.io%2Flibrary%2Frails",
            extra: #""primaryPackagePurpose": "CONTAINER","#)
        let packages = [
            image,
            Self.package("SPDXRef-OperatingSystem-1", "debian", version: "12.4", extra: #""primaryPackagePurpose": "OPERATING_SYSTEM","#),
            Self.package("SPDXRef-Package-a", "libc6", version: "2.36-9", purl: "pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12.4"),
            Self.package("SPDXRef-Application-1", "Gemfile.lock", version: "", extra: #""primaryPackagePurpose": "APPLICATION","#),
            Self.package("SPDXRef-Package-b", "rack", version: "3.0.8", purl: "pkg:gem/rack@3.0.8"),
        ].joined(separator: ",")
        let relationships = [
            // The inverse spelling of DESCRIBES, and CONTAINED_BY for one member.
            Self.relation("SPDXRef-ContainerImage-1", "DESCRIBED_BY", "SPDXRef-DOCUMENT"),
            Self.relation("SPDXRef-ContainerImage-1", "CONTAINS", "SPDXRef-OperatingSystem-1"),
            Self.relation("SPDXRef-OperatingSystem-1", "CONTAINS", "SPDXRef-Package-a"),
            Self.relation("SPDXRef-Application-1", "CONTAINED_BY", "SPDXRef-ContainerImage-1"),
            Self.relation("SPDXRef-Application-1", "CONTAINS", "SPDXRef-Package-b"),
        ].joined(separator: ",")
        let batch = try SPDXKit.run(ingestor, text: Self.document(packages: packages, relationships: relationships))
        let artifact = NodeRef(.artifact, "sha256:\(Self.digest)")
        #expect(SPDXKit.subjects(batch) == [artifact])
        // repository_url wins over the purl name; the Hub spelling is canonicalized.
        #expect(SPDXKit.keys(batch, .imageRepository) == ["docker.io/library/rails"])
        #expect(SPDXKit.keys(batch, .imageReference) == ["docker.io/library/rails:latest"])
        #expect(SPDXKit.members(batch, of: artifact) == [
            SPDXKit.generic("debian", "12.4"), "pkg:deb/debian/libc6@2.36-9",
            SPDXKit.generic("Gemfile.lock", nil), "pkg:gem/rack@3.0.8",
        ])
        #expect(SPDXKit.containers(batch) == [artifact])
        #expect(SPDXKit.edges(batch, .dependsOn).isEmpty)
    }

    @Test func imageWithoutDigestIsAnImageReference() throws {
        let packages = Self.package("SPDXRef-Root", "ghcr.io/acme/app", version: "2.0.1", purl: nil,
                                    extra: #""primaryPackagePurpose": "CONTAINER","#)
        let batch = try SPDXKit.run(ingestor, text: Self.document(
            packages: packages, relationships: "", extra: #""documentDescribes": ["SPDXRef-Root"],"#))
        #expect(SPDXKit.subjects(batch) == [NodeRef(.imageReference, "ghcr.io/acme/app:2.0.1")])
        #expect(SPDXKit.keys(batch, .artifact).isEmpty)
    }

    @Test func packageSubjectDependsOnWithScopedInverse() throws {
        let packages = [
            Self.package("SPDXRef-root", "app", version: "1.0.0", purl: "pkg:npm/app@1.0.0"),
            Self.package("SPDXRef-jest", "jest", version: "29.0.0", purl: "pkg:npm/jest@29.0.0"),
            Self.package("SPDXRef-lodash", "lodash", version: "4.17.21", purl: "pkg:npm/lodash@4.17.21", category: "PACKAGE_MANAGER"),
            Self.package("SPDXRef-zlib", "zlib", version: "1.3", purl: "pkg:generic/zlib@1.3"),
        ].joined(separator: ",")
        let relationships = [
            Self.relation("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-root"),
            Self.relation("SPDXRef-jest", "DEV_DEPENDENCY_OF", "SPDXRef-root"),
            Self.relation("SPDXRef-root", "DEPENDS_ON", "SPDXRef-lodash"),
            Self.relation("SPDXRef-lodash", "STATIC_LINK", "SPDXRef-zlib"),
            Self.relation("SPDXRef-root", "DEPENDS_ON", "DocumentRef-other:SPDXRef-x"),
            Self.relation("SPDXRef-root", "DEPENDS_ON", "SPDXRef-missing"),
        ].joined(separator: ",")
        let batch = try SPDXKit.run(ingestor, text: Self.document(packages: packages, relationships: relationships))
        let root = NodeRef(.package, "pkg:npm/app@1.0.0")
        #expect(SPDXKit.subjects(batch) == [root])
        #expect(SPDXKit.keys(batch, .package).count == 4)
        #expect(SPDXKit.edgeKeys(batch, .dependsOn) == [
            "pkg:npm/app@1.0.0 -> pkg:npm/jest@29.0.0",
            "pkg:npm/app@1.0.0 -> pkg:npm/lodash@4.17.21",
            "pkg:npm/lodash@4.17.21 -> pkg:generic/zlib@1.3",
        ])
        #expect(SPDXKit.hasInfo(batch, "1 relationship(s) name NOASSERTION, NONE or an element of another document"))
        #expect(SPDXKit.hasInfo(batch, "1 dependency relationship(s) name elements that are not packages"))
    }

    @Test func missingNamespaceFallsBackToDocumentHash() throws {
        let text = #"{"spdxVersion": "SPDX-2.2", "SPDXID": "SPDXRef-DOCUMENT", "packages": []}"#
        let batch = try SPDXKit.run(ingestor, text: text)
        let sbom = try #require(SPDXKit.sbom(batch))
        #expect(sbom.key.hasPrefix("sha256:"))
        #expect(sbom.key.count == "sha256:".count + 64)
        #expect(batch.observedAt == nil)
    }

    @Test func purlInSecurityCategoryLosesToPackageManager() throws {
        var record = SPDXPackageRecord(location: "/packages/0")
        record.addExternalRef(category: "OTHER", type: "purl", locator: "pkg:npm/wrong@1")
        record.addExternalRef(category: "PACKAGE_MANAGER", type: "purl", locator: "pkg:npm/right@1")
        record.addExternalRef(category: "PACKAGE-MANAGER", type: "purl", locator: "pkg:npm/later@1")
        record.addExternalRef(category: "SECURITY", type: "cpe23Type", locator: "cpe:2.3:a:x:y:1:*:*:*:*:*:*:*")
        #expect(record.purl == "pkg:npm/right@1")
        #expect(record.cpe == "cpe:2.3:a:x:y:1:*:*:*:*:*:*:*")
    }

    @Test(arguments: [
        ("CONTAINS", SPDXRelationshipType.Kind.contains, false),
        ("CONTAINED_BY", .contains, true),
        ("DESCRIBED_BY", .describes, true),
        ("DEPENDENCY_OF", .dependsOn, true),
        ("BUILD_DEPENDENCY_OF", .dependsOn, true),
        ("TEST_DEPENDENCY_OF", .dependsOn, true),
        ("dependsOn", .dependsOn, false),
        ("hasStaticLink", .dependsOn, false),
        ("describes", .describes, false),
    ])
    func normalization(type: String, kind: SPDXRelationshipType.Kind, reversed: Bool) {
        #expect(SPDXRelationshipType.normalize(type) == .init(kind: kind, reversed: reversed))
    }

    @Test(arguments: ["GENERATED_FROM", "DEPENDENCY_MANIFEST_OF", "hasDeclaredLicense", "BUILD_TOOL_OF", "", "DEPENDS ON"])
    func notRecorded(type: String) {
        #expect(SPDXRelationshipType.normalize(type) == nil)
    }
}
