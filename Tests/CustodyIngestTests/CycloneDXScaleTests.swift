import CustodyCore
import CustodyIngest
import Foundation
import Testing

/// Scale: a generated Syft-shaped SBOM. The default run uses 2,000 components (debug builds are far
/// slower); `CUSTODY_PERF=1 swift test -c release --filter CycloneDXScale` runs the full
/// 100,000-component / 300,000-edge, ~50 MB document and checks the 0.4 s budget.
@Suite("CycloneDX scale")
struct CycloneDXScaleTests {
    static let fullScale = ProcessInfo.processInfo.environment["CUSTODY_PERF"] != nil

    /// `components` Syft-like components (purl + package-id bom-ref, three properties, two of
    /// them Syft bookkeeping), a digest subject, and three dependsOn refs per component (one of them to a
    /// file component, which is skipped without a warning).
    static func generate(components: Int) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(components * 560)
        func append(_ text: String) { out.append(contentsOf: text.utf8) }
        append("""
            {"$schema":"http://cyclonedx.org/schema/bom-1.6.schema.json","bomFormat":"CycloneDX","specVersion":"1.6",
            "serialNumber":"urn:uuid:8b9701e9-13ef-41d0-8c4b-43931744639f","version":1,
            "metadata":{"timestamp":"2025-11-20T18:44:24Z","tools":{"components":[{"type":"application","author":"anchore","name":"syft","version":"1.38.0"}]},
            "component":{"bom-ref":"5cdd1fefd958c6fb","type":"container","name":"ghcr.io/acme/big",
            "version":"sha256:\(String(repeating: "ab", count: 32))"}},
            "components":[
            """)
        func ref(_ i: Int) -> String { "pkg:npm/pkg-\(i)@1.\(i % 97).0?package-id=\(String(i, radix: 16))a3f9c2" }
        for i in 0..<components {
            if i > 0 { append(",\n") }
            let version = "1.\(i % 97).0"
            append("""
                {"bom-ref":"\(ref(i))","type":"library","name":"pkg-\(i)","version":"\(version)",\
                "purl":"pkg:npm/pkg-\(i)@\(version)","properties":[\
                {"name":"syft:package:foundBy","value":"javascript-lock-cataloger"},\
                {"name":"syft:location:0:path","value":"/app/node_modules/pkg-\(i)/package.json"},\
                {"name":"acme:runtime","value":"\(i % 3 == 0 ? "browser" : "node")"}]}
                """)
        }
        append(#",{"bom-ref":"file-1","type":"file","name":"/app/package-lock.json"}],"dependencies":["#)
        for i in 0..<components {
            if i > 0 { append(",\n") }
            append(#"{"ref":"\#(ref(i))","dependsOn":["\#(ref((i + 1) % components))","\#(ref((i + 2) % components))","file-1"]}"#)
        }
        append("]}\n")
        return out
    }

    @Test("generated SBOM: every component and edge, no warnings; timed at full scale")
    func generated() throws {
        let count = Self.fullScale ? 100_000 : 2_000
        let bytes = Self.generate(components: count)
        let input = IngestInput(source: "generated.cdx.json", fileName: "generated.cdx.json", bytes: bytes)
        let ingestor = CycloneDXJSONIngestor()
        let clock = ContinuousClock()
        var batch = FactBatch()
        var best = Duration.seconds(1_000)
        for _ in 0..<(Self.fullScale ? 3 : 1) {
            let start = clock.now
            batch = try ingestor.ingest(input)
            best = min(best, clock.now - start)
        }
        print("CycloneDX JSON ingest of \(bytes.count) bytes, \(count) components: best \(best)")
        #expect(batch.packageKeys.count == count)
        #expect(batch.edges(.contains).count == count)
        #expect(batch.edges(.dependsOn).count == 2 * count)
        #expect(batch.warnings.isEmpty)
        if Self.fullScale {
            #expect(bytes.count > 40_000_000)
            #if !DEBUG
            #expect(best < .milliseconds(400))
            #endif
        }
    }
}
