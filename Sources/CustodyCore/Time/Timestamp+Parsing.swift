/// Timestamp parsers for the forms in FORMATS.md §0.4, written with integer civil-date math
/// because Foundation's ISO 8601 parsers reject 7- or 9-digit fractions and round through
/// `Double` (nanosecond ordering of registry events would be lost).
///
/// The representable range is that of `Int64` nanoseconds: 1677-09-21 to 2262-04-11. Anything
/// outside (including the `0001-01-01` zero sentinel) throws rather than wrapping.
extension Timestamp {
    /// RFC 3339: `YYYY-MM-DD(T|t| )hh:mm:ss[.f{1,9}](Z|z|±hh:mm)`.
    ///
    /// Validates month lengths and leap years, hours 0–23, minutes 0–59, seconds 0–60 and
    /// offsets up to ±23:59. A leap second (`:60`) is clamped to `:59` keeping the fraction:
    /// the instant moves by at most one second and ordering with its neighbours is preserved.
    public init(rfc3339 text: String) throws {
        // Read in place (no byte array per call): Kubernetes snapshots parse two per pod.
        var utf8Text = text
        self = try utf8Text.withUTF8 { bytes in try Timestamp.parseRFC3339(bytes, text: text) }
    }

    private static func parseRFC3339(_ bytes: UnsafeBufferPointer<UInt8>, text: String) throws -> Timestamp {
        guard bytes.count <= 64, bytes.count >= 20 else {
            throw CustodyError.rejected("not an RFC 3339 timestamp: \(InputExcerpt.quote(text))")
        }
        var cursor = CivilCursor(bytes: bytes)
        let fields = try cursor.dateTime(text)
        var nanos = 0
        if cursor.peek == UInt8(ascii: ".") {
            cursor.index += 1
            var digits = 0
            while let d = cursor.digit() {
                guard digits < 9 else {
                    throw CustodyError.rejected("more than 9 fractional digits in timestamp \(InputExcerpt.quote(text))")
                }
                nanos = nanos * 10 + d
                digits += 1
            }
            guard digits > 0 else { throw CustodyError.rejected("empty fraction in timestamp \(InputExcerpt.quote(text))") }
            for _ in digits..<9 { nanos *= 10 }
        }
        let offsetSeconds = try cursor.offset(text)
        guard cursor.index == bytes.count else {
            throw CustodyError.rejected("trailing text after timestamp \(InputExcerpt.quote(text))")
        }
        return try Timestamp.make(fields, nanos: nanos, offsetSeconds: offsetSeconds, text: text)
    }

    /// Like `init(rfc3339:)` but nil for absent values: nil, `""`, the Go/Kubernetes zero time
    /// `0001-01-01T00:00:00Z`, the date-only `0001-01-01` (Grype EPSS), and anything unparseable
    /// (callers that must report bad input use the throwing initialiser).
    public init?(rfc3339OrNil text: String?) {
        guard let text, !text.isEmpty, !text.hasPrefix("0001-01-01"),
              let parsed = try? Timestamp(rfc3339: text) else { return nil }
        self = parsed
    }

    /// Epoch seconds (Harbor `occur_at`). Saturates at the representable range instead of
    /// trapping, because the value comes from untrusted JSON.
    public init(epochSeconds: Int64) {
        self.init(nanosecondsSinceEpoch: Timestamp.saturatingProduct(epochSeconds, 1_000_000_000))
    }

    /// Epoch milliseconds (ECR `pushedAt`). Saturates like `init(epochSeconds:)`.
    public init(epochMilliseconds: Int64) {
        self.init(nanosecondsSinceEpoch: Timestamp.saturatingProduct(epochMilliseconds, 1_000_000))
    }

    /// Epoch seconds written as a decimal string (Sigstore `integratedTime`, protobuf-JSON int64).
    /// Nil for anything but 1–19 ASCII digits with an optional leading `-`, or out of range.
    public static func parseEpochSecondsString(_ s: String) -> Timestamp? {
        var body = Substring(s)
        let negative = body.hasPrefix("-")
        if negative { body = body.dropFirst() }
        guard !body.isEmpty, body.utf8.count <= 19,
              body.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let magnitude = Int64(body) else { return nil }
        let (nanos, overflow) = (negative ? -magnitude : magnitude).multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? nil : Timestamp(nanosecondsSinceEpoch: nanos)
    }

    /// Basic ISO 8601 UTC `YYYYMMDDThhmmssZ` (AWS `X-Amz-Date`, some log file names).
    public init(compactUTC text: String) throws {
        var utf8Text = text
        self = try utf8Text.withUTF8 { bytes in try Timestamp.parseCompactUTC(bytes, text: text) }
    }

    private static func parseCompactUTC(_ bytes: UnsafeBufferPointer<UInt8>, text: String) throws -> Timestamp {
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T") || bytes[8] == UInt8(ascii: "t"),
              bytes[15] == UInt8(ascii: "Z") || bytes[15] == UInt8(ascii: "z") else {
            throw CustodyError.rejected("not a compact UTC timestamp (YYYYMMDDThhmmssZ): \(InputExcerpt.quote(text))")
        }
        var cursor = CivilCursor(bytes: bytes)
        guard let year = cursor.number(4), let month = cursor.number(2), let day = cursor.number(2) else {
            throw CustodyError.rejected("not a compact UTC timestamp (YYYYMMDDThhmmssZ): \(InputExcerpt.quote(text))")
        }
        cursor.index += 1
        guard let hour = cursor.number(2), let minute = cursor.number(2), let second = cursor.number(2) else {
            throw CustodyError.rejected("not a compact UTC timestamp (YYYYMMDDThhmmssZ): \(InputExcerpt.quote(text))")
        }
        let fields = CivilFields(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return try Timestamp.make(fields, nanos: 0, offsetSeconds: 0, text: text)
    }

    /// Validates the civil fields and converts to nanoseconds with overflow checks.
    private static func make(_ f: CivilFields, nanos: Int, offsetSeconds: Int, text: String) throws -> Timestamp {
        guard (1...12).contains(f.month), (1...CivilCalendar.daysInMonth(year: f.year, month: f.month)).contains(f.day),
              (0...23).contains(f.hour), (0...59).contains(f.minute), (0...60).contains(f.second) else {
            throw CustodyError.rejected("invalid date or time in timestamp \(InputExcerpt.quote(text))")
        }
        let days = CivilCalendar.daysFromCivil(year: Int64(f.year), month: Int64(f.month), day: Int64(f.day))
        var seconds = days * 86_400 + Int64(f.hour * 3600 + f.minute * 60 + min(f.second, 59)) - Int64(offsetSeconds)
        var fraction = Int64(nanos)
        if seconds < 0, fraction > 0 {
            // Borrow a second so that the product stays in range down to Int64.min exactly.
            seconds += 1
            fraction -= 1_000_000_000
        }
        let (scaled, overflow1) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (total, overflow2) = scaled.addingReportingOverflow(fraction)
        guard !overflow1, !overflow2 else {
            throw CustodyError.rejected("timestamp outside 1677-09-21…2262-04-11: \(InputExcerpt.quote(text))")
        }
        return Timestamp(nanosecondsSinceEpoch: total)
    }

    private static func saturatingProduct(_ value: Int64, _ factor: Int64) -> Int64 {
        let (product, overflow) = value.multipliedReportingOverflow(by: factor)
        guard overflow else { return product }
        return value < 0 ? .min : .max
    }
}

/// Broken-down civil time as written, before validation.
private struct CivilFields {
    var year, month, day, hour, minute, second: Int
}

/// A byte cursor over ASCII timestamp text; every accessor is bounds-checked so hostile input
/// (short, non-ASCII, control characters) ends in a thrown error, never a trap.
private struct CivilCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func digit() -> Int? {
        guard let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        index += 1
        return Int(byte - UInt8(ascii: "0"))
    }

    mutating func number(_ width: Int) -> Int? {
        var value = 0
        for _ in 0..<width {
            guard let d = digit() else { return nil }
            value = value * 10 + d
        }
        return value
    }

    /// Consumes the next byte if it is `a`, `b` or `c` (fixed arity: a variadic list would
    /// allocate an array per call).
    mutating func expect(_ a: UInt8, _ b: UInt8? = nil, _ c: UInt8? = nil) -> Bool {
        guard let byte = peek, byte == a || byte == b || byte == c else { return false }
        index += 1
        return true
    }

    /// `YYYY-MM-DD(T|t| )hh:mm:ss`.
    mutating func dateTime(_ text: String) throws -> CivilFields {
        guard let year = number(4), expect(UInt8(ascii: "-")), let month = number(2), expect(UInt8(ascii: "-")),
              let day = number(2), expect(UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")),
              let hour = number(2), expect(UInt8(ascii: ":")), let minute = number(2), expect(UInt8(ascii: ":")),
              let second = number(2) else {
            throw CustodyError.rejected("not an RFC 3339 timestamp: \(InputExcerpt.quote(text))")
        }
        return CivilFields(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// `Z`, `z` or `±hh:mm` (hh ≤ 23, mm ≤ 59), as seconds east of UTC.
    mutating func offset(_ text: String) throws -> Int {
        if expect(UInt8(ascii: "Z"), UInt8(ascii: "z")) { return 0 }
        guard let sign = peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") else {
            throw CustodyError.rejected("timestamp lacks 'Z' or ±hh:mm offset: \(InputExcerpt.quote(text))")
        }
        index += 1
        guard let hours = number(2), expect(UInt8(ascii: ":")), let minutes = number(2), hours <= 23, minutes <= 59 else {
            throw CustodyError.rejected("invalid UTC offset in timestamp \(InputExcerpt.quote(text))")
        }
        let seconds = hours * 3600 + minutes * 60
        return sign == UInt8(ascii: "-") ? -seconds : seconds
    }
}

/// Proleptic Gregorian calendar arithmetic (Howard Hinnant's `days_from_civil` /
/// `civil_from_days`), exact for every year and free of time-zone databases.
enum CivilCalendar {
    static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 for a valid civil date.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Inverse of `daysFromCivil`.
    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
