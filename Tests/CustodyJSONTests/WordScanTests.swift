@testable import CustodyJSON
import Testing

/// The eight-bytes-at-a-time whitespace and string scans: every position of the first
/// interesting byte inside a word, runs that straddle words and the end of input, and the
/// bytes that must still stop them (tabs, carriage returns, control characters).
@Suite struct WordScanTests {
    @Test func whitespaceRunsOfEveryLength() throws {
        for blanks in 0..<40 {
            for pattern in [" ", "\n", "\r\n", "\t", " \t\r\n"] {
                let pad = String(repeating: pattern, count: blanks)
                let text = "{\(pad)\"a\"\(pad):\(pad)[\(pad)1\(pad),\(pad)\"x\"\(pad)]\(pad),\(pad)\"b\"\(pad):\(pad)true\(pad)}\(pad)"
                let root = try Support.parse(text)
                #expect(root["a"]?[1]?.string == "x", "pattern \(pattern.debugDescription) × \(blanks)")
                #expect(root["b"]?.bool == true)
            }
        }
    }

    @Test func controlCharacterInsideAWhitespaceRunIsRejectedWhereItIs() throws {
        for offset in 0..<20 {
            let before = String(repeating: " ", count: offset)
            let text = "[1,\n" + before + "\u{0B}" + "        2]"
            let error = try #require(Support.parseError(text))
            #expect(error.message == "unexpected byte 0x0B, expected a value")
            #expect(error.line == 2)
            #expect(error.column == offset + 1)
            // A NUL, the byte a word test is most likely to get wrong, likewise.
            let nul = try #require(Support.parseError(Array("[1,\n".utf8) + Array(repeating: 0x20, count: offset) + [0, 0x32, 0x5D]))
            #expect(nul.byteOffset == 4 + offset)
        }
    }

    @Test func stringScanStopsAtTheExactByte() throws {
        for length in 0..<34 {
            let body = String(repeating: "k", count: length)
            #expect(try Support.parse("[\"\(body)\"]")[0]?.string == body)
            #expect(try Support.parse("[\"\(body)\\n\(body)\"]")[0]?.string == body + "\n" + body)
            #expect(try Support.parse("[\"\(body)é\(body)\"]")[0]?.string == body + "é" + body)
            let control = try #require(Support.parseError("[\"\(body)\u{1F}\(body)\"]"))
            #expect(control.message == "unescaped control character U+001F in string")
            #expect(control.byteOffset == 2 + length)
            let truncated = try #require(Support.parseError("[\"\(body)"))
            #expect(truncated.message == "unexpected end of input inside a string")
        }
    }

    @Test func masksFlagTheFirstByteExactly() {
        // Byte k of the little-endian word is the k-th input byte.
        func word(_ bytes: [UInt8]) -> UInt64 {
            bytes.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        }
        for position in 0..<8 {
            for stop: UInt8 in [0x22, 0x5C, 0x00, 0x1F, 0x80, 0xFF] {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 8)
                bytes[position] = stop
                #expect(SWAR.attention(word(bytes)).trailingZeroBitCount / 8 == position)
            }
            for stop: UInt8 in [0x00, 0x09, 0x0D, 0x21, 0x22, 0x80, 0xA0, 0x0B] {
                var bytes = [UInt8](repeating: 0x20, count: 8)
                if position > 0 { bytes[0] = 0x0A }
                bytes[position] = stop
                #expect(SWAR.notSpaceOrNewline(word(bytes)).trailingZeroBitCount / 8 == position)
            }
        }
        #expect(SWAR.attention(word(Array("abcdefgh".utf8))) == 0)
        #expect(SWAR.notSpaceOrNewline(word([0x20, 0x0A, 0x20, 0x20, 0x0A, 0x0A, 0x20, 0x20])) == 0)
    }
}
