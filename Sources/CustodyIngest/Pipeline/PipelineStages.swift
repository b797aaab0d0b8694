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
/// facts they share are looked up and written once (a fleet of SBOMs: about forty), few
/// enough that memory stays bounded by one group being written and one being prepared. A
/// group holds at least one document, however large.
struct WriteGroupBudget {
    static let maxFacts = 100_000
    static let maxBytes = 64 << 20

    private(set) var facts = 0
    private(set) var bytes = 0

    mutating func add(_ ready: Ready) {
        facts += ready.batch.nodes.count + ready.batch.edges.count
        bytes += ready.document.size
    }

    mutating func remove(_ ready: Ready) {
        facts -= ready.batch.nodes.count + ready.batch.edges.count
        bytes -= ready.document.size
    }

    var isFull: Bool { facts >= Self.maxFacts || bytes >= Self.maxBytes }
}

/// Prepares documents `0..<count` in order on its own thread, ahead of the caller, who takes
/// them in order with `next()`. It runs at most one write group ahead (`WriteGroupBudget`):
/// the next group is prepared while the current one is written, and memory stays bounded by
/// two groups whatever the directory holds.
final class Prefetch: @unchecked Sendable {
    private let condition = NSCondition()
    /// A few dozen documents at most: `removeFirst` is cheap enough.
    private var queue: [Prepared] = []
    private var queued = WriteGroupBudget()

    init(count: Int, lookup: CaseDatabase, prepare: @escaping @Sendable (Int, CaseDatabase) -> Prepared) {
        let thread = Thread { [self] in
            for index in 0..<count {
                let prepared = prepare(index, lookup)
                condition.lock()
                while queued.isFull { condition.wait() }
                if case let .ready(ready) = prepared { queued.add(ready) }
                queue.append(prepared)
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
        while queue.isEmpty { condition.wait() }
        let prepared = queue.removeFirst()
        if case let .ready(ready) = prepared { queued.remove(ready) }
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
func releaseInBackground<T: Sendable>(_ value: consuming T) {
    let box = value
    DispatchQueue.global(qos: .utility).async { withExtendedLifetime(box) {} }
}
