import CustodyCore
import Foundation
import GRDB

/// A large document written while it is still being read: the reading thread publishes its
/// facts in chunks (`facts`, see `FactBatch.publish`) and ends with `finish` (the document
/// row's content and the whole batch) or `abandon` (it was rejected); the writing thread
/// stores the chunks as they come (`CaseDatabase.ingestStreamed`).
///
/// Only into an empty graph: there every fact is new, so a chunk needs no lookup and each
/// fact's id is known when it is published (its index in the batch + 1, i.e. document
/// order). Into a graph that holds facts already, the writer stops listening and writes the
/// finished batch the ordinary way (`GraphWriter`).
public final class StreamedDocument: @unchecked Sendable {
    public let facts: FactStream
    /// The document's size in bytes (the page cache setting depends on it).
    public let size: Int
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var outcome: (document: DocumentInput, batch: FactBatch)?
    private var ended = false

    public init(size: Int, facts: FactStream = FactStream()) {
        self.size = size
        self.facts = facts
    }

    /// The reader is done: `batch` is every fact of `document`, published or not.
    public func finish(document: DocumentInput, batch: FactBatch) {
        condition.lock()
        outcome = (document, batch)
        ended = true
        condition.broadcast()
        condition.unlock()
        facts.end()
    }

    /// The reader rejected the document: nothing of it may be stored.
    public func abandon() {
        condition.lock()
        ended = true
        condition.broadcast()
        condition.unlock()
        facts.end()
    }

    /// Waits for `finish` or `abandon`; the finished document (handed over once), or nil.
    func waitForOutcome() -> (document: DocumentInput, batch: FactBatch)? {
        condition.lock()
        defer { condition.unlock() }
        while !ended { condition.wait() }
        defer { outcome = nil }
        return outcome
    }
}

extension CaseDatabase {
    /// Whether the case holds no fact yet (the condition for a streamed first load; the
    /// writer checks again inside its transaction).
    public func isGraphEmpty() throws -> Bool {
        try queue.read { db in try FactWriter.graphIsEmpty(db) }
    }

    /// Stores `streamed` in one transaction as its chunks arrive (call on a thread other than
    /// the reader's). Nil when nothing was stored: the same bytes are stored already, or the
    /// reader abandoned the document. A failure rolls everything back.
    public func ingestStreamed(_ streamed: StreamedDocument, sha256: String, ingestedAt: Timestamp)
        -> Result<WriteSummary?, CustodyError> {
        // Also when the write cannot even begin (the case is locked): the reader must not wait
        // for a writer that never listened.
        defer { streamed.facts.stopListening() }
        do {
            return .success(try writeSession { session in
                try session.ingestStreamed(streamed, sha256: sha256, ingestedAt: ingestedAt)
            })
        } catch let error as CustodyError {
            return .failure(error)
        } catch {
            return .failure(CustodyError(.database, "writing to \(path) failed; nothing was stored", cause: "\(error)"))
        }
    }
}

extension WriteSession {
    /// SQLite's page cache while a streamed document is read, in KiB.
    static let streamingCacheKiB = 4_096
    /// Helper threads for the index builds that end a streamed load (`PRAGMA threads`), and
    /// the page cache then, in KiB.
    static let indexSortThreads = 2
    static let indexSortCacheKiB = 1_024

    /// (`CaseDatabase.ingestStreamed` stops the stream however this ends.)
    func ingestStreamed(_ streamed: StreamedDocument, sha256: String, ingestedAt: Timestamp) throws -> WriteSummary? {
        try useSmallCacheAfterLargeDocuments(largest: streamed.size)
        var summary: WriteSummary?
        try db.inSavepoint {
            let stored = try Int64.fetchOne(db, sql: "SELECT id FROM documents WHERE sha256 = ?", arguments: [sha256]) != nil
            guard !stored, try FactWriter.graphIsEmpty(db) else {
                streamed.facts.stopListening()
                guard !stored, let (document, batch) = streamed.waitForOutcome() else { return .rollback }
                edgeCache.recording = false
                summary = try GraphWriter(db: db, tables: tables).write([(document, batch)], ingestedAt: ingestedAt,
                                                                      edgeCache: &edgeCache)[0]
                return .commit
            }
            edgeCache.removeAll()
            summary = try writeStreamedFirstLoad(streamed, ingestedAt: ingestedAt)
            return summary == nil ? .rollback : .commit
        }
        return summary
    }

    /// Into an empty graph: chunks first, then the finished batch's tail and the facts merged
    /// into after publication, then the document row, its diagnostics and the indexes a bulk
    /// load rebuilds by sorting. Nil if the reader abandoned the document.
    private func writeStreamedFirstLoad(_ streamed: StreamedDocument, ingestedAt: Timestamp) throws -> WriteSummary? {
        var timer = PhaseTimer(label: "streamed write")
        defer { timer.report() }
        try GraphIndexes.dropRebuilt(db)
        // While the document is being read, SQLite's cache adds to the reader's memory: a small
        // one (appends need few pages). 16 MiB raised the benchmark SBOM's peak by 25 MB, and
        // by as much again during the index builds (whose sorts spill to a file either way),
        // for no speed.
        try db.execute(sql: "PRAGMA cache_size = -\(Self.streamingCacheKiB)")
        let documentID = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM documents") ?? 0) + 1
        var writer = StreamedFactWriter(db: db, tables: tables, documentID: documentID)
        let writeback = EarlyWriteback(path: path)
        while let chunk = streamed.facts.next() { try writer.write(chunk) }
        timer.mark("chunks")
        guard let (document, batch) = streamed.waitForOutcome() else { return nil }
        timer.mark("wait")
        try writer.finish(batch)
        // The rows are final: their pages go to the disk while the indexes are built. (Started
        // during the chunks too, it wrote a third more: index pages are changed again and again.)
        writeback.start()
        timer.mark("tail")
        try GraphWriter(db: db, tables: tables).storeDocument(document, diagnostics: batch.diagnostics, id: documentID,
                                                             ingestedAt: ingestedAt)
        timer.mark("document")
        // The reader is done and the other core idle: SQLite sorts the index entries in runs
        // that helper threads sort while the writer reads the table (a small cache makes the
        // runs small): the benchmark SBOM's two indexes ≈ 0.33 → 0.28 s.
        try db.execute(sql: "PRAGMA threads = \(Self.indexSortThreads)")
        try db.execute(sql: "PRAGMA cache_size = -\(Self.indexSortCacheKiB)")
        defer {
            try? db.execute(sql: "PRAGMA threads = 0")
            try? db.execute(sql: "PRAGMA cache_size = -\(Self.largeDocumentCacheKiB)")
        }
        try GraphIndexes.createRebuilt(db, timer: &timer)
        writeback.start()
        var summary = WriteSummary()
        summary.nodesSeen = batch.nodes.count
        summary.edgesSeen = batch.edges.count
        summary.nodesAdded = batch.nodes.count
        summary.edgesAdded = batch.edges.count
        return summary
    }
}

/// Appends published chunks to an empty graph: fact `i` of the batch gets the id `i + 1`
/// (document order; the unique indexes take the keys in whatever order they come).
struct StreamedFactWriter {
    let db: Database
    let documentID: Int64
    /// Appends the rows (`FactWriter.append`).
    private let rows: FactWriter
    /// Stored id of each node written, by batch index.
    private var nodeIDs: [Int64] = []
    private var edgesWritten = 0

    init(db: Database, tables: BatchTable.Pair, documentID: Int64) {
        self.db = db
        self.documentID = documentID
        rows = FactWriter(db: db, tables: tables)
    }

    mutating func write(_ chunk: FactChunk) throws {
        guard chunk.nodeStart == nodeIDs.count, chunk.edgeStart == edgesWritten else {
            throw CustodyError(.internalError, "streamed facts out of order: chunk at \(chunk.nodeStart)/\(chunk.edgeStart), written \(nodeIDs.count)/\(edgesWritten)")
        }
        if !chunk.nodes.isEmpty {
            let first = Int64(nodeIDs.count) + 1
            try rows.append(NodeRows(chunk.nodes, locations: chunk.locations, order: Self.identity(chunk.nodes.count),
                                     firstID: first, documents: .all(documentID), appends: true))
            nodeIDs.append(contentsOf: first..<(first + Int64(chunk.nodes.count)))
        }
        if !chunk.edges.isEmpty {
            let first = Int64(edgesWritten) + 1
            try rows.append(EdgeRows(chunk.edges, locations: chunk.locations, nodeIDs: nodeIDs,
                                     order: Self.identity(chunk.edges.count), firstID: first,
                                     documents: .all(documentID), appends: true))
            edgesWritten += chunk.edges.count
        }
    }

    /// The facts of `batch` not published, and the final values of published facts that
    /// later assertions merged into (a repeated component: its attributes, location, interval).
    mutating func finish(_ batch: FactBatch) throws {
        try write(batch.unpublished)
        let nodes = Set(batch.changedAfterPublishing.nodes).sorted()
        if !nodes.isEmpty {
            let update = try BulkStatement(db, """
                UPDATE nodes SET attrs = ?2, location = ?3, purl_type = ?4, purl_namespace = ?5, purl_name = ?6,
                    purl_version = ?7 WHERE id = ?1
                """)
            for index in nodes {
                let node = batch.nodes[index]
                let package = FactColumns.package(of: node)
                update.bind(1, nodeIDs[index])
                update.bind(2, AttributeJSON.encode(node.attributes))
                update.bind(3, batch.location(of: node))
                update.bind(4, package?.type)
                update.bind(5, package?.namespace)
                update.bind(6, package?.name)
                update.bind(7, package?.version)
                try update.step(db)
            }
        }
        let edges = Set(batch.changedAfterPublishing.edges).sorted()
        if !edges.isEmpty {
            let update = try BulkStatement(db, """
                UPDATE edges SET first_seen = ?2, last_seen = ?3, certainty = ?4, attrs = ?5, location = ?6 WHERE id = ?1
                """)
            for index in edges {
                let edge = batch.edges[index]
                update.bind(1, Int64(index) + 1)
                update.bind(2, edge.firstSeen?.nanosecondsSinceEpoch)
                update.bind(3, edge.lastSeen?.nanosecondsSinceEpoch)
                update.bind(4, edge.certainty.rawValue)
                update.bind(5, AttributeJSON.encode(edge.attributes))
                update.bind(6, batch.location(of: edge))
                try update.step(db)
            }
        }
        guard nodeIDs.count == batch.nodes.count, edgesWritten == batch.edges.count else {
            throw CustodyError(.internalError, "streamed write stored \(nodeIDs.count) nodes and \(edgesWritten) edges of \(batch.nodes.count) and \(batch.edges.count)")
        }
    }

    private static func identity(_ count: Int) -> [Int32] {
        Array(0..<Int32(count))
    }
}
