import CustodyCrypto
import Dispatch

/// SHA-256 of a file computed while it is read: the reader hands over each chunk once it is in
/// memory and a serial queue hashes it on the other core. For a 67 MB pod snapshot this takes
/// the hash (≈ 50 ms) off the thread that reads and then parses, which is the ingest's
/// critical path. The caller keeps the chunks' memory alive and unchanged until `finish`.
final class OverlappedHasher: @unchecked Sendable {
    private let queue = DispatchQueue(label: "custody.input-hash")
    private var hasher: SHA256Hasher? = SHA256Hasher()

    /// Queues `chunk` behind the chunks before it.
    func add(_ chunk: UnsafeRawBufferPointer) {
        let region = Region(base: chunk.baseAddress, count: chunk.count)
        queue.async {
            self.hasher?.update(UnsafeRawBufferPointer(start: region.base, count: region.count))
        }
    }

    /// Hashes `chunk` on the caller's thread, after the queued chunks.
    func addNow(_ chunk: UnsafeRawBufferPointer) {
        queue.sync { hasher?.update(chunk) }
    }

    /// Waits until every queued chunk is hashed (their memory may change after this).
    func wait() {
        queue.sync {}
    }

    /// Waits for the queued chunks and returns the hash (lower-case hex).
    func finish() -> String {
        queue.sync { hasher.take()!.finalizeHex() }
    }

    /// A chunk's address crossing to the hashing queue; `add`'s caller guarantees its lifetime.
    private struct Region: @unchecked Sendable {
        var base: UnsafeRawPointer?
        var count: Int
    }
}
