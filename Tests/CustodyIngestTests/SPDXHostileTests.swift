import CustodyCore
@testable import CustodyIngest
import Testing

/// Hostile inputs (Fixtures/spdx/, see Fixtures/README.md, plus inline ones): every one must
/// be rejected with a CustodyError (.rejectedInput) that says where, never crash.
@Suite("SPDX hostile input")
struct SPDXHostileTests {
    @Test func truncatedJSON() throws {
        let bytes = try SPDXKit.local("truncated.spdx.json")
        let error = try #require(SPDXKit.rejection { try SPDXKit.run(SPDXJSONIngestor(), bytes, name: "truncated.spdx.json") })
        #expect(error.code == .rejectedInput)
        #expect(error.location?.path == "truncated.spdx.json")
        #expect(error.location?.line != nil)
    }

    @Test func wrongTypeIsRejectedWithPointer() throws {
        let bytes = try SPDXKit.local("wrong-type-packages.spdx.json")
        let error = try #require(SPDXKit.rejection { try SPDXKit.run(SPDXJSONIngestor(), bytes) })
        #expect(error.code == .rejectedInput)
        #expect(error.location?.pointer == "/packages/1/name")
        #expect(error.location?.line == 7)
    }

    @Test(arguments: [
        (#"[]"#, ""),
        (#"{"spdxVersion": 2.3}"#, "/spdxVersion"),
        (#"{"SPDXID": "SPDXRef-DOCUMENT"}"#, ""),
        (#"{"spdxVersion": "SPDX-2.3", "packages": {"a": 1}}"#, "/packages"),
        (#"{"spdxVersion": "SPDX-2.3", "packages": ["x"]}"#, "/packages/0"),
        (#"{"spdxVersion": "SPDX-2.3", "packages": [{"externalRefs": [{"referenceType": 1}]}]}"#, "/packages/0/externalRefs/0/referenceType"),
        (#"{"spdxVersion": "SPDX-2.3", "documentDescribes": ["a", 7]}"#, "/documentDescribes/1"),
        (#"{"spdxVersion": "SPDX-2.3", "creationInfo": {"creators": "Tool: x", "created": false}}"#, "/creationInfo/created"),
        (#"{"spdxVersion": "SPDX-2.3", "relationships": [{"spdxElementId": "a"}]}"#, "/relationships/0"),
        (#"{"spdxVersion": "SPDX-2.3", "relationships": [{"spdxElementId": "a", "relationshipType": null, "relatedSpdxElement": ["b"]}]}"#,
         "/relationships/0/relatedSpdxElement"),
    ])
    func spdx2WrongShapes(text: String, pointer: String) {
        let error = SPDXKit.rejection { try SPDXKit.run(SPDXJSONIngestor(), text: text) }
        #expect(error?.code == .rejectedInput)
        #expect(error?.location?.pointer == pointer)
    }

    @Test(arguments: [
        (#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": "x"}"#, "/@graph"),
        (#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"}"#, ""),
        (#"{"@graph": [1]}"#, "/@graph/0"),
        (#"{"@graph": [{"type": ["software_Package"]}]}"#, "/@graph/0/type"),
        (#"{"@graph": [{"type": "software_Package", "spdxId": "x", "name": {"a": 1}}]}"#, "/@graph/0/name"),
        (#"{"@graph": [{"type": "software_Package", "verifiedUsing": [{"type": "Hash", "hashValue": 5, "algorithm": "sha256"}]}]}"#,
         "/@graph/0/verifiedUsing/0/hashValue"),
        (#"{"@graph": [{"type": "Relationship", "from": "a", "relationshipType": "contains", "to": [1]}]}"#, "/@graph/0/to/0"),
        (#"{"@graph": [{"type": "Relationship", "to": ["b"]}]}"#, "/@graph/0"),
        (#"{"@graph": [{"type": "SpdxDocument", "rootElement": {"x": 1}}]}"#, "/@graph/0/rootElement"),
    ])
    func spdx3WrongShapes(text: String, pointer: String) {
        let error = SPDXKit.rejection { try SPDXKit.run(SPDX3JSONLDIngestor(), text: text) }
        #expect(error?.code == .rejectedInput)
        #expect(error?.location?.pointer == pointer)
    }

    @Test func deepNesting() throws {
        let bytes = try SPDXKit.local("deep-nesting.spdx.json")
        for ingestor in [SPDXJSONIngestor() as any Ingestor, SPDX3JSONLDIngestor()] {
            let error = try #require(SPDXKit.rejection { try SPDXKit.run(ingestor, bytes) })
            #expect(error.code == .rejectedInput)
            #expect(error.location?.line == 1)
            #expect(error.location?.column != nil)
        }
    }

    @Test func invalidUTF8InJSON() throws {
        let bytes = try SPDXKit.local("invalid-utf8.spdx.json")
        let error = try #require(SPDXKit.rejection { try SPDXKit.run(SPDXJSONIngestor(), bytes) })
        #expect(error.code == .rejectedInput)
        #expect(error.location?.line == 3)
    }

    @Test func binaryGarbageInTagValue() throws {
        let bytes = try SPDXKit.local("binary-garbage.spdx")
        let error = try #require(SPDXKit.rejection { try SPDXKit.run(SPDXTagValueIngestor(), bytes) })
        #expect(error.code == .rejectedInput)
        // Lines 1–6 are a valid header and `PackageName: x`; byte 0x00 starts line 7.
        #expect(error.location?.line == 7)
        #expect(error.location?.column == 1)
    }

    @Test func unterminatedText() throws {
        let bytes = try SPDXKit.local("unterminated-text.spdx")
        let error = try #require(SPDXKit.rejection { try SPDXKit.run(SPDXTagValueIngestor(), bytes) })
        #expect(error.code == .rejectedInput)
        #expect(error.location?.line == 9)
        #expect(error.message.contains("<text>"))
    }

    @Test func invalidUTF8InTagValue() throws {
        let bytes = try SPDXKit.local("invalid-utf8.spdx")
        let error = try #require(SPDXKit.rejection { try SPDXKit.run(SPDXTagValueIngestor(), bytes) })
        #expect(error.code == .rejectedInput)
        // `PackageName: caf\xC3\x28` on line 7: the bad sequence is the 17th scalar.
        #expect(error.location?.line == 7)
        #expect(error.location?.column == 17)
    }

    @Test(arguments: [
        [UInt8](),
        Array("not spdx at all\n".utf8),
        Array("PackageName: orphan\nSPDXID: SPDXRef-x\n".utf8),
        [0xEF, 0xBB, 0xBF],
        Array("SPDXVersion: SPDX-2.3\nPackageName: a\u{7F}b\n".utf8),
        Array("SPDXVersion: SPDX-2.3\nPackageComment: <text>never closed".utf8),
        [0x53, 0x50, 0x44, 0x58, 0xED, 0xA0, 0x80],
        [0xF4, 0x90, 0x80, 0x80],
        [0xC0, 0xAF],
    ])
    func tagValueRejections(bytes: [UInt8]) {
        let error = SPDXKit.rejection { try SPDXKit.run(SPDXTagValueIngestor(), bytes) }
        #expect(error?.code == .rejectedInput)
        #expect(error?.location?.line != nil)
    }

    @Test func tagValueToleratesJunkLinesWithAWarning() throws {
        let text = "SPDXVersion: SPDX-2.3\nthis line has no tag\n: empty tag\nDocumentNamespace: https://example.invalid/x\n"
        let batch = try SPDXKit.run(SPDXTagValueIngestor(), text: text)
        #expect(SPDXKit.sbom(batch)?.key == "https://example.invalid/x")
        #expect(batch.diagnostics.contains { $0.severity == .warning && $0.message.contains("2 line(s)") && $0.location == "line:2" })
    }

    @Test func manyRandomMutationsNeverCrash() throws {
        // Deterministic byte flips over a real document: each must parse or be rejected.
        let original = try SPDXKit.shared("hello-server.k8s-bom.spdx-2.3.json")
        let tagValue = try SPDXKit.shared("example6-bin.tools-golang.spdx-2.2.spdx")
        let ld = try SPDXKit.shared("appbomination.spdx-3.0.1.jsonld.json")
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let cases: [(any Ingestor, [UInt8])] = [(SPDXJSONIngestor(), original), (SPDXTagValueIngestor(), tagValue), (SPDX3JSONLDIngestor(), ld)]
        for (ingestor, source) in cases {
            for _ in 0..<150 {
                var bytes = source
                for _ in 0..<(1 + next() % 4) {
                    let index = next() % bytes.count
                    switch next() % 3 {
                    case 0: bytes[index] = UInt8(truncatingIfNeeded: next())
                    case 1: bytes.remove(at: index)
                    default: bytes = Array(bytes[..<index])
                    }
                    if bytes.isEmpty { break }
                }
                do {
                    _ = try SPDXKit.run(ingestor, bytes)
                } catch let error as CustodyError {
                    #expect(error.code == .rejectedInput)
                    #expect(error.location != nil)
                }
            }
        }
    }
}
