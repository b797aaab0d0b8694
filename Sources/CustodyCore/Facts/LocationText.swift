/// Where in its document a fact was asserted: a range of its batch's `LocationText`.
/// Eight bytes in the fact instead of a `String?`: pointers such as `/dependencies/123` are
/// too long for a small string, so each was its own heap allocation.
public struct LocationRange: Sendable, Hashable {
    @usableFromInline let start: UInt32
    @usableFromInline let count: UInt32

    /// No location (`at: nil`).
    public static let none = LocationRange(start: 0, count: .max)

    @inlinable public var isNone: Bool { count == .max }
}

/// The locations of a batch's facts as UTF-8 in one buffer. A location given for several
/// facts in a row (a component's node and its `contains` edge, the edges of one dependency
/// entry) is stored once.
public struct LocationText: Sendable {
    @usableFromInline var bytes: [UInt8] = []
    private var last: (text: String, range: LocationRange)?

    public init() {}

    /// Stores `text` (unless it is the one stored last) and returns its range.
    public mutating func append(_ text: String?) -> LocationRange {
        guard var text else { return .none }
        if let last, last.text == text { return last.range }
        let range = text.withUTF8 { append($0) }
        last = (text, range)
        return range
    }

    /// Copies `range` of `other` (merging batches) and returns where it is here.
    public mutating func append(_ range: LocationRange, of other: LocationText) -> LocationRange {
        other.withUTF8(range) { append($0) } ?? .none
    }

    private mutating func append(_ utf8: UnsafeBufferPointer<UInt8>) -> LocationRange {
        precondition(bytes.count + utf8.count < Int(UInt32.max), "a batch's locations are limited to 4 GiB")
        let start = bytes.count
        bytes.append(contentsOf: utf8)
        last = nil
        return LocationRange(start: UInt32(start), count: UInt32(utf8.count))
    }

    public subscript(range: LocationRange) -> String? {
        withUTF8(range) { String(decoding: $0, as: UTF8.self) }
    }

    /// `body` over the UTF-8 of `range`; nil for `.none`. Inlinable: the store calls it for
    /// every row it writes (500,000 for a large SBOM), where an unspecialized generic call
    /// cost more than the rest of the column.
    @inlinable
    public func withUTF8<Result>(_ range: LocationRange, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result? {
        guard !range.isNone else { return nil }
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[Int(range.start)..<Int(range.start + range.count)])) }
    }
}
