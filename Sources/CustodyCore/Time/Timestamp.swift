/// An instant in UTC with nanosecond resolution, as an integer for exact ordering.
/// Parsing (RFC 3339 with 0–9 fractional digits and any offset, epoch seconds/milliseconds)
/// lives in `Timestamp+Parsing.swift`; formatting in `Timestamp+Formatting.swift`.
public struct Timestamp: Sendable, Hashable, Comparable, Codable {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    public var nanosecondsSinceEpoch: Int64

    public init(nanosecondsSinceEpoch: Int64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    public init(secondsSinceEpoch: Int64) {
        self.nanosecondsSinceEpoch = secondsSinceEpoch * 1_000_000_000
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool {
        a.nanosecondsSinceEpoch < b.nanosecondsSinceEpoch
    }
}
