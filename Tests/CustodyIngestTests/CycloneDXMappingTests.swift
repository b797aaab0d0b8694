import CustodyCore
import CustodyIngest
import Testing

/// Fact mapping rules, on the scenario SBOMs and on small hand-written documents.
@Suite("CycloneDX mapping")
struct CycloneDXMappingTests {
    // MARK: - Scenario D (Syft 1.32 SBOMs with an acme:runtime property)

    /// Subject digests read off `metadata.component.version` of each file; package counts with
    /// the same Python walk as the fixture tests (all components have purls except the OS one).
    @Test("scenario D: digest subjects and acme:runtime on contains edges",
          arguments: [
              ("orders-api-1.0.0.cdx.json", "sha256:76b3a085de0a8fd6c43bbca912fed3f01baae2e5250fea3d71cdfc2ca4310210",
               "pkg:npm/debug@4.4.2", "node", 22),
              ("storefront-web-2025.09.08-412.cdx.json", "sha256:0e110db804a4d594dfa240fd69b57cadb491fde2c6c6077b60719c73e714e21b",
               "pkg:npm/debug@4.4.1", "browser", 28),
              ("storefront-web-2025.09.08-413.cdx.json", "sha256:0137dfe999c7744ad7652b2ac5fa20cf2896678c79a2507ab74b762fd970ee46",
               "pkg:npm/debug@4.4.2", "browser", 28),
              ("storefront-web-2025.09.09-414.cdx.json", "sha256:d033cac4f8f25fe2969e10a6e10911693c1863b429b872c5396b71e98d69e4f1",
               "pkg:npm/debug@4.4.1", "browser", 28),
          ])
    func scenarioD(file: String, digest: String, debug: String, runtime: String, packages: Int) throws {
        let batch = try CycloneDXTest.scenario("D-chalk-debug/sbom/" + file)
        let subject = NodeRef(.artifact, digest)
        #expect(batch.subjectRef == subject)
        #expect(batch.packageKeys.count == packages)
        let edge = try #require(batch.edges(.contains, from: subject, to: NodeRef(.package, debug)).first)
        #expect(edge.attributes["property:acme:runtime"] == runtime)
        // Syft's bookkeeping properties stay off the edge.
        #expect(!edge.attributes.keys.contains { $0.hasPrefix("property:syft:package:") })
        #expect(edge.firstSeen != nil && edge.firstSeen == edge.lastSeen)
        expectEdge(batch, .storedIn, subject, NodeRef(.imageRepository, "registry.acme.example/acme/" + (file.hasPrefix("orders") ? "orders-api" : "storefront-web")))
    }

    @Test("scenario D: chalk@5.6.1 is a build-time package of storefront 413")
    func chalk() throws {
        let batch = try CycloneDXTest.scenario("D-chalk-debug/sbom/storefront-web-2025.09.08-413.cdx.json")
        let subject = NodeRef(.artifact, "sha256:0137dfe999c7744ad7652b2ac5fa20cf2896678c79a2507ab74b762fd970ee46")
        let edge = try #require(batch.edges(.contains, from: subject, to: NodeRef(.package, "pkg:npm/chalk@5.6.1")).first)
        #expect(edge.attributes["property:acme:runtime"] == "build")
        #expect(batch.location(of: edge)?.hasPrefix("/components/") == true)
    }

    // MARK: - Subjects

    static func container(_ component: String, extra: String = "") -> String {
        """
        {"bomFormat":"CycloneDX","specVersion":"1.6","serialNumber":"urn:uuid:3ff14136-e09f-4df9-80ea-000000000014","version":2,
         "metadata":{"timestamp":"2021-08-25T12:20:30+00:00","component":\(component)}\(extra)}
        """
    }

    static let hex = "a27f8ee1dcd6e4f0d1f6cf3b2d1e1d2b0a6a8b6e1c0a3c9f5c1b2a3d4e5fb177"

    @Test("Trivy purl subject: digest, repository_url, tag qualifier")
    func trivyPurl() throws {
        let batch = try CycloneDXTest.json(Self.container("""
            {"bom-ref":"r","type":"container","name":"rails:latest",
             "purl":"pkg:oci/rails@sha256%3A\(Self.hex)?arch=arm64&repository_url=index.docker.io%2Flibrary%2Frails&tag=7.1"}
            """))
        let subject = NodeRef(.artifact, "sha256:" + Self.hex)
        #expect(batch.subjectRef == subject)
        #expect(batch.sbomNode?.ref.key == "urn:cdx:3ff14136-e09f-4df9-80ea-000000000014/2")
        expectEdge(batch, .storedIn, subject, NodeRef(.imageRepository, "docker.io/library/rails"))
        expectEdge(batch, .refersTo, NodeRef(.imageReference, "docker.io/library/rails:7.1"), subject)
    }

    @Test("Trivy RepoDigest property and upper-case SHA-256 hash give the digest")
    func repoDigestAndHash() throws {
        let byProperty = try CycloneDXTest.json(Self.container("""
            {"type":"container","name":"app.tar","properties":[
              {"name":"aquasecurity:trivy:RepoDigest","value":"ghcr.io/acme/app@sha256:\(Self.hex)"},
              {"name":"aquasecurity:trivy:RepoTag","value":"ghcr.io/acme/app:1.4.2"}]}
            """))
        let subject = NodeRef(.artifact, "sha256:" + Self.hex)
        #expect(byProperty.subjectRef == subject)
        expectEdge(byProperty, .refersTo, NodeRef(.imageReference, "ghcr.io/acme/app:1.4.2"), subject)

        let byHash = try CycloneDXTest.json(Self.container("""
            {"type":"container","name":"ghcr.io/acme/app","hashes":[{"alg":"SHA-256","content":"\(Self.hex.uppercased())"}]}
            """))
        #expect(byHash.subjectRef == subject)
    }

    @Test("container without digest: image reference from name and version (tag)")
    func taggedContainer() throws {
        let batch = try CycloneDXTest.json(Self.container("""
            {"type":"container","name":"registry.example.com/team/app","version":"1.4.2"}
            """))
        #expect(batch.subjectRef == NodeRef(.imageReference, "registry.example.com/team/app:1.4.2"))
    }

    @Test("application subject with purl; no metadata component; bad subject purl")
    func otherSubjects() throws {
        let app = try CycloneDXTest.json(Self.container("""
            {"type":"application","name":"payments","version":"2.0","purl":"pkg:npm/%40acme/payments@2.0?x=1"}
            """))
        #expect(app.subjectRef == NodeRef(.package, "pkg:npm/%40acme/payments@2.0"))

        let none = try CycloneDXTest.json(#"{"bomFormat":"CycloneDX","specVersion":"1.4","version":1}"#)
        #expect(none.subjectRef?.kind == .sbom)
        #expect(none.sbomNode?.ref.key.hasPrefix("sha256:") == true)

        let bad = try CycloneDXTest.json(Self.container(#"{"type":"application","name":"x","purl":"not a purl"}"#))
        #expect(bad.subjectRef?.kind == .sbom)
        #expect(bad.warnings.contains { $0.message.contains("invalid purl") && $0.location == "/metadata/component" })
    }

    // MARK: - Components and dependencies

    @Test("nested components, file skip, properties, bad purl, dependencies")
    func componentsAndDependencies() throws {
        let batch = try CycloneDXTest.json(Self.container(
            #"{"bom-ref":"root","type":"application","name":"svc","purl":"pkg:generic/svc@1","components":[{"bom-ref":"inner","type":"library","name":"inner","purl":"pkg:npm/inner@1"}]}"#,
            extra: #"""
            ,"components":[
              {"bom-ref":"a","type":"library","name":"a","purl":"pkg:npm/a@1","properties":[
                 {"name":"acme:runtime","value":"node"},{"name":"syft:location:0:path","value":"/x"},
                 {"name":"aquasecurity:trivy:PkgID","value":"a@1"}],
               "components":[{"bom-ref":"b","type":"library","name":"b","purl":"pkg:npm/b@2"}]},
              {"bom-ref":"f","type":"file","name":"/etc/passwd"},
              {"bom-ref":"c","type":"library","name":"c","version":"3","purl":"pkg:"},
              {"bom-ref":"d","type":"library","name":"d","version":"4"}
            ],
            "dependencies":[
              {"ref":"root","dependsOn":["a","inner"]},
              {"ref":"a","dependsOn":["b","f","ghost","root"]},
              {"ref":"b","dependsOn":[]},
              {"ref":"c"},
              {"ref":"ghost2","dependsOn":["a"]},
              {"ref":"urn:cdx:3ff14136-e09f-4df9-80ea-000000000014/2#inner","dependsOn":["urn:cdx:3ff14136-e09f-4df9-80ea-000000000014/2#d"]}
            ]
            """#))
        let subject = NodeRef(.package, "pkg:generic/svc@1")
        #expect(batch.subjectRef == subject)
        #expect(batch.packageKeys == ["pkg:generic/svc@1", "pkg:npm/inner@1", "pkg:npm/a@1", "pkg:npm/b@2",
                                      "pkg:generic/c@3", "pkg:generic/d@4"])
        let a = NodeRef(.package, "pkg:npm/a@1")
        let b = NodeRef(.package, "pkg:npm/b@2")
        let edge = try #require(batch.edges(.contains, from: subject, to: a).first)
        #expect(edge.attributes == ["property:acme:runtime": "node"])
        #expect(batch.edges(.contains, from: subject, to: b).first.flatMap(batch.location(of:)) == "/components/0/components/0")
        #expect(batch.node(.package, "pkg:npm/inner@1").flatMap(batch.location(of:)) == "/metadata/component/components/0")
        expectEdge(batch, .dependsOn, a, b)
        expectEdge(batch, .dependsOn, NodeRef(.package, "pkg:npm/inner@1"), NodeRef(.package, "pkg:generic/d@4"))
        #expect(batch.edges(.dependsOn).count == 2)
        #expect(batch.warnings.contains { $0.message.contains("invalid purl") && $0.location == "/components/2" })
        let unknown = batch.warnings.filter { $0.message.contains("names no component") }
        #expect(unknown.map(\.location) == ["/dependencies/1/dependsOn/2", "/dependencies/4/ref"])
        #expect(batch.diagnostics.contains { $0.severity == .info && $0.message.hasPrefix("1 component(s) of type file") })
    }

    @Test("unknown refs: 20 warnings, then one count")
    func unknownRefCap() throws {
        let refs = (0..<50).map { "\"ghost\($0)\"" }.joined(separator: ",")
        let batch = try CycloneDXTest.json(Self.container(#"{"type":"library","name":"x"}"#, extra: """
            ,"components":[{"bom-ref":"a","type":"library","name":"a","purl":"pkg:npm/a@1"}],
             "dependencies":[{"ref":"a","dependsOn":[\(refs)]}]
            """))
        let unknown = batch.warnings.filter { $0.message.contains("no component") }
        #expect(unknown.count == 21)
        #expect(unknown.last?.message.hasPrefix("30 more") == true)
    }

    @Test("tools array (≤1.4) and object (1.5+) both give the producer; bad timestamp is a warning")
    func toolsAndTime() throws {
        let array = try CycloneDXTest.json(#"""
            {"bomFormat":"CycloneDX","specVersion":"1.4","metadata":{"timestamp":"yesterday",
             "tools":[{"vendor":"anchore","name":"syft","version":"0.58.0"}]}}
            """#)
        #expect(array.sbomNode?.attributes["producer"] == "syft 0.58.0")
        #expect(array.sbomNode?.attributes["createdAt"] == nil)
        #expect(array.warnings.contains { $0.location == "/metadata/timestamp" })

        let object = try CycloneDXTest.json(#"""
            {"bomFormat":"CycloneDX","specVersion":"1.7","metadata":{"timestamp":"2025-09-08T12:32:06.5Z",
             "tools":{"components":[{"name":"syft","version":"1.32.0"}],"services":[{"name":"scanner-api"}]}}}
            """#)
        #expect(object.sbomNode?.attributes["producer"] == "syft 1.32.0, scanner-api")
        #expect(object.sbomNode?.attributes["createdAt"]?.hasPrefix("2025-09-08T12:32:06.5") == true)

        // Each tool once, in the order first listed (a crafted list of thousands included).
        let tools = (0..<5_000).map { #"{"name":"t\#($0 % 3)"}"# as String }.joined(separator: ",")
        let repeated = try CycloneDXTest.json(#"{"bomFormat":"CycloneDX","specVersion":"1.4","metadata":{"tools":[\#(tools)]}}"#)
        #expect(repeated.sbomNode?.attributes["producer"] == "t0, t1, t2")
    }

    @Test("detection")
    func detection() {
        let json = DetectionSample(fileName: "x.json", bytes: Array(#"{"bomFormat": "CycloneDX", "specVersion": "1.6"}"#.utf8))
        #expect(CycloneDXJSONIngestor().detect(json) == .high)
        #expect(CycloneDXXMLIngestor().detect(json) == .none)
        let spdx = DetectionSample(fileName: "x.spdx.json", bytes: Array(#"{"spdxVersion": "SPDX-2.3"}"#.utf8))
        #expect(CycloneDXJSONIngestor().detect(spdx) == .none)
        let xml = DetectionSample(fileName: "bom.xml", bytes: Array(#"<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.4">"#.utf8))
        #expect(CycloneDXXMLIngestor().detect(xml) == .high)
        #expect(CycloneDXJSONIngestor().detect(xml) == .none)
        #expect(CycloneDXJSONIngestor().descriptor.id == "cyclonedx-json")
        #expect(CycloneDXXMLIngestor().descriptor.id == "cyclonedx-xml")
    }
}
