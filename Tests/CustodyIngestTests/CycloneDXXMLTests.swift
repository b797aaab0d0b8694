import CustodyCore
import CustodyIngest
import Testing

/// XML-specific reading: namespaces, metadata, nesting, what is not inventory.
@Suite("CycloneDX XML")
struct CycloneDXXMLTests {
    static let hex = "76b3a085de0a8fd6c43bbca912fed3f01baae2e5250fea3d71cdfc2ca4310210"

    static let document = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!-- written by hand after cyclonedx-maven 2.7 output -->
        <bom xmlns="http://cyclonedx.org/schema/bom/1.5" xmlns:ext="urn:example:ext"
             serialNumber="urn:uuid:D8D6E75E-CA23-4AC8-8409-614CCF56CE9D" version="3">
          <metadata>
            <timestamp>2025-09-08T13:51:44Z</timestamp>
            <tools>
              <components>
                <component type="application"><group>org.cyclonedx</group><name>cyclonedx-maven-plugin</name><version>2.7.9</version></component>
              </components>
            </tools>
            <component type="container" bom-ref="img">
              <name>registry.acme.example/acme/orders-api</name>
              <version>1.0.0</version>
              <hashes><hash alg="SHA-256">\(hex.uppercased())</hash></hashes>
              <properties><property name="aquasecurity:trivy:RepoTag">registry.acme.example/acme/orders-api:1.0.0</property></properties>
            </component>
          </metadata>
          <components>
            <component type="library" bom-ref="pkg:maven/org.acme/app@1.0?type=war">
              <group>org.acme</group>
              <name>app</name>
              <version>1.0</version>
              <purl>pkg:maven/org.acme/app@1.0?type=war</purl>
              <properties>
                <property name="acme:runtime">server</property>
                <property name="syft:package:foundBy">java-cataloger</property>
              </properties>
              <pedigree><ancestors><component type="library"><name>upstream</name><purl>pkg:maven/org.up/app@0.9</purl></component></ancestors></pedigree>
              <components>
                <component type="library" bom-ref="log4j">
                  <name>log4j-core</name><version>2.14.1</version>
                  <purl><![CDATA[pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar]]></purl>
                </component>
              </components>
            </component>
            <component type="file" bom-ref="file-1"><name>/app/config.yml</name></component>
            <ext:component><name>not inventory</name></ext:component>
          </components>
          <services><service><name>api</name></service></services>
          <dependencies>
            <dependency ref="img"><dependency ref="pkg:maven/org.acme/app@1.0?type=war"/></dependency>
            <dependency ref="pkg:maven/org.acme/app@1.0?type=war">
              <dependency ref="log4j"/>
              <dependency ref="file-1"/>
              <dependency ref="nowhere"/>
            </dependency>
            <dependency ref="log4j"/>
          </dependencies>
        </bom>
        """

    @Test("metadata, subject by hash, nested inventory, pedigree and extensions skipped")
    func fullDocument() throws {
        let batch = try CycloneDXTest.xml(Self.document)
        let sbom = try #require(batch.sbomNode)
        #expect(sbom.ref.key == "urn:cdx:d8d6e75e-ca23-4ac8-8409-614ccf56ce9d/3")
        #expect(sbom.attributes["specVersion"] == "1.5")
        #expect(sbom.attributes["producer"] == "cyclonedx-maven-plugin 2.7.9")
        #expect(sbom.attributes["createdAt"] == "2025-09-08T13:51:44Z")

        let subject = NodeRef(.artifact, "sha256:" + Self.hex)
        #expect(batch.subjectRef == subject)
        expectEdge(batch, .refersTo, NodeRef(.imageReference, "registry.acme.example/acme/orders-api:1.0.0"), subject)

        let app = NodeRef(.package, "pkg:maven/org.acme/app@1.0")
        let log4j = NodeRef(.package, "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")
        #expect(batch.packageKeys == [app.key, log4j.key])
        let edge = try #require(batch.edges(.contains, from: subject, to: app).first)
        #expect(edge.attributes == ["property:acme:runtime": "server"])
        #expect(batch.location(of: edge) == "line:20")
        expectEdge(batch, .contains, subject, log4j)
        expectEdge(batch, .dependsOn, app, log4j)
        #expect(batch.edges(.dependsOn).count == 1)
        #expect(batch.warnings.filter { $0.message.contains("names no component") }.count == 1)
        #expect(batch.diagnostics.contains { $0.severity == .info && $0.message.hasPrefix("1 component(s) of type file") })
    }

    @Test("1.2–1.4 legacy tools and a metadata component with a purl")
    func legacyTools() throws {
        let batch = try CycloneDXTest.xml("""
            <bom xmlns="http://cyclonedx.org/schema/bom/1.3" version="1">
              <metadata>
                <tools><tool><vendor>CycloneDX</vendor><name>cyclonedx-gomod</name><version>v1.0.0</version></tool></tools>
                <component type="application" bom-ref="root">
                  <name>bridge</name><version>v1.8.0</version>
                  <purl>pkg:golang/github.com/ProtonMail/proton-bridge@v1.8.0</purl>
                </component>
              </metadata>
              <components>
                <component type="library"><name>toml</name><version>v0.3.1</version><purl>pkg:golang/github.com/BurntSushi/toml@v0.3.1</purl></component>
              </components>
            </bom>
            """)
        #expect(batch.sbomNode?.attributes["producer"] == "cyclonedx-gomod v1.0.0")
        #expect(batch.subjectRef == NodeRef(.package, "pkg:golang/github.com/ProtonMail/proton-bridge@v1.8.0"))
        #expect(batch.packageKeys.contains("pkg:golang/github.com/BurntSushi/toml@v0.3.1"))
    }

    @Test("not CycloneDX, unsupported schema, bad version attribute")
    func wrongDocuments() throws {
        let other = CycloneDXTest.rejection { try CycloneDXTest.xml(#"<project xmlns="http://maven.apache.org/POM/4.0.0"/>"#) }
        #expect(other?.code == .rejectedInput)
        #expect(other?.message.contains("not a CycloneDX XML document") == true)

        let future = CycloneDXTest.rejection { try CycloneDXTest.xml(#"<bom xmlns="http://cyclonedx.org/schema/bom/2.0"/>"#) }
        #expect(future?.message.contains("unsupported") == true)

        let version = CycloneDXTest.rejection {
            try CycloneDXTest.xml("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"\n version=\"one\"/>")
        }
        #expect(version?.location?.line != nil)
    }
}
