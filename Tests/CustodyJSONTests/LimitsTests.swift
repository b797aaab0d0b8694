import CustodyJSON
import Testing

/// Hostile-input limits: depth, string length, document size.
@Suite struct LimitsTests {
    @Test func hundredThousandOpenBracketsHitDepthLimit() throws {
        let error = try #require(Support.parseError([UInt8](repeating: UInt8(ascii: "["), count: 100_000)))
        #expect(error.message == "nesting deeper than 512 levels")
        #expect(error.byteOffset == 512)
        #expect(error.column == 513)
    }

    @Test func depthLimitIsInclusive() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        _ = try JSONDocument(string: ok)
        let tooDeep = String(repeating: "{\"a\":", count: 513) + "1" + String(repeating: "}", count: 513)
        #expect(Support.parseError(tooDeep)?.message == "nesting deeper than 512 levels")
        let lowered = JSONLimits(maxDepth: 2)
        #expect(Support.parseError("[[[]]]", limits: lowered)?.message == "nesting deeper than 2 levels")
        _ = try JSONDocument(string: "[[]]", limits: lowered)
    }

    @Test func deepNestingWithRaisedLimitIsIterative() throws {
        let depth = 100_000
        let bytes = [UInt8](repeating: UInt8(ascii: "["), count: depth) + [UInt8](repeating: UInt8(ascii: "]"), count: depth)
        let doc = try JSONDocument(bytes: bytes, limits: JSONLimits(maxDepth: depth))
        #expect(doc.root.count == 1)
        #expect(doc.tapeWordCount == 2 * depth)
        #expect(doc.root.elements.first?.elements.first?.kind == .array)
    }

    @Test func longStringOverLoweredLimit() throws {
        let limits = JSONLimits(maxStringBytes: 1 << 10)
        let big = "[\"" + String(repeating: "x", count: 1 << 20) + "\"]"
        let error = try #require(Support.parseError(big, limits: limits))
        #expect(error.message == "string longer than 1 KiB")
        #expect(error.byteOffset == 1, "points at the opening quote")
        let exact = "\"" + String(repeating: "y", count: 1 << 10) + "\""
        #expect(try JSONDocument(string: exact, limits: limits).root.string?.utf8.count == 1 << 10)
        let oneOver = "\"" + String(repeating: "y", count: (1 << 10) + 1) + "\""
        #expect(Support.parseError(oneOver, limits: limits)?.message == "string longer than 1 KiB")
    }

    @Test func stringLimitCountsRawEscapedBytes() throws {
        let limits = JSONLimits(maxStringBytes: 10)
        #expect(Support.parseError(#""\u0041\u0042""#, limits: limits)?.message == "string longer than 10 bytes")
        #expect(try JSONDocument(string: #""\u0041\n""#, limits: limits).root.string == "A\n")
        // A key is a string too; unterminated huge strings fail on length, not end of input.
        let unterminated = "{\"" + String(repeating: "k", count: 100)
        #expect(Support.parseError(unterminated, limits: limits)?.message == "string longer than 10 bytes")
    }

    @Test func longMixedStringDecodesExactly() throws {
        // Exercise the SWAR fast path with a mix of ASCII, escapes and multi-byte text.
        let piece = "abcdefgh\\n\\u00e9é😀\\\"" // raw JSON fragment
        let text = "\"" + String(repeating: piece, count: 10_000) + "\""
        let decoded = try #require(try JSONDocument(string: text).root.string)
        #expect(decoded == String(repeating: "abcdefgh\néé😀\"", count: 10_000))
    }

    @Test func documentSizeLimit() throws {
        let error = try #require(Support.parseError("[1, 2, 3, 4]", limits: JSONLimits(maxDocumentBytes: 10)))
        #expect(error.message == "document larger than 10 bytes")
        _ = try JSONDocument(string: "[1,2,3,4]", limits: JSONLimits(maxDocumentBytes: 9))
    }
}
