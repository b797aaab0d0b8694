import CustodyCore
import CustodyStore
import Dispatch
import Foundation

/// A document between its two stages: `prepare` (read, hash, detect, parse, compress) either
/// finished it (already stored, rejected) or made it ready for `commit` (the write).
enum Prepared: Sendable {
    case done(IngestReport.Entry)
    case ready(Ready)

    var isLarge: Bool {
        guard case let .ready(ready) = self else { return false }
        return ready.document.size >= Prefetch.largeDocumentBytes
    }
}

/// A parsed document waiting for its write.
struct Ready: Sendable {
    let source: String
    let sha256: String
    let format: String
    let document: DocumentInput
    let batch: FactBatch
}

/// Prepares documents `0..<count` in order on its own thread, ahead of the caller, who takes
/// them in order with `next()`. One document waits at most, and a large one (a 67 MB pod
/// snapshot) holds the next back until the caller took it: memory stays bounded by two large
/// documents (one being written, one waiting or being prepared) whatever the directory holds.
/// Small documents (a fleet of SBOMs) keep a third in preparation, which absorbs the jitter
/// of many short parses and writes.
final class Prefetch: @unchecked Sendable {
    private let condition = NSCondition()
    private var slot: Prepared?
    /// Documents from this size on are not prepared two ahead.
    static let largeDocumentBytes = 8 << 20

    init(count: Int, lookup: CaseDatabase, prepare: @escaping @Sendable (Int, CaseDatabase) -> Prepared) {
        let thread = Thread { [self] in
            for index in 0..<count {
                condition.lock()
                while let waiting = slot, waiting.isLarge { condition.wait() }
                condition.unlock()
                let prepared = prepare(index, lookup)
                condition.lock()
                while slot != nil { condition.wait() }
                slot = prepared
                condition.broadcast()
                condition.unlock()
            }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The next document, in order; blocks until it is prepared. Called once per document.
    func next() -> Prepared {
        condition.lock()
        defer { condition.unlock() }
        while slot == nil { condition.wait() }
        let prepared = slot!
        slot = nil
        condition.broadcast()
        return prepared
    }
}

/// Runs a closure on a global queue and waits for its value later: enough structure for one
/// piece of work overlapped with the caller's, without making the pipeline async.
final class Background<Value: Sendable>: @unchecked Sendable {
    private let group = DispatchGroup()
    private var value: Value?

    init(_ work: @escaping @Sendable () -> Value) {
        group.enter()
        DispatchQueue.global().async {
            self.value = work()
            self.group.leave()
        }
    }

    func wait() -> Value {
        group.wait()
        return value!
    }
}

/// Drops the caller's last reference to `value` on another thread (deallocating a batch).
/// `trim`: then hand the freed memory back to the kernel (`malloc_trim`). After a large
/// document (a 67 MB pod snapshot and its facts) the allocator otherwise keeps most of it,
/// and the resident size crept up by a megabyte or two per snapshot.
func releaseInBackground<T: Sendable>(_ value: consuming T, trim: Bool = false) {
    let box = value
    DispatchQueue.global(qos: .utility).async {
        withExtendedLifetime(box) {}
        #if os(Linux)
        if trim { _ = glibcMallocTrim(0) }
        #endif
    }
}

#if os(Linux)
/// glibc's `malloc_trim` (declared in `<malloc.h>`, which the Glibc module does not export).
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
