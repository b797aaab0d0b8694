import CustodyCore
@testable import CustodyIngest
import Testing

/// SPDX 2.x tag-value: every *.spdx file under shared/fixtures/sbom/spdx/ plus a Syft-shaped
/// image document. Expected counts come from python3 over each file (PackageName blocks,
/// `Relationship` lines with or without the colon; keys = purl without qualifiers, else the
/// synthesized name@version).
@Suite("SPDX tag-value")
struct SPDXTagValueTests {
    let ingestor = SPDXTagValueIngestor()

    @Test func cosignGoModulesWithColonlessRelationships() throws {
        let batch = try SPDXKit.run(ingestor, SPDXKit.shared("cosign-gomod.spdx-sbom-generator-0.0.1.spdx"))
        let sbom = try #require(SPDXKit.sbom(batch))
        #expect(sbom.key == "http://spdx.org/spdxpackages/github.com/sigstore/cosign-9a615223-fdf6-40cc-8156-666d7da86672")
        // Subject github.com/sigstore/cosign@ddd9132 has no purl (and is no image) → sbom node.
        #expect(SPDXKit.subjects(batch).isEmpty)
        #expect(SPDXKit.containers(batch) == [sbom])
        // python: 143 PackageName blocks − 1 subject = 142 distinct name@version.
        #expect(SPDXKit.keys(batch, .package).count == 142)
        #expect(SPDXKit.members(batch, of: sbom).count == 142)
        // python: 619 `Relationship X DEPENDS_ON Y` (no colon), 31 from the subject,
        // 588 distinct package→package pairs, one a self-loop (tablewriter-v0.0.5 DEPENDS_ON
        // itself, dropped by SBOMBuilder) → 587 edges.
        let dependsOn = SPDXKit.edgeKeys(batch, .dependsOn)
        #expect(dependsOn.count == 587)
        let registry = SPDXKit.generic("github.com/google/go-containerregistry", "v0.5.1")
        #expect(dependsOn.contains("\(registry) -> \(SPDXKit.generic("k8s.io/klog/v2", "v2.8.0"))"))
        #expect(dependsOn.contains("\(registry) -> \(SPDXKit.generic("golang.org/x/sync", "v0.0.0-20210220032951-036812b2e83c"))"))
        #expect(SPDXKit.hasInfo(batch, "31 dependency relationship(s) of a subject"))
        #expect(batch.observedAt == (try Timestamp(rfc3339: "2021-06-27T13:42:53Z")))
        #expect(batch.nodes.first { $0.ref == sbom }?.attributes["producer"] == "spdx-sbom-generator-0.0.1")
        // Locations are line numbers.
        let registryNode = batch.nodes.first { $0.ref.key == registry }
        #expect(registryNode.flatMap(batch.location(of:)) == "line:61")
    }

    @Test func example1PackageWithFiles() throws {
        let batch = try SPDXKit.run(ingestor, SPDXKit.shared("example1.tools-golang.spdx-2.2.spdx"))
        let sbom = try #require(SPDXKit.sbom(batch))
        #expect(sbom.key == "https://swinslow.net/spdx-examples/example1/hello-v3")
        // SPDXRef-DOCUMENT DESCRIBES SPDXRef-Package-hello (no purl) → sbom node; python: 1 package, 3 files.
        #expect(SPDXKit.subjects(batch).isEmpty)
        #expect(SPDXKit.keys(batch, .package).isEmpty)
        #expect(SPDXKit.hasInfo(batch, "3 file(s) listed"))
        #expect(batch.nodes.first { $0.ref == sbom }?.attributes["producer"]
            == "github.com/spdx/tools-golang/builder, github.com/spdx/tools-golang/idsearcher")
    }

    @Test func example6CrossDocumentRelationshipsAndLicenseText() throws {
        let batch = try SPDXKit.run(ingestor, SPDXKit.shared("example6-bin.tools-golang.spdx-2.2.spdx"))
        let sbom = try #require(SPDXKit.sbom(batch))
        #expect(sbom.key == "https://swinslow.net/spdx-examples/example6/hello-go-bin-v2")
        #expect(SPDXKit.subjects(batch).isEmpty)
        // python: 1 package (the subject), 0 other packages; 7 relationships use DocumentRef-….
        #expect(SPDXKit.keys(batch, .package).isEmpty)
        #expect(SPDXKit.hasInfo(batch, "7 relationship(s) name NOASSERTION, NONE or an element of another document"))
        // The multi-line <text> license (with lines like "Additional IP Rights Grant (Patents)") is one value.
        #expect(!batch.diagnostics.contains { $0.message.contains("not `Tag: value`") })
    }

    static let syftImage = """
        SPDXVersion: SPDX-2.3
        DataLicense: CC0-1.0
        SPDXID: SPDXRef-DOCUMENT
        DocumentName: registry.example.com/team/app
        DocumentNamespace: https://anchore.com/syft/image/registry.example.com-team-app-1234
        Creator: Organization: Anchore, Inc
        Creator: Tool: syft-1.4.1
        Created: 2024-05-01T10:00:00Z

        ##### Package: registry.example.com/team/app

        PackageName: registry.example.com/team/app
        SPDXID: SPDXRef-DocumentRoot-Image-registry.example.com-team-app
        PackageVersion: 1.4.2
        PackageChecksum: SHA256: 27310000000000000000000000000000000000000000000000000000ABCD9368
        PrimaryPackagePurpose: CONTAINER
        ExternalRef: PACKAGE-MANAGER purl pkg:oci/registry.example.com%2Fteam%2Fapp@sha256%3A27310000000000000000000000000000000000000000000000000000abcd9368?arch=amd64&tag=1.4.2
        PackageComment: <text>a multi-line value
        PackageName: not-a-package
        SPDXID: SPDXRef-not-an-id</text>

        PackageName: libc6
        SPDXID: SPDXRef-Package-deb-libc6
        PackageVersion: 2.36-9
        ExternalRef: SECURITY cpe23Type cpe:2.3:a:libc6:libc6:2.36-9:*:*:*:*:*:*:*
        ExternalRef: PACKAGE-MANAGER purl pkg:deb/debian/libc6@2.36-9?arch=amd64&distro=debian-12

        FileName: /etc/passwd
        SPDXID: SPDXRef-File-passwd
        FileChecksum: SHA1: 0000000000000000000000000000000000000000

        PackageName: zlib1g
        SPDXID: SPDXRef-Package-deb-zlib1g
        PackageVersion: 1:1.2.13
        ExternalRef: PACKAGE-MANAGER purl pkg:deb/debian/zlib1g@1:1.2.13?arch=amd64
        PackageDescription: <text>one-line text</text>

        ##### Relationships

        Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-DocumentRoot-Image-registry.example.com-team-app
        Relationship: SPDXRef-DocumentRoot-Image-registry.example.com-team-app CONTAINS SPDXRef-Package-deb-libc6
        Relationship: SPDXRef-Package-deb-zlib1g DEPENDENCY_OF SPDXRef-Package-deb-libc6
        Relationship: SPDXRef-Package-deb-libc6 CONTAINS SPDXRef-File-passwd
        Relationship: SPDXRef-Package-deb-libc6 DEPENDS_ON NONE

        """

    @Test(arguments: ["\n", "\r\n"])
    func syftImageDocument(lineEnd: String) throws {
        let text = Self.syftImage.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: lineEnd)
        let batch = try SPDXKit.run(ingestor, Array("\u{FEFF}".utf8) + Array(text.utf8))
        let artifact = NodeRef(.artifact, "sha256:27310000000000000000000000000000000000000000000000000000abcd9368")
        #expect(SPDXKit.subjects(batch) == [artifact])
        #expect(SPDXKit.keys(batch, .imageReference) == ["registry.example.com/team/app:1.4.2"])
        #expect(SPDXKit.keys(batch, .package) == ["pkg:deb/debian/libc6@2.36-9", "pkg:deb/debian/zlib1g@1:1.2.13"])
        #expect(SPDXKit.members(batch, of: artifact) == SPDXKit.keys(batch, .package))
        #expect(SPDXKit.edgeKeys(batch, .dependsOn) == ["pkg:deb/debian/libc6@2.36-9 -> pkg:deb/debian/zlib1g@1:1.2.13"])
        let libc = batch.nodes.first { $0.ref.key == "pkg:deb/debian/libc6@2.36-9" }
        #expect(libc.flatMap(batch.location(of:)) == "line:22")
        #expect(libc?.attributes["cpe"] == "cpe:2.3:a:libc6:libc6:2.36-9:*:*:*:*:*:*:*")
        #expect(SPDXKit.hasInfo(batch, "1 relationship(s) name NOASSERTION, NONE"))
        #expect(SPDXKit.hasInfo(batch, "1 file(s) listed"))
        #expect(batch.observedAt == (try Timestamp(rfc3339: "2024-05-01T10:00:00Z")))
    }

    @Test func detection() {
        let tagValue = DetectionSample(fileName: "x.spdx", bytes: Array(Self.syftImage.utf8))
        #expect(ingestor.detect(tagValue) == .high)
        #expect(SPDXJSONIngestor().detect(tagValue) == .none)
        #expect(SPDX3JSONLDIngestor().detect(tagValue) == .none)
        let json = DetectionSample(fileName: "x.json", bytes: Array(#"{"spdxVersion": "SPDX-2.3"}"#.utf8))
        #expect(ingestor.detect(json) == .none)
        #expect(SPDXJSONIngestor().detect(json) == .high)
    }
}
