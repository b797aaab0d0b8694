import CustodyCore
import CustodyStore
import Dispatch
import Foundation

/// A document between its two stages: `prepare` (read, hash, detect, parse, compress) either
/// finished it (already stored, rejected) or made it ready for `commit` (the write).
enum Prepared: Sendable {
    case done(IngestReport.Entry)
    case ready(Ready)
}

/// A parsed document waiting for its write.
struct Ready: Sendable {
    let source: String
    let sha256: String
    let format: String
    let document: DocumentInput
    let batch: FactBatch
}

/// How much a write group takes (`WriteSession.ingest(group:)`): enough documents that the
/// facts they share are looked up and written once and that its sorted inserts touch each
/// index page once (a fleet of 500-component SBOMs: sixty; forty cost 30 % more write CPU
/// than a hundred), few enough that the groups in flight (`GroupPrefetch`) keep memory
/// bounded (twenty ReplicaSet lists of 2,000 objects raised the peak of a 50-snapshot
/// Kubernetes ingest by 70 MiB). A group holds at least one document, however large.
struct WriteGroupBudget {
    static let maxFacts = 150_000
    static let maxBytes = 16 << 20

    private(set) var facts = 0
    private(set) var bytes = 0

    mutating func add(_ ready: Ready) {
        facts += ready.batch.nodes.count + ready.batch.edges.count
        bytes += ready.document.size
    }

    var isFull: Bool { facts >= Self.maxFacts || bytes >= Self.maxBytes }
}

/// A write group as prepared: its documents in input order, and the facts of those ready to
/// be written merged already (nil for one document: nothing to merge).
struct PreparedGroup: Sendable {
    let items: [Prepared]
    let merged: MergedFacts?
    /// At least `largeBytes` of input to write: not prepared two ahead (`GroupPrefetch`), and
    /// its memory handed back to the kernel once written.
    var isLarge: Bool { bytes >= Self.largeBytes }
    /// Bytes of input to write (of the documents ready to be written).
    let bytes: Int

    static let largeBytes = 8 << 20

    init(items: [Prepared], merged: MergedFacts?) {
        self.items = items
        self.merged = merged
        bytes = items.reduce(0) { total, item in if case let .ready(ready) = item { total + ready.document.size } else { total } }
    }
}

/// Prepares documents `0..<count` in order on its own thread and hands them out in write
/// groups (`WriteGroupBudget`), merged (`MergedFacts`) on this thread too. One group waits at
/// most, and a large one (a 67 MB pod snapshot) holds the next back until the caller took it:
/// memory stays bounded by two large groups (one being written, one waiting or being
/// prepared) whatever the directory holds; small ones keep a third in preparation, which
/// absorbs the jitter of short parses and writes.
final class GroupPrefetch: @unchecked Sendable {
    private let condition = NSCondition()
    private var waiting: PreparedGroup?

    init(count: Int, lookup: CaseDatabase, prepare: @escaping @Sendable (Int, CaseDatabase) -> Prepared) {
        let thread = Thread { [self] in
            var items: [Prepared] = []
            var budget = WriteGroupBudget()
            for index in 0..<count {
                if items.isEmpty {
                    condition.lock()
                    while let waiting, waiting.isLarge { condition.wait() }
                    condition.unlock()
                }
                let prepared = prepare(index, lookup)
                if case let .ready(ready) = prepared { budget.add(ready) }
                items.append(prepared)
                guard budget.isFull || index == count - 1 else { continue }
                let group = Self.group(items)
                items = []
                budget = WriteGroupBudget()
                condition.lock()
                while waiting != nil { condition.wait() }
                waiting = group
                condition.broadcast()
                condition.unlock()
            }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    private static func group(_ items: [Prepared]) -> PreparedGroup {
        let ready = items.compactMap { item -> Ready? in if case let .ready(ready) = item { ready } else { nil } }
        var timer = PhaseTimer(label: "merge of \(ready.count) documents")
        defer { timer.report() }
        let merged = ready.count > 1 ? MergedFacts(merging: ready.map(\.batch), documents: ready.map(\.sha256)) : nil
        timer.mark("merge")
        return PreparedGroup(items: items, merged: merged)
    }

    /// The next group, in order; blocks until it is prepared. The caller stops asking once it
    /// has had all `count` documents.
    func next() -> PreparedGroup {
        condition.lock()
        defer { condition.unlock() }
        while waiting == nil { condition.wait() }
        let group = waiting!
        waiting = nil
        condition.broadcast()
        return group
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
