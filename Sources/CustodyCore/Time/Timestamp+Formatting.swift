/// RFC 3339 output in UTC, the one spelling used in keys, reports and JSON output.
extension Timestamp {
    /// `2025-09-08T14:05:00Z`; the fraction appears only when non-zero, with trailing zeros
    /// trimmed (`…:00.5Z`, `…:00.402973972Z`), so whole-second inputs round-trip unchanged.
    /// Written into one fixed buffer: a large blast radius formats tens of thousands of times,
    /// and piecewise string concatenation cost ~1.5 µs each.
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
        guard (0...9999).contains(year) else { return Timestamp.slowFormat(year, month, day, secondOfDay, fraction) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            var count = 0
            func put(_ value: Int64, _ width: Int) {
                var value = value
                for index in stride(from: count + width - 1, through: count, by: -1) {
                    buffer[index] = UInt8(truncatingIfNeeded: 0x30 + value % 10)
                    value /= 10
                }
                count += width
            }
            func put(_ byte: UInt8) {
                buffer[count] = byte
                count += 1
            }
            put(year, 4); put(0x2D); put(month, 2); put(0x2D); put(day, 2); put(0x54)
            put(secondOfDay / 3600, 2); put(0x3A); put(secondOfDay / 60 % 60, 2); put(0x3A); put(secondOfDay % 60, 2)
            if fraction != 0 {
                put(0x2E)
                put(fraction, 9)
                while buffer[count - 1] == 0x30 { count -= 1 }
            }
            put(0x5A)
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[0..<count]), as: UTF8.self)
        }
    }

    /// Years outside 0…9999 (never seen in evidence), spelled as before the fast path.
    private static func slowFormat(_ year: Int64, _ month: Int64, _ day: Int64, _ secondOfDay: Int64, _ fraction: Int64) -> String {
        var text = padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2)
        text += "T" + padded(secondOfDay / 3600, 2) + ":" + padded(secondOfDay / 60 % 60, 2)
        text += ":" + padded(secondOfDay % 60, 2)
        if fraction != 0 {
            var digits = padded(fraction, 9)
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
