import Foundation

/// Where a case database keeps its `EdgeIdentityCache` between write transactions: an ingest
/// run commits every two seconds (a new `WriteSession` each time), and the cache is worth
/// having only across the whole run.
///
/// A session takes the cache and puts it back after its commit succeeded; if the session
/// failed it puts nothing back, so what stays here always mirrors committed rows. Every take
/// and every other write on the connection (`discard`) starts a new epoch, and a cache comes
/// back only into the epoch it was taken in: one written around by anything else is dropped.
final class EdgeCacheShelf: @unchecked Sendable {
    private let lock = NSLock()
    private var cache = EdgeIdentityCache()
    private var epoch: UInt64 = 0

    /// The cache (empty if none is kept), and the epoch to return it in.
    func take() -> (cache: EdgeIdentityCache, epoch: UInt64) {
        lock.withLock {
            epoch &+= 1
            defer { cache = EdgeIdentityCache() }
            return (cache, epoch)
        }
    }

    /// Keeps `returned` unless something took the cache or wrote since `takenIn`.
    func putBack(_ returned: EdgeIdentityCache, takenIn: UInt64) {
        lock.withLock {
            guard epoch == takenIn else { return }
            cache = returned
            cache.recording = false
        }
    }

    /// Drops the cache: the connection is about to write outside a write session.
    func discard() {
        lock.withLock {
            epoch &+= 1
            cache = EdgeIdentityCache()
        }
    }
}
