import CustodyJSON
import Testing

/// Number extraction: exact int64, correct doubles, and text as written.
@Suite struct NumberTests {
    func number(_ text: String) throws -> JSONValue { try Support.parse(text) }

    @Test func int64IsExact() throws {
        #expect(try number("0").int64 == 0)
        #expect(try number("-0").int64 == 0)
        #expect(try number("90071992547409930").int64 == 90_071_992_547_409_930)
        #expect(try number("9007199254740993").int64 == 9_007_199_254_740_993, "beyond 2^53, no Double rounding")
        #expect(try number("9223372036854775807").int64 == Int64.max)
        #expect(try number("-9223372036854775808").int64 == Int64.min)
        #expect(try number("12345678901").int64 == 12_345_678_901)
    }

    @Test func int64OverflowIsNilButDoubleRemains() throws {
        let big = try number("9223372036854775808")
        #expect(big.int64 == nil)
        #expect(big.double == 9_223_372_036_854_775_808.0)
        #expect(try number("-9223372036854775809").int64 == nil)
        let huge = try number("123456789012345678901234567890")
        #expect(huge.int64 == nil)
        #expect(huge.double == 1.2345678901234568e29)
    }

    @Test func nonIntegerSyntax() throws {
        #expect(try number("1e3").int64 == 1000)
        #expect(try number("1.0").int64 == 1)
        #expect(try number("-2.5E+2").int64 == -250)
        #expect(try number("1.5").int64 == nil)
        #expect(try number("1e19").int64 == nil)
        #expect(try number("1.5").double == 1.5)
        #expect(try number("-1.25e-3").double == -0.00125)
        #expect(try number("0.1").double == 0.1)
        #expect(try number("1E2").double == 100)
    }

    @Test func outOfRangeDoubleIsNil() throws {
        #expect(try number("1e400").double == nil)
        #expect(try number("-1e400").double == nil)
        #expect(try number("1e400").int64 == nil)
        #expect(try number("1e-400").double == 0)
    }

    @Test func textAsWritten() throws {
        let root = try Support.parse(#"["12345678901234567890", 12345678901234567890, 1.50e3, true]"#)
        #expect(root[0]?.stringOrNumberText == "12345678901234567890")
        #expect(root[1]?.stringOrNumberText == "12345678901234567890")
        #expect(root[2]?.stringOrNumberText == "1.50e3")
        #expect(root[3]?.stringOrNumberText == nil)
        #expect(root[0]?.int64 == nil, "strings are not numbers")
        #expect(root[0]?.double == nil)
    }
}
