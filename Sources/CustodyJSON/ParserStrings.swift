/// String scanning and error construction for `Parser`.
///
/// Strings dominate SBOM bytes (purls, hashes, licence texts), so the scan checks eight
/// bytes per step for quote, backslash, control and non-ASCII bytes, and falls back to
/// byte-wise escape and UTF-8 validation only where one occurs. Strings are validated
/// here but not decoded: decoding happens lazily when a caller reads them.
extension Parser {
    /// Scans the string whose opening quote is at `i`; returns the index after its closing quote.
    ///
    /// Raw invalid UTF-8 is an error (RFC 8259 §8.1 requires UTF-8 and hostile files use
    /// malformed bytes to smuggle look-alike identifiers); escaped lone surrogates are
    /// accepted here and decode to U+FFFD.
    @inline(__always)
    mutating func scanString(at i: Int) throws(JSONError) -> Int {
        let start = i + 1
        let maxBytes = limits.maxStringBytes
        // Never let the fast loop run past the limit: an oversized string fails after
        // `maxStringBytes` bytes of scanning, not after scanning all of it.
        let fastEnd = maxBytes >= end - start ? end : start + maxBytes + 1
        var j = start
        var escaped = false
        while true {
            while j &+ 8 <= fastEnd {
                let attention = SWAR.attention(UnsafeRawPointer(p + j).loadUnaligned(as: UInt64.self))
                if attention != 0 {
                    // The lowest flagged byte is exact: jump straight to it.
                    j &+= attention.trailingZeroBitCount &>> 3
                    break
                }
                j &+= 8
            }
            guard j < end else { throw fail("unexpected end of input inside a string", at: end) }
            let c = p[j]
            if c == Byte.quote { break }
            if j - start >= maxBytes { throw stringTooLong(at: i) }
            if c == Byte.backslash {
                escaped = true
                j = try scanEscape(at: j)
            } else if c < Byte.space {
                throw fail("unescaped control character \(hexScalar(c)) in string", at: j)
            } else if c >= 0x80 {
                j = try scanUTF8(at: j)
            } else {
                j += 1
            }
        }
        if j - start > maxBytes { throw stringTooLong(at: i) }
        tape.append(Tape.word(.string, offset: i, length: j - start, flag: escaped))
        return j + 1
    }

    /// Validates one escape sequence at `j` (a backslash); returns the index after it.
    mutating func scanEscape(at j: Int) throws(JSONError) -> Int {
        guard j + 1 < end else { throw fail("unexpected end of input inside a string", at: end) }
        switch p[j + 1] {
        case Byte.quote, Byte.backslash, Byte.slash, Byte.b, Byte.f, Byte.n, Byte.r, Byte.t:
            return j + 2
        case Byte.u:
            for k in 2..<6 {
                guard j + k < end else { throw fail("unexpected end of input inside a string", at: end) }
                guard hexValue(p[j + k]) != nil else {
                    throw fail("invalid \\u escape: expected 4 hex digits", at: j)
                }
            }
            return j + 6
        default:
            throw fail("invalid escape sequence '\\\(printable(p[j + 1]))' in string", at: j)
        }
    }

    /// Validates one multi-byte UTF-8 sequence at `j`; returns the index after it.
    /// Rejects overlong forms, encoded surrogates and code points above U+10FFFF.
    mutating func scanUTF8(at j: Int) throws(JSONError) -> Int {
        let b0 = p[j]
        let n: Int
        var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: n = 2
        case 0xE0: n = 3; lo = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: n = 3
        case 0xED: n = 3; hi = 0x9F
        case 0xF0: n = 4; lo = 0x90
        case 0xF1...0xF3: n = 4
        case 0xF4: n = 4; hi = 0x8F
        default: throw fail("invalid UTF-8 byte 0x\(hex2(b0)) in string", at: j)
        }
        for k in 1..<n {
            guard j + k < end else { throw fail("unexpected end of input inside a string", at: end) }
            let b = p[j + k]
            let ok = k == 1 ? (b >= lo && b <= hi) : (b & 0xC0 == 0x80)
            guard ok else { throw fail("invalid UTF-8 sequence in string", at: j) }
        }
        return j + n
    }

    // MARK: - Errors (cold paths)

    @inline(never)
    func fail(_ message: String, at offset: Int) -> JSONError {
        let (line, column) = lineAndColumn(in: UnsafeBufferPointer(start: p, count: end), ofByte: offset)
        return JSONError(message: message, line: line, column: column, byteOffset: offset)
    }

    @inline(never)
    func stringTooLong(at offset: Int) -> JSONError {
        fail("string longer than \(describeByteCount(limits.maxStringBytes))", at: offset)
    }

    @inline(never)
    func unexpectedEnd(at offset: Int) -> JSONError {
        guard let top = stack.last else { return fail("unexpected end of input, expected a value", at: offset) }
        let inside = Tape.kind(tape[top]) == .object ? "an object" : "an array"
        return fail("unexpected end of input inside \(inside)", at: offset)
    }

    @inline(never)
    func numberError(at j: Int, _ expecting: String) -> JSONError {
        if j >= end { return fail("unexpected end of input inside a number", at: j) }
        return unexpectedByte(at: j, expecting: expecting)
    }

    /// "unexpected character 'x', expected …", with hints for common non-JSON dialects.
    @inline(never)
    func unexpectedByte(at i: Int, expecting: String) -> JSONError {
        let c = p[i]
        switch c {
        case Byte.slash: return fail("comments are not allowed in JSON", at: i)
        case UInt8(ascii: "'"): return fail("strings must use double quotes", at: i)
        case UInt8(ascii: "N"), UInt8(ascii: "I"):
            return fail("NaN and Infinity are not valid JSON numbers", at: i)
        default: break
        }
        let what = c >= 0x20 && c < 0x7F ? "character '\(printable(c))'" : "byte 0x\(hex2(c))"
        return fail("unexpected \(what), expected \(expecting)", at: i)
    }

    func printable(_ c: UInt8) -> String {
        c >= 0x20 && c < 0x7F ? String(UnicodeScalar(c)) : "\\u{\(hex2(c))}"
    }

    func hexScalar(_ c: UInt8) -> String { "U+00\(hex2(c))" }

    func hex2(_ c: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(c >> 4)], digits[Int(c & 0xF)]])
    }
}

/// Value of one ASCII hex digit, or nil.
@inline(__always)
func hexValue(_ c: UInt8) -> UInt32? {
    switch c {
    case Byte.zero...Byte.nine: return UInt32(c - Byte.zero)
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
    default: return nil
    }
}

/// Eight-bytes-at-a-time tests (SIMD within a register) on little-endian words: byte k of
/// the input is bits 8k..<8k+8. The masks set the high bit of flagged bytes. The classic
/// borrow trick can also flag bytes *above* a true hit, never below one, so the lowest set
/// bit (`trailingZeroBitCount / 8`) is always the exact first hit, which is all callers use.
enum SWAR {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080
    static let spaces: UInt64 = 0x2020_2020_2020_2020
    static let newlines: UInt64 = 0x0A0A_0A0A_0A0A_0A0A

    /// High bit set in every byte of `w` that is zero (exact at the lowest hit).
    @inline(__always)
    static func zeroBytes(_ w: UInt64) -> UInt64 { (w &- ones) & ~w & highs }

    /// Flags '"', '\\', bytes < 0x20 and bytes >= 0x80: where a string scan must stop.
    @inline(__always)
    static func attention(_ w: UInt64) -> UInt64 {
        let quote = zeroBytes(w ^ (ones &* 0x22))
        let backslash = zeroBytes(w ^ (ones &* 0x5C))
        let control = (w &- spaces) & ~w & highs
        return quote | backslash | control | (w & highs)
    }

    /// Flags every byte that is neither ' ' nor '\n'.
    @inline(__always)
    static func notSpaceOrNewline(_ w: UInt64) -> UInt64 {
        // A byte is blank when it equals either pattern; flag the others. Exact per byte
        // (no borrows): (x & 0x7F) + 0x7F sets the high bit iff the low seven bits are not
        // all zero, and `| x` adds the byte's own high bit.
        let s = w ^ spaces
        let n = w ^ newlines
        let low = ~highs
        let sNonzero = ((s & low) &+ low) | s
        let nNonzero = ((n & low) &+ low) | n
        return sNonzero & nNonzero & highs
    }
}

/// ASCII bytes the parser dispatches on.
enum Byte {
    static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), slash = UInt8(ascii: "/")
    static let openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]")
    static let comma = UInt8(ascii: ","), colon = UInt8(ascii: ":"), dot = UInt8(ascii: ".")
    static let minus = UInt8(ascii: "-"), plus = UInt8(ascii: "+")
    static let zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")
    static let space = UInt8(ascii: " "), newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r"), tab = UInt8(ascii: "\t")
    static let b = UInt8(ascii: "b"), e = UInt8(ascii: "e"), f = UInt8(ascii: "f"), n = UInt8(ascii: "n")
    static let r = UInt8(ascii: "r"), t = UInt8(ascii: "t"), u = UInt8(ascii: "u")
}
