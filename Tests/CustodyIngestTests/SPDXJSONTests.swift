import CustodyCore
@testable import CustodyIngest
import Foundation
import Testing

/// Helpers shared by the SPDX test files (SPDX*Tests.swift).
enum SPDXKit {
    static func shared(_ file: String) throws -> [UInt8] { try SharedFixtures.bytes("sbom/spdx/" + file) }

    /// A hand-made or hostile file under Fixtures/spdx (see Fixtures/README.md).
    static func local(_ file: String) throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent("spdx").appendingPathComponent(file)
        return [UInt8](try Data(contentsOf: url))
    }

    static func run(_ ingestor: some Ingestor, _ bytes: [UInt8], name: String = "doc.spdx") throws -> FactBatch {
        try ingestor.ingest(IngestInput(source: name, fileName: name, bytes: bytes))
    }

    static func run(_ ingestor: some Ingestor, text: String) throws -> FactBatch {
        try run(ingestor, Array(text.utf8))
    }

    static func keys(_ batch: FactBatch, _ kind: NodeKind) -> Set<String> {
        Set(batch.nodes.filter { $0.ref.kind == kind }.map(\.ref.key))
    }

    static func edges(_ batch: FactBatch, _ kind: EdgeKind) -> [(from: NodeRef, to: NodeRef)] {
        batch.edges.filter { $0.kind == kind }.map { (batch.ref($0.from), batch.ref($0.to)) }
    }

    /// `from.key -> to.key` for every edge of `kind`.
    static func edgeKeys(_ batch: FactBatch, _ kind: EdgeKind) -> Set<String> {
        Set(edges(batch, kind).map { "\($0.from.key) -> \($0.to.key)" })
    }

    static func sbom(_ batch: FactBatch) -> NodeRef? {
        batch.nodes.first { $0.ref.kind == .sbom }?.ref
    }

    /// What the sbom `describes` (empty when the subject is the sbom node itself).
    static func subjects(_ batch: FactBatch) -> [NodeRef] {
        edges(batch, .describes).map(\.to)
    }

    /// The nodes that `contain` packages (subjects, or the sbom for an unnamed subject).
    static func containers(_ batch: FactBatch) -> Set<NodeRef> {
        Set(edges(batch, .contains).map(\.from))
    }

    static func members(_ batch: FactBatch, of container: NodeRef) -> Set<String> {
        Set(edges(batch, .contains).filter { $0.from == container }.map(\.to.key))
    }

    static func generic(_ name: String, _ version: String?) -> String {
        PackageURL(type: "generic", namespace: nil, name: name, version: version).identityKey
    }

    static func hasInfo(_ batch: FactBatch, _ fragment: String) -> Bool {
        batch.diagnostics.contains { $0.severity == .info && $0.message.contains(fragment) }
    }

    /// The CustodyError a call throws, or nil if it returned (or threw something else).
    static func rejection(_ body: () throws -> FactBatch) -> CustodyError? {
        do {
            _ = try body()
            return nil
        } catch let error as CustodyError {
            return error
        } catch {
            return nil
        }
    }
}

/// SPDX 2.2/2.3 JSON: every file under shared/fixtures/sbom/spdx/*.json (2.x) plus the
/// D-chalk-debug scenario SBOM. Expected counts come from
/// `python3` over each file (json.load; subjects = documentDescribes ∪ DOCUMENT DESCRIBES
/// targets; distinct package keys = purl without qualifiers, else name@version, excluding
/// subjects unless the subject is a non-image package with a purl).
@Suite("SPDX 2 JSON")
struct SPDXJSONTests {
    let ingestor = SPDXJSONIngestor()

    @Test func condaTrivyFilesystemSubjectIsTheSBOM() throws {
        let batch = try SPDXKit.run(ingestor, SPDXKit.shared("conda.trivy.spdx-2.3.json"))
        // Subject: SPDXRef-Filesystem-… (purpose SOURCE, no purl) → the sbom node itself.
        let sbom = try #require(SPDXKit.sbom(batch))
        #expect(sbom.key == "http://trivy.dev/filesystem/testdata/fixtures/repo/conda-3ff14136-e09f-4df9-80ea-000000000005")
        #expect(SPDXKit.subjects(batch).isEmpty)
        #expect(SPDXKit.containers(batch) == [sbom])
        // python: 3 packages, 1 subject → 2 distinct package keys.
        #expect(SPDXKit.keys(batch, .package) == ["pkg:conda/openssl@1.1.1q", "pkg:conda/pip@22.2.2"])
        #expect(SPDXKit.members(batch, of: sbom) == ["pkg:conda/openssl@1.1.1q", "pkg:conda/pip@22.2.2"])
        #expect(batch.observedAt == (try Timestamp(rfc3339: "2021-08-25T12:20:30Z")))
        let attributes = batch.nodes.first { $0.ref == sbom }?.attributes ?? [:]
        #expect(attributes["producer"] == "trivy-dev")
        #expect(attributes["specVersion"] == "SPDX-2.3")
        #expect(SPDXKit.hasInfo(batch, "2 file(s) listed"))
        #expect(SPDXKit.edges(batch, .dependsOn).isEmpty)
    }

    @Test func examplemavenSynthesizesPackagesWithoutPurls() throws {
        let batch = try SPDXKit.run(ingestor, SPDXKit.shared("examplemaven-enriched.spdx-maven-plugin+parlay.spdx-2.3.json"))
        let sbom = try #require(SPDXKit.sbom(batch))
        // Subject SPDXRef-example (DESCRIBES, no purl) → sbom node; python: 6 packages − 1 subject = 5.
        #expect(SPDXKit.subjects(batch).isEmpty)
        #expect(SPDXKit.containers(batch) == [sbom])
        #expect(SPDXKit.keys(batch, .package) == [
            SPDXKit.generic("JUnit", "3.8.1"),
            SPDXKit.generic("Apache Log4j SLF4J Binding", nil),
            SPDXKit.generic("SLF4J API Module", nil),
            SPDXKit.generic("Apache Log4j API", nil),
            SPDXKit.generic("Apache Log4j Core", nil),
        ])
        let synthesized = batch.nodes.filter { $0.ref.kind == .package && $0.attributes["synthesized"] == "true" }
        #expect(synthesized.count == 5)
        #expect(batch.diagnostics.filter { $0.severity == .warning && $0.message.contains("has no purl") }.count == 5)
        // TEST_DEPENDENCY_OF / DYNAMIC_LINK all involve the unnamed subject: no package→package edge.
        #expect(SPDXKit.edges(batch, .dependsOn).isEmpty)
        // AMENDS → DocumentRef-original:SPDXRef-DOCUMENT is a cross-document reference.
        #expect(SPDXKit.hasInfo(batch, "1 relationship(s) name NOASSERTION, NONE or an element of another document"))
        let attributes = batch.nodes.first { $0.ref == sbom }?.attributes ?? [:]
        #expect(attributes["producer"] == "spdx-maven-plugin, Parlay")
    }

    @Test func koIndexIsAnArtifactSubject() throws {
        let batch = try SPDXKit.run(ingestor, SPDXKit.shared("go-multi-arch.ko-0.12.0.spdx-2.2.json"))
        let index = "sha256:534035553d1270a98dab3512fde0987e7709ec6b878c8fd60fdaf0d8e1611979"
        #expect(SPDXKit.subjects(batch) == [NodeRef(.artifact, index)])
        // ko names the index by digest only: no repository node invented from "index".
        #expect(SPDXKit.keys(batch, .imageRepository).isEmpty)
        // python: 4 packages − 1 subject = 3 (base image + two platform manifests).
        let expected: Set<String> = [
            "pkg:oci/image@sha256:29fb66034dd7174ddd2538a69b84127db1b072f3f7714d9f3a8f8d598ef19ce9",
            "pkg:oci/image@sha256:a743268cd3c56f921f3fb706cc0425c8ab78119fd433e38bb7c5dcd5635b0d10",
            "pkg:oci/image@sha256:1bc7e53e25de5c00ecaeca1473ab56bfaf4e39cea747edcf7db467389a287931",
        ]
        #expect(SPDXKit.keys(batch, .package) == expected)
        #expect(SPDXKit.members(batch, of: NodeRef(.artifact, index)) == expected)
        #expect(SPDXKit.hasInfo(batch, "DESCENDANT_OF ×1"))
        #expect(SPDXKit.hasInfo(batch, "VARIANT_OF ×2"))
    }

    @Test func helloServerHasAPackageSubjectAndAFileSubject() throws {
        let batch = try SPDXKit.run(ingestor, SPDXKit.shared("hello-server.k8s-bom.spdx-2.3.json"))
        let sbom = try #require(SPDXKit.sbom(batch))
        let root = NodeRef(.package, "pkg:deb/debian/libselinux1-dev@3.1-3")
        // documentDescribes: the package (its purl) and SPDXRef-File-hello-server (a file → sbom).
        #expect(SPDXKit.subjects(batch) == [root])
        #expect(SPDXKit.containers(batch) == [root, sbom])
        // python: 4 packages (3 cargo crates + the subject package).
        let crates: Set<String> = ["pkg:cargo/hyper@0.14", "pkg:cargo/tokio@1.19.2", "pkg:cargo/pretty_env_logger@0.4.0"]
        #expect(SPDXKit.keys(batch, .package) == crates.union([root.key]))
        #expect(SPDXKit.members(batch, of: root) == crates)
        #expect(SPDXKit.members(batch, of: sbom) == crates)
        // python: 3 DEPENDS_ON from the subject package.
        #expect(SPDXKit.edgeKeys(batch, .dependsOn) == Set(crates.map { "\(root.key) -> \($0)" }))
    }

    @Test func sbomToolRootWithOnlyFiles() throws {
        let batch = try SPDXKit.run(ingestor, SPDXKit.shared("hello-src.ms-sbom-tool-0.2.7.spdx-2.2.json"))
        let sbom = try #require(SPDXKit.sbom(batch))
        #expect(sbom.key == "https://swinslow.net/spdx-examples/example11/hello/hello/0.0.1/csf4PsHt3k6fM6HJmv4tGQ")
        #expect(SPDXKit.subjects(batch).isEmpty)
        // python: 1 package, the subject (no purl) → 0 package nodes; 12 files.
        #expect(SPDXKit.keys(batch, .package).isEmpty)
        #expect(SPDXKit.hasInfo(batch, "12 file(s) listed"))
        #expect(batch.nodes.first { $0.ref == sbom }?.attributes["producer"] == "Microsoft.SBOMTool-0.2.7")
    }

    /// A described package with neither a digest nor a purl has no node of its own (the sbom
    /// node stands for it): the document says so instead of losing it silently, one line per
    /// package up to 20, then a count.
    @Test func describedPackagesWithoutIdentityAreReported() throws {
        func document(described count: Int) -> String {
            let packages = (0..<count).map { #"{"SPDXID":"SPDXRef-P\#($0)","name":"app\#($0)","versionInfo":"1.\#($0)","downloadLocation":"NOASSERTION"}"# as String }
                + [#"{"SPDXID":"SPDXRef-Lib","name":"lib","versionInfo":"2","downloadLocation":"NOASSERTION","externalRefs":[{"referenceCategory":"PACKAGE-MANAGER","referenceType":"purl","referenceLocator":"pkg:npm/lib@2"}]}"#]
            let describes = (0..<count).map { #"{"spdxElementId":"SPDXRef-DOCUMENT","relationshipType":"DESCRIBES","relatedSpdxElement":"SPDXRef-P\#($0)"}"# as String }
            return #"{"spdxVersion":"SPDX-2.3","dataLicense":"CC0-1.0","SPDXID":"SPDXRef-DOCUMENT","name":"doc","documentNamespace":"https://example.com/d\#(count)","creationInfo":{"created":"2025-01-01T00:00:00Z","creators":["Tool: t"]},"packages":[\#(packages.joined(separator: ","))],"relationships":[\#(describes.joined(separator: ","))]}"#
        }
        let one = try SPDXKit.run(ingestor, text: document(described: 1))
        #expect(SPDXKit.subjects(one).isEmpty)
        #expect(SPDXKit.members(one, of: try #require(SPDXKit.sbom(one))) == ["pkg:npm/lib@2"])
        let info = one.diagnostics.filter { $0.severity == .info && $0.message.contains("no digest and no purl") }
        #expect(info.map(\.message) == [#"the document describes "app0 1.0", which has no digest and no purl: the SBOM node stands for it"#])
        #expect(info.first?.location == "/packages/0")
        #expect(!SPDXKit.hasInfo(one, "names no subject"))

        let many = try SPDXKit.run(ingestor, text: document(described: 25))
        #expect(many.diagnostics.filter { $0.message.contains("which has no digest and no purl") }.count == 20)
        #expect(SPDXKit.hasInfo(many, "5 more described packages have no digest and no purl (25 in all)"))
    }

    @Test func syftWithoutRelationshipsFallsBackToTheSBOM() throws {
        let batch = try SPDXKit.run(ingestor, SPDXKit.shared("kubectl-linux-amd64.syft-0.58.0.spdx-2.2.json"))
        let sbom = try #require(SPDXKit.sbom(batch))
        // Syft 0.58 writes neither documentDescribes nor relationships.
        #expect(SPDXKit.subjects(batch).isEmpty)
        #expect(SPDXKit.hasInfo(batch, "names no subject"))
        // python: 88 packages, 88 distinct purls (85 golang, 3 deb).
        #expect(SPDXKit.keys(batch, .package).count == 88)
        #expect(SPDXKit.members(batch, of: sbom).count == 88)
        #expect(batch.nodes.first { $0.ref == sbom }?.attributes["createdAt"] == "2023-08-29T23:44:36.856125332Z")
    }

    @Test func syftArmWithFileRelationships() throws {
        let batch = try SPDXKit.run(ingestor, SPDXKit.shared("kubectl-linux-arm-v7.syft-0.58.0.spdx-2.2.json"))
        let sbom = try #require(SPDXKit.sbom(batch))
        #expect(SPDXKit.subjects(batch).isEmpty)
        // python: 183 packages, 183 distinct purls (99 deb, 84 golang); 3042 files; the 3042
        // relationships are all package CONTAINS file.
        let packages = SPDXKit.keys(batch, .package)
        #expect(packages.count == 183)
        #expect(SPDXKit.members(batch, of: sbom).count == 183)
        #expect(packages.filter { $0.hasPrefix("pkg:deb/") }.count == 99)
        #expect(SPDXKit.hasInfo(batch, "3042 file(s) listed"))
        #expect(SPDXKit.edges(batch, .dependsOn).isEmpty)
        #expect(batch.nodes.allSatisfy { $0.ref.kind == .sbom || $0.ref.kind == .package })
    }

    @Test func ordersAPIUpperCaseChecksumBecomesLowerCaseArtifact() throws {
        let url = SharedFixtures.scenario("D-chalk-debug/sbom/orders-api-1.0.0.spdx.json")
        let batch = try SPDXKit.run(ingestor, [UInt8](try Data(contentsOf: url)), name: url.path)
        let digest = "sha256:76b3a085de0a8fd6c43bbca912fed3f01baae2e5250fea3d71cdfc2ca4310210"
        let artifact = NodeRef(.artifact, digest)
        #expect(SPDXKit.subjects(batch) == [artifact])
        #expect(SPDXKit.keys(batch, .artifact) == [digest])
        #expect(SPDXKit.keys(batch, .imageRepository) == ["registry.acme.example/acme/orders-api"])
        #expect(SPDXKit.keys(batch, .imageReference) == ["registry.acme.example/acme/orders-api:1.0.0"])
        #expect(SPDXKit.edgeKeys(batch, .refersTo) == ["registry.acme.example/acme/orders-api:1.0.0 -> \(digest)"])
        // python: 22 packages − 1 image root = 21 distinct purls (14 deb, 7 npm).
        let members = SPDXKit.members(batch, of: artifact)
        #expect(members.count == 21)
        #expect(SPDXKit.keys(batch, .package).count == 21)
        #expect(members.contains("pkg:npm/debug@4.4.2"))
        // Keys are PackageURL's canonical form (it percent-encodes `+` in versions).
        let libcKey = try PackageURL(parsing: "pkg:deb/debian/libc6@2.36-9+deb12u10").identityKey
        #expect(members.contains(libcKey))
        let libc = batch.nodes.first { $0.ref.key == libcKey }
        #expect(libc?.attributes["qualifiers"] == "arch=amd64&distro=debian-12&upstream=glibc")
        #expect(libc?.attributes["cpe"] == "cpe:2.3:a:libc6:libc6:2.36-9+deb12u10:*:*:*:*:*:*:*")
        #expect(batch.observedAt == (try Timestamp(rfc3339: "2025-09-08T13:51:44Z")))
    }

    /// Every shared SPDX fixture is recognized by the standard registry as the right format
    /// (no tie with another ingestor).
    @Test(arguments: [
        ("appbomination.spdx-3.0.1.jsonld.json", "spdx3-jsonld"),
        ("conda.trivy.spdx-2.3.json", "spdx-json"),
        ("cosign-gomod.spdx-sbom-generator-0.0.1.spdx", "spdx-tag-value"),
        ("example1.tools-golang.spdx-2.2.spdx", "spdx-tag-value"),
        ("example6-bin.tools-golang.spdx-2.2.spdx", "spdx-tag-value"),
        ("examplemaven-enriched.spdx-maven-plugin+parlay.spdx-2.3.json", "spdx-json"),
        ("go-multi-arch.ko-0.12.0.spdx-2.2.json", "spdx-json"),
        ("hello-server.k8s-bom.spdx-2.3.json", "spdx-json"),
        ("hello-src.ms-sbom-tool-0.2.7.spdx-2.2.json", "spdx-json"),
        ("kubectl-linux-amd64.syft-0.58.0.spdx-2.2.json", "spdx-json"),
        ("kubectl-linux-arm-v7.syft-0.58.0.spdx-2.2.json", "spdx-json"),
    ])
    func registryDetects(file: String, id: String) throws {
        let sample = DetectionSample(fileName: file, bytes: try SPDXKit.shared(file))
        #expect(try IngestorRegistry.standard.detect(sample, source: file).descriptor.id == id)
    }
}
