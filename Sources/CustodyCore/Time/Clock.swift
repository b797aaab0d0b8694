import Foundation

/// The wall clock, injectable so that outputs that mention "now" (ingest time) are
/// deterministic in tests.
public struct WallClock: Sendable {
    public var now: @Sendable () -> Timestamp

    public init(now: @escaping @Sendable () -> Timestamp) {
        self.now = now
    }

    public static let system = WallClock {
        let seconds = Date().timeIntervalSince1970
        return Timestamp(nanosecondsSinceEpoch: Int64(seconds * 1_000_000_000))
    }

    public static func fixed(_ time: Timestamp) -> WallClock { WallClock { time } }
}
