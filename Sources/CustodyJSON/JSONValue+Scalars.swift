/// Lazy decoding of strings and numbers straight from the input bytes.
///
/// Parsing only validates; this file turns bytes into `String`, `Int64` and `Double` on
/// demand, so a walk that touches only a few fields of a 50 MB SBOM pays for only those.
extension JSONValue {
    /// The decoded string; nil if not a string.
    public var string: String? {
        let w = word
        guard Tape.kind(w) == .string else { return nil }
        return document.bytes.withUnsafeBufferPointer { buf in
            let (start, count) = Self.stringContent(w, buf)
            let raw = UnsafeBufferPointer(rebasing: buf[start..<start + count])
            return Tape.flag(w) ? Self.unescape(raw) : String(decoding: raw, as: UTF8.self)
        }
    }

    /// Where the text of a string without escapes lies in the document's bytes (its decoded
    /// value, between the quotes); nil when this is not a string or has escapes (use `string`).
    /// Lets hot loops compare and hash the bytes without creating a `String` (300,000
    /// `dependsOn` references in a large SBOM).
    public var unescapedStringRange: Range<Int>? {
        let w = word
        guard Tape.kind(w) == .string, !Tape.flag(w) else { return nil }
        var count = Tape.length(w)
        if count == Tape.lengthMask {
            count = document.bytes.withUnsafeBufferPointer { Self.stringContent(w, $0).1 }
        }
        let start = Tape.offset(w) + 1
        return start..<start + count
    }

    /// Visits the elements of an array without creating a `JSONValue` (and a reference to the
    /// document) per element: `body` gets each element's position, kind and, for a string
    /// without escapes, `unescapedStringRange`. Nothing for non-arrays.
    public func forEachElement(_ body: (_ index: Int, _ kind: Kind, _ unescapedString: Range<Int>?) throws -> Void) rethrows {
        guard isArray else { return }
        let tape = document.tape
        let end = endIndex
        var position = tapeIndex + 2
        var index = 0
        while position < end {
            let w = tape[position]
            let kind = Self.kind(of: w)
            var range: Range<Int>?
            if Tape.kind(w) == .string, !Tape.flag(w), Tape.length(w) < Tape.lengthMask {
                let start = Tape.offset(w) + 1
                range = start..<start + Tape.length(w)
            }
            try body(index, kind, range)
            position = Self.skip(tape, position)
            index += 1
        }
    }

    /// A string's decoded text, or a number's text exactly as written ("9007199254740993",
    /// "1.50e3"); nil for other kinds. Suits fields that producers emit either way, such
    /// as protobuf-JSON int64s.
    public var stringOrNumberText: String? {
        let w = word
        switch Tape.kind(w) {
        case .string: return string
        case .number: return numberText
        default: return nil
        }
    }

    /// True if this is a string whose decoded value equals `s`. Compares bytes directly
    /// when the string has no escapes, so key matching allocates nothing.
    public func keyEquals(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { keyEquals(utf8: $0) }
    }

    /// `keyEquals` for a literal, e.g. `key.keyEquals("bom-ref" as StaticString)`.
    public func keyEquals(_ s: StaticString) -> Bool {
        keyEquals(utf8: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    func keyEquals(utf8 key: UnsafeBufferPointer<UInt8>) -> Bool {
        let w = word
        guard Tape.kind(w) == .string else { return false }
        if Tape.flag(w) {
            guard var decoded = string else { return false }
            return decoded.withUTF8 { $0.elementsEqual(key) }
        }
        let length = Tape.length(w)
        // A saturated length means "at least lengthMask"; keys never get that long.
        guard length == key.count, length < Tape.lengthMask else { return false }
        return document.bytes.withUnsafeBufferPointer { buf in
            let a = buf.baseAddress.unsafelyUnwrapped + Tape.offset(w) + 1
            var i = 0
            while i < length {
                if a[i] != key[i] { return false }
                i += 1
            }
            return true
        }
    }

    // MARK: - Numbers

    /// The exact value of an integer within Int64 range. Integer syntax is converted
    /// digit by digit (no Double rounding: 9007199254740993 stays exact); a number with a
    /// fraction or exponent is accepted only if it is integral and in range ("1e3" → 1000,
    /// "1.5" → nil). Overflow gives nil; `double` still works.
    public var int64: Int64? {
        let w = word
        guard Tape.kind(w) == .number else { return nil }
        guard Tape.flag(w) else { return double.flatMap { Int64(exactly: $0) } }
        return document.bytes.withUnsafeBufferPointer { buf in
            let (start, count) = Self.numberContent(w, buf)
            var j = start
            let end = start + count
            let negative = buf[j] == Byte.minus
            if negative { j += 1 }
            var magnitude: UInt64 = 0
            while j < end {
                let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt64(buf[j] &- Byte.zero))
                if o1 || o2 { return nil }
                magnitude = a
                j += 1
            }
            if negative {
                if magnitude == 1 << 63 { return Int64.min }
                return magnitude < 1 << 63 ? -Int64(magnitude) : nil
            }
            return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
        }
    }

    /// The value as a correctly rounded Double; nil if not a number or out of Double range
    /// (e.g. "1e400"), so callers never see infinities from hostile input.
    public var double: Double? {
        let w = word
        guard Tape.kind(w) == .number else { return nil }
        // Up to 15 digits every integer is exact in a Double: skip text conversion.
        if Tape.flag(w), Tape.length(w) <= 15, let i = int64 { return Double(i) }
        guard let text = numberText, let d = Double(text), d.isFinite else { return nil }
        return d
    }

    var numberText: String? {
        let w = word
        guard Tape.kind(w) == .number else { return nil }
        return document.bytes.withUnsafeBufferPointer { buf in
            let (start, count) = Self.numberContent(w, buf)
            return String(decoding: UnsafeBufferPointer(rebasing: buf[start..<start + count]), as: UTF8.self)
        }
    }

    // MARK: - Byte ranges

    /// (start, count) of a string's raw content between the quotes.
    static func stringContent(_ w: UInt64, _ buf: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        let start = Tape.offset(w) + 1
        var count = Tape.length(w)
        if count == Tape.lengthMask {
            // Saturated: find the end again. Scan from the start (an escape may straddle any
            // midpoint); the string is already validated, so only quotes and escapes matter.
            var j = start
            while buf[j] != Byte.quote { j += buf[j] == Byte.backslash ? 2 : 1 }
            count = j - start
        }
        return (start, count)
    }

    /// (start, count) of a number's text.
    static func numberContent(_ w: UInt64, _ buf: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        let start = Tape.offset(w)
        var count = Tape.length(w)
        if count == Tape.lengthMask {
            var j = start + count
            while j < buf.count, isNumberByte(buf[j]) { j += 1 }
            count = j - start
        }
        return (start, count)
    }

    static func isNumberByte(_ c: UInt8) -> Bool {
        (c >= Byte.zero && c <= Byte.nine) || c == Byte.minus || c == Byte.plus || c == Byte.dot || c | 0x20 == Byte.e
    }
}
