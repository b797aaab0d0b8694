import CustodyJSON
import Testing

/// Every error class, with its message and location.
@Suite struct ErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var input: [UInt8]
        var message: String
        var line: Int
        var column: Int
        var testDescription: String { message }

        init(_ text: String, _ message: String, _ line: Int, _ column: Int) {
            self.init(Array(text.utf8), message, line, column)
        }

        init(_ bytes: [UInt8], _ message: String, _ line: Int, _ column: Int) {
            self.input = bytes
            self.message = message
            self.line = line
            self.column = column
        }
    }

    static let cases: [Case] = [
        Case("", "empty input", 1, 1),
        Case("  \n ", "empty input", 2, 2),
        Case([0xEF, 0xBB, 0xBF], "empty input", 1, 1),
        Case(#"{"a": 1,}"#, "trailing comma before '}'", 1, 9),
        Case("[1,2,]", "trailing comma before ']'", 1, 6),
        Case("[1 2]", "unexpected character '2', expected ',' or ']' after an array element", 1, 4),
        Case(#"{"a" 1}"#, "unexpected character '1', expected ':' after an object key", 1, 6),
        Case("{1: 2}", "unexpected character '1', expected a string key", 1, 2),
        Case(#"{"a":1 "b":2}"#, "unexpected character '\"', expected ',' or '}' after an object member", 1, 8),
        Case("[,1]", "unexpected character ',', expected a value", 1, 2),
        Case("[1,,2]", "unexpected character ',', expected a value", 1, 4),
        Case(#"{"a":}"#, "unexpected character '}', expected a value", 1, 6),
        Case("// comment\n{}", "comments are not allowed in JSON", 1, 1),
        Case("[1, /* c */ 2]", "comments are not allowed in JSON", 1, 5),
        Case("{'a': 1}", "strings must use double quotes", 1, 2),
        Case("[NaN]", "NaN and Infinity are not valid JSON numbers", 1, 2),
        Case("[-Infinity]", "NaN and Infinity are not valid JSON numbers", 1, 3),
        Case("[01]", "leading zeros are not allowed in numbers", 1, 2),
        Case("[-007]", "leading zeros are not allowed in numbers", 1, 2),
        Case("[1.]", "unexpected character ']', expected a digit after the decimal point", 1, 4),
        Case("[1.e5]", "unexpected character 'e', expected a digit after the decimal point", 1, 4),
        Case("[1e+]", "unexpected character ']', expected a digit in the exponent", 1, 5),
        Case("[-]", "unexpected character ']', expected a digit after '-'", 1, 3),
        Case("[.5]", "unexpected character '.', expected a value", 1, 2),
        Case("[+1]", "unexpected character '+', expected a value", 1, 2),
        Case("[0x10]", "unexpected character 'x', expected ',' or ']' after an array element", 1, 3),
        Case("-", "unexpected end of input inside a number", 1, 2),
        Case("1e", "unexpected end of input inside a number", 1, 3),
        Case("[tru]", "invalid literal, expected 'true'", 1, 2),
        Case("[True]", "unexpected character 'T', expected a value", 1, 2),
        Case("[nul", "unexpected end of input inside an array", 1, 5),
        Case("\"a\tb\"", "unescaped control character U+0009 in string", 1, 3),
        Case("[\"line\nbreak\"]", "unescaped control character U+000A in string", 1, 7),
        Case(#"["\x"]"#, "invalid escape sequence '\\x' in string", 1, 3),
        Case(#"["\u12G4"]"#, "invalid \\u escape: expected 4 hex digits", 1, 3),
        Case(#""\u00""#, "invalid \\u escape: expected 4 hex digits", 1, 2),
        Case([0x22, 0xFF, 0x22], "invalid UTF-8 byte 0xFF in string", 1, 2),
        Case([0x22, 0xC0, 0x80, 0x22], "invalid UTF-8 byte 0xC0 in string", 1, 2),
        Case([0x22, 0xC3, 0x28, 0x22], "invalid UTF-8 sequence in string", 1, 2),
        Case([0x22, 0xE0, 0x80, 0x80, 0x22], "invalid UTF-8 sequence in string", 1, 2),
        Case([0x22, 0xED, 0xA0, 0x80, 0x22], "invalid UTF-8 sequence in string", 1, 2),
        Case([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "invalid UTF-8 sequence in string", 1, 2),
        Case([0x22, 0x80, 0x22], "invalid UTF-8 byte 0x80 in string", 1, 2),
        Case([0x5B, 0xFF, 0x5D], "unexpected byte 0xFF, expected a value", 1, 2),
        Case("\u{A0}[]", "unexpected byte 0xC2, expected a value", 1, 1),
        Case("[\u{0B}]", "unexpected byte 0x0B, expected a value", 1, 2),
        Case("{} x", "unexpected trailing characters after the top-level value", 1, 4),
        Case("[][]", "unexpected trailing characters after the top-level value", 1, 3),
        Case("[]]", "unexpected trailing characters after the top-level value", 1, 3),
        Case("1 2", "unexpected trailing characters after the top-level value", 1, 3),
        Case("{\n  \"a\": [1,\n    2", "unexpected end of input inside an array", 3, 6),
        Case(#"{"a""#, "unexpected end of input inside an object", 1, 5),
        Case(#"{"a":"#, "unexpected end of input inside an object", 1, 6),
        Case("[", "unexpected end of input inside an array", 1, 2),
        Case("\"abc", "unexpected end of input inside a string", 1, 5),
        Case(#""abc\"#, "unexpected end of input inside a string", 1, 6),
        Case("{\n  \"name\": \"x\",\n  \"v\": tru\n}", "invalid literal, expected 'true'", 3, 8),
        Case("[\"é\", x]", "unexpected character 'x', expected a value", 1, 7),
    ]

    @Test(arguments: cases)
    func reportsErrorWithLocation(_ c: Case) throws {
        let error = try #require(Support.parseError(c.input))
        #expect(error.message == c.message)
        #expect(error.line == c.line)
        #expect(error.column == c.column)
        #expect(error.description == "\(c.message) (line \(c.line), column \(c.column))")
    }

    @Test func byteOffsetCountsBytes() throws {
        let error = try #require(Support.parseError("[\"é\", x]"))
        #expect(error.byteOffset == 7)
        let bom = try #require(Support.parseError([0xEF, 0xBB, 0xBF] + Array("[x]".utf8)))
        #expect(bom.byteOffset == 4)
        #expect(bom.column == 2, "the BOM is not a column")
    }

    @Test(arguments: ["[", "]", "{", "}", "[1,]", "{,}", "{\"a\":1,,}", "{\"a\"}", "[\"a\\\"]", "[- 1]",
                      "[\"\u{0}\"]", "[1]x", "\"\\uD800\\u\"", "[\"a\" \"b\"]", "{\"a\" : 1 : 2}",
                      "[1,]]", "{\"a\":[}", "[{]", "tru", "nulll", "[1.0e]", "[\"\\u{41}\"]", ":", ","])
    func rejectsInvalidDocument(_ text: String) {
        #expect(throws: JSONError.self) { try JSONDocument(string: text) }
    }
}
