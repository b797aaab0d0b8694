import Foundation

/// Facts of a batch handed to the writer while the ingestor is still reading the document
/// (`FactBatch.publish`): the nodes and edges added since the last chunk, in batch order,
/// with their locations.
public struct FactChunk: Sendable {
    /// Batch index of `nodes[0]` (a node's local id) and of `edges[0]`.
    public let nodeStart: Int
    public let edgeStart: Int
    public let nodes: [NodeFact]
    public let edges: [EdgeFact]
    /// The locations of this chunk's facts (their ranges point here, not into the batch).
    public let locations: LocationText
}

/// A bounded hand-over of `FactChunk`s from the thread that reads a document to the thread
/// that writes it, so that SQLite inserts the first facts of a large SBOM while the rest are
/// still being read (`IngestPipeline`'s streamed first load): the two cores work at once
/// instead of one after the other.
///
/// The reader publishes (`send`), blocking while `capacity` chunks wait, then ends the stream
/// (`end`); the writer takes chunks (`next`) until it gets nil. A writer that
/// fails or has no use for the chunks (the case was not empty) calls `stopListening`: later
/// chunks are dropped, so the reader never blocks on it.
public final class FactStream: @unchecked Sendable {
    public let capacity: Int
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var queue: [FactChunk] = []
    private var ended = false
    private var listening = true

    public init(capacity: Int = 4) {
        self.capacity = max(1, capacity)
    }

    /// Whether the writer still takes chunks (publishing can be skipped when not).
    public var isListening: Bool {
        condition.lock()
        defer { condition.unlock() }
        return listening
    }

    /// Hands `chunk` over; waits while the queue is full.
    public func send(_ chunk: FactChunk) {
        condition.lock()
        defer { condition.unlock() }
        while listening, queue.count >= capacity { condition.wait() }
        guard listening, !ended else { return }
        queue.append(chunk)
        condition.broadcast()
    }

    /// No more chunks: the document was read (its whole batch goes to the writer by other
    /// means) or rejected.
    public func end() {
        condition.lock()
        ended = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk, in order; nil once the stream has ended and every chunk was taken.
    public func next() -> FactChunk? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty, !ended { condition.wait() }
        guard !queue.isEmpty else { return nil }
        let chunk = queue.removeFirst()
        condition.broadcast()
        return chunk
    }

    /// The writer takes no more chunks: those queued and later ones are dropped.
    public func stopListening() {
        condition.lock()
        listening = false
        queue.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
