import CustodyCore
@testable import CustodyIngest
import CustodyJSON
import Testing

/// `CycloneDXJSONReader.walkReadingAhead` (large component arrays read a chunk ahead on
/// another core) must give exactly the facts, diagnostics and errors of the one-core walk.
@Suite("CycloneDX JSON read-ahead")
struct CycloneDXReadAheadTests {
    /// Facts as comparable text: every node and edge with its location, every diagnostic.
    static func describe(_ batch: FactBatch) -> [String] {
        let nodes = batch.nodes.map { node in
            "node \(node.ref.kind) \(node.ref.key) \(node.attributes.sorted { $0.key < $1.key }) at \(batch.location(of: node) ?? "-")"
        }
        let edges = batch.edges.map { edge in
            "edge \(edge.kind) \(batch.nodes[Int(edge.from)].ref.key) -> \(batch.nodes[Int(edge.to)].ref.key) "
                + "\(edge.attributes.sorted { $0.key < $1.key }) at \(batch.location(of: edge) ?? "-")"
        }
        return nodes + edges + batch.diagnostics.map(\.description)
    }

    static func read(_ bytes: [UInt8], readAhead: Bool) throws -> FactBatch {
        let document = try JSONDocument(bytes: bytes)
        let reader = CycloneDXJSONReader(source: "big.cdx.json", bytes: bytes, readAheadMinimum: readAhead ? 1 : .max)
        return try reader.read(document.root)
    }

    /// `count` components: purls valid and invalid, one without a purl, a file component,
    /// nested components in the middle of a chunk, duplicate bom-refs; dependencies.
    static func sbom(components count: Int, badComponentAt bad: Int? = nil) -> [UInt8] {
        var parts: [String] = []
        for i in 0..<count {
            let purl: String = switch i % 50 {
            case 7: #","purl":"not a purl""#
            case 11: ""
            default: #","purl":"pkg:npm/p\#(i % 3_000)@1.\#(i % 7).0""#
            }
            let type = i % 97 == 5 ? "file" : "library"
            let ref = i % 1_000 == 3 ? "dup" : "r\(i)"
            let nested = i % 1_500 == 700 ? #","components":[{"bom-ref":"n\#(i)","name":"inner","purl":"pkg:pypi/inner@\#(i)"}]"# : ""
            if i == bad {
                parts.append(#"{"bom-ref":"r\#(i)","name":"broken","purl":42}"#)
            } else {
                parts.append(#"{"bom-ref":"\#(ref)","type":"\#(type)","name":"p\#(i)","version":"1"\#(purl)\#(nested)}"#)
            }
        }
        let dependencies = (0..<count).map { i in #"{"ref":"r\#(i)","dependsOn":["r\#((i * 7 + 1) % count)","n700","missing"]}"# }
        let text = #"{"bomFormat":"CycloneDX","specVersion":"1.6","metadata":{"component":{"type":"container","name":"img","version":"sha256:"#
            + String(repeating: "cd", count: 32) + #""}},"components":["# + parts.joined(separator: ",")
            + #"],"dependencies":["# + dependencies.joined(separator: ",") + "]}"
        return Array(text.utf8)
    }

    @Test("the same facts and diagnostics as the one-core walk, across chunk boundaries")
    func sameFacts() throws {
        // Not a multiple of the chunk size, so the last chunk is short.
        let bytes = Self.sbom(components: CycloneDXJSONReader.readAheadChunk * 4 + 321)
        let oneCore = try Self.read(bytes, readAhead: false)
        let twoCores = try Self.read(bytes, readAhead: true)
        #expect(oneCore.nodes.count > 4_000)
        #expect(oneCore.diagnostics.contains { $0.message.contains("invalid purl") })
        #expect(oneCore.nodes.contains { $0.ref.key.hasPrefix("pkg:pypi/inner@") })
        #expect(Self.describe(twoCores) == Self.describe(oneCore))
    }

    @Test("an invalid component fails with the one-core walk's error, wherever its chunk is")
    func sameError() throws {
        for bad in [0, CycloneDXJSONReader.readAheadChunk - 1, CycloneDXJSONReader.readAheadChunk * 2 + 5] {
            let bytes = Self.sbom(components: CycloneDXJSONReader.readAheadChunk * 3, badComponentAt: bad)
            let oneCore = #expect(throws: CustodyError.self) { try Self.read(bytes, readAhead: false) }
            let twoCores = #expect(throws: CustodyError.self) { try Self.read(bytes, readAhead: true) }
            #expect(oneCore?.location?.pointer?.hasPrefix("/components/\(bad)/") == true)
            #expect(twoCores.map { "\($0)" } == oneCore.map { "\($0)" })
            #expect(twoCores?.location == oneCore?.location)
        }
    }
}
