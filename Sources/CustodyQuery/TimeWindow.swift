import CustodyCore

/// The time restriction of a question (DESIGN.md §3): `--at T` keeps edges whose interval
/// contains T; `--from/--to` keeps edges whose interval overlaps the window. Unknown interval
/// ends are open: an edge with no times is kept (timeless facts are not guessed away).
public struct TimeWindow: Sendable, Equatable {
    public var from: Timestamp?
    public var to: Timestamp?
    public var at: Timestamp?

    public init(from: Timestamp? = nil, to: Timestamp? = nil, at: Timestamp? = nil) {
        self.from = from
        self.to = to
        self.at = at
    }

    public static let unbounded = TimeWindow()

    public var isUnbounded: Bool { from == nil && to == nil && at == nil }

    /// Whether an edge seen from `first` to `last` (nil = unknown / still open) passes.
    public func admits(first: Timestamp?, last: Timestamp?) -> Bool {
        if let at {
            if let first, first > at { return false }
            if let last, last < at { return false }
            return true
        }
        if let to, let first, first > to { return false }
        if let from, let last, last < from { return false }
        return true
    }
}
