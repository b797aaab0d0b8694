import CustodyCore
import CustodyIngest
import Foundation
import Testing

/// Every real CycloneDX file in `shared/fixtures/sbom/cyclonedx/` ingested end to end.
///
/// The expected numbers were computed independently of the Swift code, with a Python script
/// (json / xml.etree from the standard library) that walks `components` recursively (including
/// `metadata.component.components`), skips `type: file`, normalizes each purl to
/// `pkg:type/namespace/name@version` by the purl-spec rules (percent-decode, re-encode, type
/// case rules), keys purl-less components as `pkg:generic/<group>/<name>@<version>`, adds the
/// subject's own key when the subject is a package, and counts the distinct keys. Subjects were
/// read off `metadata.component` by hand and cross-checked with the same script.
@Suite("CycloneDX fixtures")
struct CycloneDXFixtureTests {
    struct Expectation: Sendable, CustomStringConvertible {
        var file: String
        var subjectKind: NodeKind
        var subjectKey: String
        var packages: Int
        var description: String { file }
    }

    static let expectations: [Expectation] = [
        // cdxgen: application subject with a purl; 34 applications nested in metadata.component.
        .init(file: "dt-frontend.cdxgen-9.4.0.cdx-1.4.json", subjectKind: .package,
              subjectKey: "pkg:maven/test/Test@latest", packages: 186),
        // Trivy, tarball input: no RepoDigest and no purl, so no registry digest (ImageID is the
        // config digest); RepoTag names the image.
        .init(file: "fluentd.trivy.cdx-1.7.json", subjectKind: .imageReference,
              subjectKey: "ghcr.io/aquasecurity/trivy-test-images:fluentd-multiple-lockfiles", packages: 161),
        // JFrog Xray writes the manifest digest as `sha256__<hex>`.
        .init(file: "jfrog-xray-with-vulns.cdx-1.4.json", subjectKind: .artifact,
              subjectKey: "sha256:09c4bf58d7e7e31bdc1ab73ef10349b3a47c9a814e715e409034fb3293253ce2", packages: 1),
        // cyclonedx-npm nests node_modules: 1115 components, 979 distinct purls + the subject.
        .init(file: "juice-shop-11.1.2.cyclonedx-npm.cdx-1.4.json", subjectKind: .package,
              subjectKey: "pkg:npm/juice-shop@14.1.1", packages: 979),
        .init(file: "kbom.trivy.cdx-1.5.json", subjectKind: .package,
              subjectKey: "pkg:k8s/k8s.io%2Fkubernetes@1.27.4", packages: 18),
        .init(file: "keycloak-10.0.2.cyclonedx-maven.cdx-1.2.json", subjectKind: .package,
              subjectKey: "pkg:maven/org.keycloak/keycloak-parent@10.0.2", packages: 903),
        // CycloneDX 1.1 XML: no metadata at all, so the sbom node (content hash) is the subject.
        .init(file: "laravel-7.12.0.cyclonedx-php-composer.cdx-1.1.xml", subjectKind: .sbom,
              subjectKey: "sha256:e01e88231c1282ca2f6a2016b331ee7e32e64cfce2d3ed9cf622042363cbc856", packages: 62),
        .init(file: "laravel-7.12.0.cyclonedx-php-composer.cdx-1.4.json", subjectKind: .package,
              subjectKey: "pkg:composer/cyclonedx/cyclonedx-php-composer-demo@dev-master", packages: 63),
        // Old Syft: version is the manifest digest; 293 components, many in two layers.
        .init(file: "mongo.syft-0.58.0.cdx-1.4.json", subjectKind: .artifact,
              subjectKey: "sha256:fd73df9425bd48f25d7e913422af8124a6eadbd5d99f67bbd4a8b121f59b1187", packages: 174),
        // Current Syft, tagged input: version is the tag, no digest anywhere; 4 file components skipped.
        .init(file: "policy-sdk-example.syft-1.38.0.cdx-1.6.json", subjectKind: .imageReference,
              subjectKey: "ghcr.io/chainloop-dev/chainloop/control-plane:v1.60.0-arm64", packages: 253),
        .init(file: "proton-bridge-1.8.0.cyclonedx-gomod.cdx-1.2.json", subjectKind: .package,
              subjectKey: "pkg:golang/github.com/ProtonMail/proton-bridge@v1.8.0", packages: 202),
        // No metadata.component: the sbom node stands for the subject.
        .init(file: "python-app.cyclonedx-bom-3.11.0.cdx-1.4.json", subjectKind: .sbom,
              subjectKey: "urn:cdx:588bb01b-577e-4e1b-a055-b51b8f5f2ed1/1", packages: 1),
        .init(file: "quarkus.cyclonedx-maven-2.7.1.cdx-1.4.json", subjectKind: .package,
              subjectKey: "pkg:maven/org.acme/getting-started@1.0.0-SNAPSHOT", packages: 95),
    ]

    @Test("every fixture file has an expectation")
    func coversEveryFixture() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: SharedFixtures.fixture("sbom/cyclonedx").path)
        #expect(Set(files) == Set(Self.expectations.map(\.file)))
    }

    @Test("subject and package count", arguments: expectations)
    func subjectAndPackages(_ expected: Expectation) throws {
        let batch = try CycloneDXTest.fixture(expected.file)
        #expect(batch.subjectRef == NodeRef(expected.subjectKind, expected.subjectKey))
        #expect(batch.packageKeys.count == expected.packages)
        // Every package is contained by the subject (the subject package itself excepted).
        let subject = try #require(batch.subjectRef)
        let contained = batch.edges(.contains, from: subject).count
        #expect(contained == expected.packages - (expected.subjectKind == .package ? 1 : 0))
        // Every fact is located; no diagnostic lacks a message.
        #expect(batch.nodes.allSatisfy { $0.ref.kind == .sbom || batch.location(of: $0) != nil })
        #expect(batch.diagnostics.allSatisfy { !$0.message.isEmpty })
    }

    @Test("sbom node: key, time, producer")
    func sbomNode() throws {
        let keycloak = try CycloneDXTest.fixture("keycloak-10.0.2.cyclonedx-maven.cdx-1.2.json")
        let sbom = try #require(keycloak.sbomNode)
        #expect(sbom.ref.key == "urn:cdx:411dafd2-c29f-491a-97d7-e97de5bc2289/1")
        #expect(sbom.attributes["createdAt"] == "2020-08-02T21:21:17Z")
        #expect(sbom.attributes["producer"] == "CycloneDX Maven plugin 2.0.2")
        #expect(sbom.attributes["specVersion"] == "1.2")
        #expect(sbom.attributes["format"] == "cyclonedx-json")

        // 1.5+ object form of tools.
        let fluentd = try CycloneDXTest.fixture("fluentd.trivy.cdx-1.7.json")
        #expect(fluentd.sbomNode?.attributes["producer"] == "trivy dev")
        #expect(fluentd.observedAt != nil)

        // No serialNumber: keyed by the sha256 of the bytes (checked with sha256sum).
        let juice = try CycloneDXTest.fixture("juice-shop-11.1.2.cyclonedx-npm.cdx-1.4.json")
        #expect(juice.sbomNode?.ref.key == "sha256:ee18ec31491172e1694ee97856de2e1634ba4c13397f23f6a71183735ded0f60")
        #expect(juice.sbomNode?.attributes["producer"] == "cyclonedx-library 1.13.3, cyclonedx-npm 1.9.2")
    }

    @Test("keycloak: log4j and jackson, with maven dependency edges")
    func keycloak() throws {
        let batch = try CycloneDXTest.fixture("keycloak-10.0.2.cyclonedx-maven.cdx-1.2.json")
        let subject = NodeRef(.package, "pkg:maven/org.keycloak/keycloak-parent@10.0.2")
        let log4j = NodeRef(.package, "pkg:maven/log4j/log4j@1.2.17")
        let databind = NodeRef(.package, "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.1")
        let annotations = NodeRef(.package, "pkg:maven/com.fasterxml.jackson.core/jackson-annotations@2.10.1")
        let core = NodeRef(.package, "pkg:maven/org.keycloak/keycloak-core@10.0.2")
        expectEdge(batch, .contains, subject, log4j)
        #expect(batch.node(.package, databind.key)?.attributes["qualifiers"] == "type=jar")
        expectEdge(batch, .dependsOn, databind, annotations)
        expectEdge(batch, .dependsOn, core, databind)
        #expect(batch.node(.package, "pkg:maven/org.apache.logging.log4j/log4j-api@2.10.0") != nil)
    }

    @Test("juice-shop: both lodash versions, nested components, nested bom-refs")
    func juiceShop() throws {
        let batch = try CycloneDXTest.fixture("juice-shop-11.1.2.cyclonedx-npm.cdx-1.4.json")
        let subject = NodeRef(.package, "pkg:npm/juice-shop@14.1.1")
        let lodash = NodeRef(.package, "pkg:npm/lodash@4.17.21")
        let oldLodash = NodeRef(.package, "pkg:npm/lodash@2.4.2")
        expectEdge(batch, .contains, subject, lodash)
        // lodash@2.4.2 is nested under sanitize-html (bom-ref "sanitize-html@1.4.2|lodash@2.4.2").
        expectEdge(batch, .contains, subject, oldLodash)
        expectEdge(batch, .dependsOn, NodeRef(.package, "pkg:npm/archiver-utils@1.3.0"), lodash)
        expectEdge(batch, .dependsOn, NodeRef(.package, "pkg:npm/sanitize-html@1.4.2"), oldLodash)
    }

    @Test("Trivy fluentd: image reference from RepoTag, OS package and gems, root edges skipped")
    func fluentd() throws {
        let batch = try CycloneDXTest.fixture("fluentd.trivy.cdx-1.7.json")
        let subject = NodeRef(.imageReference, "ghcr.io/aquasecurity/trivy-test-images:fluentd-multiple-lockfiles")
        expectEdge(batch, .storedIn, subject, NodeRef(.imageRepository, "ghcr.io/aquasecurity/trivy-test-images"))
        // The tarball path in metadata.component.name made no image-repository node.
        #expect(batch.nodes.filter { $0.ref.kind == .imageRepository }.count == 1)
        let adduser = NodeRef(.package, "pkg:deb/debian/adduser@3.118")
        let edge = try #require(batch.edges(.contains, from: subject, to: adduser).first)
        // Layer and PkgID properties are tool-internal; the others stay on the edge.
        #expect(edge.attributes["property:aquasecurity:trivy:SrcName"] == "adduser")
        #expect(edge.attributes["property:aquasecurity:trivy:LayerDigest"] == nil)
        #expect(edge.attributes["property:aquasecurity:trivy:PkgID"] == nil)
        #expect(batch.node(.package, "pkg:gem/fluentd@1.8.0") != nil)
        // The OS component has no purl: a synthesized generic package.
        #expect(batch.node(.package, "pkg:generic/debian@10.2")?.attributes["synthesized"] == "true")
        // Dependencies from the image root are covered by contains; the rest resolve.
        #expect(batch.edges(.dependsOn, from: subject).isEmpty)
        expectEdge(batch, .dependsOn, NodeRef(.package, "pkg:generic/debian@10.2"), NodeRef(.package, "pkg:deb/debian/apt@1.8.2"))
        expectEdge(batch, .dependsOn, adduser, NodeRef(.package, "pkg:deb/debian/debconf@1.5.71"))
        #expect(batch.warnings.allSatisfy { !$0.message.contains("names no component") })
    }

    @Test("Syft mongo: digest subject with repository, packages in several layers merged")
    func mongo() throws {
        let batch = try CycloneDXTest.fixture("mongo.syft-0.58.0.cdx-1.4.json")
        let subject = NodeRef(.artifact, "sha256:fd73df9425bd48f25d7e913422af8124a6eadbd5d99f67bbd4a8b121f59b1187")
        expectEdge(batch, .storedIn, subject, NodeRef(.imageRepository, "docker.io/library/mongo"))
        #expect(batch.node(subject.kind, subject.key)?.attributes["name"] == "docker.io/library/mongo")
    }

    @Test("Syft 1.38: tagged image reference; file components counted, not packages")
    func policySDK() throws {
        let batch = try CycloneDXTest.fixture("policy-sdk-example.syft-1.38.0.cdx-1.6.json")
        let info = batch.diagnostics.filter { $0.severity == .info }
        #expect(info.contains { $0.message.hasPrefix("4 component(s) of type file were skipped") })
        #expect(batch.warnings.allSatisfy { !$0.message.contains("names no component") })
    }

    @Test("JFrog Xray: sha256__ digest; Xray's odd deb purl kept as written")
    func jfrog() throws {
        let batch = try CycloneDXTest.fixture("jfrog-xray-with-vulns.cdx-1.4.json")
        let subject = try #require(batch.subjectRef)
        expectEdge(batch, .storedIn, subject, NodeRef(.imageRepository, "docker.io/library/maven"))
        #expect(batch.packageKeys == ["pkg:deb/debian:buster:apt@1.8.2.2"])
    }

    @Test("laravel: the 1.1 XML and the 1.4 JSON list the same packages")
    func laravelXMLMatchesJSON() throws {
        let xml = try CycloneDXTest.fixture("laravel-7.12.0.cyclonedx-php-composer.cdx-1.1.xml")
        let json = try CycloneDXTest.fixture("laravel-7.12.0.cyclonedx-php-composer.cdx-1.4.json")
        let subject = "pkg:composer/cyclonedx/cyclonedx-php-composer-demo@dev-master"
        #expect(xml.packageKeys == json.packageKeys.subtracting([subject]))
        #expect(xml.sbomNode?.attributes["format"] == "cyclonedx-xml")
        #expect(xml.sbomNode?.attributes["specVersion"] == "1.1")
        let sbom = try #require(xml.sbomNode?.ref)
        let cors = NodeRef(.package, "pkg:composer/asm89/stack-cors@1.3.0")
        let math = NodeRef(.package, "pkg:composer/brick/math@0.9.3")
        expectEdge(xml, .contains, sbom, cors)
        expectEdge(xml, .contains, sbom, math)
        #expect(xml.node(.package, cors.key).flatMap(xml.location(of:)) == "line:4")
        #expect(xml.node(.package, "pkg:composer/laravel/framework@v7.30.6") != nil)
    }

    @Test("kbom: a platform subject; container components become packages")
    func kbom() throws {
        let batch = try CycloneDXTest.fixture("kbom.trivy.cdx-1.5.json")
        #expect(batch.packageKeys.contains { $0.hasPrefix("pkg:oci/") })
    }
}
