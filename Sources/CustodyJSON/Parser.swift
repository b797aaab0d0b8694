/// The single-pass, iterative JSON parser that fills the tape.
///
/// It never recurses (open containers live on an explicit stack bounded by
/// `JSONLimits.maxDepth`), so 100,000 nested brackets fail with a depth error instead of
/// overflowing the thread stack. It works on a raw pointer because bounds-checked array
/// indexing roughly halves throughput; every read is guarded by an explicit `< end` test.
struct Parser {
    let p: UnsafePointer<UInt8>
    let end: Int
    let limits: JSONLimits
    var tape: ContiguousArray<UInt64> = []
    /// Tape indices of the open containers, innermost last.
    var stack: ContiguousArray<Int> = []

    init(_ buffer: UnsafeBufferPointer<UInt8>, limits: JSONLimits) {
        // Callers reject empty input first, so the base address exists.
        self.p = buffer.baseAddress.unsafelyUnwrapped
        self.end = buffer.count
        self.limits = limits
        // CycloneDX-style documents need about one word per 12–16 bytes; grow from there.
        tape.reserveCapacity(buffer.count / 12 + 16)
        stack.reserveCapacity(min(limits.maxDepth, 64) + 1)
    }

    /// Parses the whole buffer and returns the finished tape.
    mutating func parse() throws(JSONError) -> ContiguousArray<UInt64> {
        var i = 0
        if end >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF { i = 3 }
        i = skipWhitespace(i)
        if i == end { throw fail("empty input", at: i) }
        valueLoop: while true {
            // `i` is at the first byte of a value (or at the end of input).
            guard i < end else { throw unexpectedEnd(at: i) }
            switch p[i] {
            case Byte.quote:
                i = try scanString(at: i)
            case Byte.minus, Byte.zero...Byte.nine:
                i = try scanNumber(at: i)
            case Byte.openBrace:
                try open(.object, at: i)
                i = skipWhitespace(i + 1)
                if i < end, p[i] == Byte.closeBrace {
                    close()
                    i += 1
                } else {
                    i = try scanKey(at: i, afterComma: false)
                    continue valueLoop
                }
            case Byte.openBracket:
                try open(.array, at: i)
                i = skipWhitespace(i + 1)
                if i < end, p[i] == Byte.closeBracket {
                    close()
                    i += 1
                } else {
                    continue valueLoop
                }
            case Byte.t: i = try scanLiteral(at: i, "true", .trueValue)
            case Byte.f: i = try scanLiteral(at: i, "false", .falseValue)
            case Byte.n: i = try scanLiteral(at: i, "null", .null)
            default:
                throw unexpectedByte(at: i, expecting: "a value")
            }
            // A value just ended: count it, then expect a separator or a closing bracket.
            while let top = stack.last {
                tape[top + 1] &+= 1
                i = skipWhitespace(i)
                guard i < end else { throw unexpectedEnd(at: i) }
                let isObject = Tape.rawKind(tape[top]) == TapeKind.object.rawValue
                let c = p[i]
                if c == Byte.comma {
                    i = skipWhitespace(i + 1)
                    if isObject {
                        i = try scanKey(at: i, afterComma: true)
                    } else if i < end, p[i] == Byte.closeBracket {
                        throw fail("trailing comma before ']'", at: i)
                    }
                    continue valueLoop
                }
                if c == (isObject ? Byte.closeBrace : Byte.closeBracket) {
                    close()
                    i += 1
                    continue
                }
                throw unexpectedByte(at: i, expecting: isObject ? "',' or '}' after an object member"
                                                                : "',' or ']' after an array element")
            }
            break valueLoop
        }
        i = skipWhitespace(i)
        if i != end { throw fail("unexpected trailing characters after the top-level value", at: i) }
        return tape
    }

    // MARK: - Structure

    @inline(__always)
    mutating func open(_ kind: TapeKind, at i: Int) throws(JSONError) {
        if stack.count >= limits.maxDepth {
            throw fail("nesting deeper than \(limits.maxDepth) levels", at: i)
        }
        stack.append(tape.count)
        tape.append(Tape.word(kind, offset: i))
        tape.append(0)  // becomes end << 32 | count; the count accumulates while parsing
    }

    @inline(__always)
    mutating func close() {
        let top = stack.removeLast()
        tape[top + 1] = Tape.containerInfo(end: tape.count, count: Int(truncatingIfNeeded: tape[top + 1]))
    }

    /// Scans `"key" :` and returns the index of the member's value.
    @inline(__always)
    mutating func scanKey(at start: Int, afterComma: Bool) throws(JSONError) -> Int {
        guard start < end else { throw unexpectedEnd(at: start) }
        guard p[start] == Byte.quote else {
            if afterComma, p[start] == Byte.closeBrace { throw fail("trailing comma before '}'", at: start) }
            throw unexpectedByte(at: start, expecting: "a string key")
        }
        var i = skipWhitespace(try scanString(at: start))
        guard i < end else { throw unexpectedEnd(at: i) }
        guard p[i] == Byte.colon else { throw unexpectedByte(at: i, expecting: "':' after an object key") }
        i = skipWhitespace(i + 1)
        return i
    }

    /// Index of the first non-whitespace byte at or after `start` (or `end`).
    ///
    /// Pretty-printed input (kubectl's 4-space indentation, SBOMs) is mostly runs of a newline
    /// and dozens of spaces, so the loop tests eight bytes per step and jumps straight to the
    /// first byte that is neither a space nor a newline. Tabs and carriage returns, rare in
    /// practice, are stepped over one at a time.
    @inline(__always)
    func skipWhitespace(_ start: Int) -> Int {
        var i = start
        // Compact JSON and "key": value: most calls land on a non-blank byte or one space.
        if i < end, p[i] > Byte.space { return i }
        while i &+ 8 <= end {
            let stop = SWAR.notSpaceOrNewline(UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
            if stop == 0 {
                i &+= 8
                continue
            }
            i &+= stop.trailingZeroBitCount &>> 3
            let c = p[i]
            guard c == Byte.tab || c == Byte.carriageReturn else { return i }
            i &+= 1
        }
        while i < end {
            let c = p[i]
            guard c == Byte.space || c == Byte.newline || c == Byte.carriageReturn || c == Byte.tab else { return i }
            i += 1
        }
        return i
    }

    // MARK: - Literals and numbers

    mutating func scanLiteral(at i: Int, _ literal: StaticString, _ kind: TapeKind) throws(JSONError) -> Int {
        let n = literal.utf8CodeUnitCount
        let lit = literal.utf8Start
        var k = 0
        while k < n {
            guard i + k < end else { throw unexpectedEnd(at: end) }
            guard p[i + k] == lit[k] else { throw fail("invalid literal, expected '\(literal)'", at: i) }
            k += 1
        }
        tape.append(Tape.word(kind, offset: i))
        return i + n
    }

    @inline(__always)
    func isDigit(_ j: Int) -> Bool { j < end && p[j] &- Byte.zero < 10 }

    /// Validates RFC 8259 number syntax: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    mutating func scanNumber(at i: Int) throws(JSONError) -> Int {
        var j = i
        if p[j] == Byte.minus { j += 1 }
        guard j < end else { throw fail("unexpected end of input inside a number", at: j) }
        if p[j] == Byte.zero {
            j += 1
            if isDigit(j) { throw fail("leading zeros are not allowed in numbers", at: i) }
        } else if isDigit(j) {
            j += 1
            while isDigit(j) { j &+= 1 }
        } else {
            throw unexpectedByte(at: j, expecting: "a digit after '-'")
        }
        var integer = true
        if j < end, p[j] == Byte.dot {
            integer = false
            j += 1
            guard isDigit(j) else { throw numberError(at: j, "a digit after the decimal point") }
            while isDigit(j) { j &+= 1 }
        }
        if j < end, p[j] | 0x20 == Byte.e {
            integer = false
            j += 1
            if j < end, p[j] == Byte.plus || p[j] == Byte.minus { j += 1 }
            guard isDigit(j) else { throw numberError(at: j, "a digit in the exponent") }
            while isDigit(j) { j &+= 1 }
        }
        tape.append(Tape.word(.number, offset: i, length: j - i, flag: integer))
        return j
    }
}
