/// RFC 3339 output in UTC, the one spelling used in keys, reports and JSON output.
extension Timestamp {
    /// `2025-09-08T14:05:00Z`; the fraction appears only when non-zero, with trailing zeros
    /// trimmed (`…:00.5Z`, `…:00.402973972Z`), so whole-second inputs round-trip unchanged.
    public var rfc3339: String {
        let nanos = nanosecondsSinceEpoch
        // Floor division so instants before 1970 still get a fraction in 0..<1e9.
        var seconds = nanos / 1_000_000_000
        var fraction = nanos % 1_000_000_000
        if fraction < 0 {
            seconds -= 1
            fraction += 1_000_000_000
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            days -= 1
            secondOfDay += 86_400
        }
        let (year, month, day) = CivilCalendar.civilFromDays(days)
        var text = Timestamp.padded(year, 4) + "-" + Timestamp.padded(month, 2) + "-" + Timestamp.padded(day, 2)
        text += "T" + Timestamp.padded(secondOfDay / 3600, 2) + ":" + Timestamp.padded(secondOfDay / 60 % 60, 2)
        text += ":" + Timestamp.padded(secondOfDay % 60, 2)
        if fraction != 0 {
            var digits = Timestamp.padded(fraction, 9)
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text + "Z"
    }

    private static func padded(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
