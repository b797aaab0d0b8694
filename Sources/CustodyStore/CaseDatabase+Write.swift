import CustodyCore
import GRDB

extension CaseDatabase {
    /// Whether a document with these bytes (by sha256) is already stored.
    public func hasDocument(sha256: String) throws -> Bool {
        try read { reader in try reader.documentID(sha256: sha256) != nil }
    }

    /// Stores `document` and the facts it asserts atomically. Returns nil (and writes nothing)
    /// when the same bytes were stored before.
    public func ingest(document: DocumentInput, batch: FactBatch, ingestedAt: Timestamp) throws -> WriteSummary? {
        try writeSession { session in try session.ingest(document: document, batch: batch, ingestedAt: ingestedAt) }
    }

    /// Runs `body` in one write transaction in which it may store many documents
    /// (`WriteSession.ingest`), each atomically in its own savepoint. One commit for a group of
    /// documents instead of one each: on a fleet of small SBOMs the per-commit WAL writes and
    /// syncs, not the rows, were most of the time. Nothing is stored if the commit fails.
    ///
    /// The session's `EdgeIdentityCache` is handed on to the next session only once this
    /// one's commit succeeded.
    public func writeSession<T>(_ body: (WriteSession) throws -> T) throws -> T {
        do {
            var kept: (cache: EdgeIdentityCache, epoch: UInt64)?
            let result = try queue.write { db in
                let (cache, epoch) = edgeCaches.take()
                let session = try WriteSession(db: db, tables: batchTables, path: path, edgeCache: cache)
                let result = try body(session)
                kept = (session.edgeCache, epoch)
                return result
            }
            if let kept { edgeCaches.putBack(kept.cache, takenIn: kept.epoch) }
            return result
        } catch let error as CustodyError {
            throw error
        } catch {
            throw CustodyError(.database, "writing to \(path) failed; nothing from this write was stored", cause: "\(error)")
        }
    }

    /// Hands SQLite's clean cached pages back: after a transaction that stored large documents
    /// (pod snapshots), most of the page cache holds their compressed bytes, which are never
    /// read again; without this the cache grows to its limit over a long run and the peak
    /// memory with it.
    public func releaseCachedPages() {
        queue.releaseMemory()
    }

    /// Builds the secondary indexes a bulk load left for later (`WriteSession.ingest(group:
    /// moreToFollow:)`), if any are missing: at the end of an ingest run, and on opening a
    /// database whose last run was interrupted before it got there. Returns the names built.
    @discardableResult
    public func restoreIndexes() throws -> [String] {
        let present = try queue.read { db in
            try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index'"))
        }
        let missing = GraphIndexes.rebuiltByBulkLoad.filter { !present.contains($0.name) }
        guard !missing.isEmpty else { return [] }
        try writeDerived { db in
            for index in missing { try db.execute(sql: index.create) }
        }
        return missing.map(\.name)
    }

    /// Runs `body` in one write transaction, for derived facts computed from stored ones
    /// (tag histories, run intervals). Rolled back if `body` throws.
    /// Drops the edge cache of ingest runs: these writes do not keep it up to date.
    public func writeDerived<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.write { db in
                edgeCaches.discard()
                return try body(db)
            }
        } catch let error as CustodyError {
            throw error
        } catch {
            throw CustodyError(.database, "updating \(path) failed", cause: "\(error)")
        }
    }
}

/// A write transaction open on the case database (see `CaseDatabase.writeSession`). Valid only
/// inside the closure that received it.
public final class WriteSession {
    let db: Database
    let tables: BatchTable.Pair
    let path: String
    /// Edges this run stored or looked up (`EdgeIdentityCache`); emptied whenever a write
    /// is rolled back.
    var edgeCache: EdgeIdentityCache

    /// Checks `edgeCache` against `PRAGMA data_version` (which also starts the transaction's
    /// snapshot, so no other commit can come between the check and the writes).
    init(db: Database, tables: BatchTable.Pair, path: String, edgeCache: EdgeIdentityCache) throws {
        self.db = db
        self.tables = tables
        self.path = path
        self.edgeCache = edgeCache
        self.edgeCache.validate(dataVersion: try Int64.fetchOne(db, sql: "PRAGMA data_version"))
    }

    /// Stores `document` and its facts in a savepoint: if anything fails, the document leaves
    /// nothing behind and the session goes on. Nil (nothing written) for bytes already stored.
    public func ingest(document: DocumentInput, batch: FactBatch, ingestedAt: Timestamp) throws -> WriteSummary? {
        try ingest(group: [(document, batch)], ingestedAt: ingestedAt)[0].get()
    }

    /// Stores several documents and their facts, merged and written together (`GraphWriter`):
    /// one lookup and one write per distinct fact of the group instead of one per document
    /// asserting it. Atomic per document all the same: if the group's write fails, it is rolled
    /// back and each document is written alone in its own savepoint, so only a document that
    /// fails by itself is left out. One result per document, in order; nil for bytes already
    /// stored (before or earlier in the group).
    ///
    /// `moreToFollow`: further groups come in this run, which then ends with
    /// `CaseDatabase.restoreIndexes()`; indexes dropped for a bulk load into an empty graph are
    /// rebuilt once there, not after every group.
    ///
    /// `merged`: the group's facts merged ahead (`MergedFacts`); used when every document of
    /// it is written, else the facts are merged again here.
    /// SQLite's page cache: 64 MiB while only small documents are written (a fleet of SBOMs:
    /// inserts into a 1.2-million-edge graph descend indexes larger than 16 MiB; 1 s of write
    /// CPU), 16 MiB for good once the connection writes a document of 8 MiB or more (a pod
    /// snapshot, a 50 MB SBOM). Writes of those touch leaf pages all over the evidence indexes:
    /// with 64 MiB the cache filled up over a long run and raised its peak memory by up to
    /// 50 MiB, and going back to 64 MiB for the ReplicaSet lists after the pod snapshots raised
    /// the Kubernetes benchmark's peak from 219 to 307 MiB.
    ///
    /// Statement and savepoint journals go to a temporary file from then on too (SQLite keeps
    /// the first 64 KiB in memory): they hold the original of every stored page a group
    /// changes, which for a pod snapshot is most leaf pages of the evidence tables, so in
    /// memory they grew with the case (+80 MiB of peak over 50 snapshots). The file is
    /// deleted when the statement ends, seconds later, so its pages are not written back.
    /// Where SQLite has no directory to write them (`SQLiteTemporaryDirectory`), they stay in
    /// memory.
    func useSmallCacheAfterLargeDocuments(largest bytes: Int) throws {
        guard bytes >= Self.largeDocumentBytes else { return }
        try db.execute(sql: "PRAGMA cache_size = -\(Self.largeDocumentCacheKiB)")
        if SQLiteTemporaryDirectory.isAvailable { try db.execute(sql: "PRAGMA temp_store = FILE") }
    }

    /// The small page cache, in KiB.
    static let largeDocumentCacheKiB = 16_384

    /// Documents from this size on switch the connection to the small page cache.
    static let largeDocumentBytes = 8 << 20

    public func ingest(group: [(document: DocumentInput, batch: FactBatch)], merged: MergedFacts? = nil, ingestedAt: Timestamp,
                       moreToFollow: Bool = false) -> [Result<WriteSummary?, CustodyError>] {
        var results = [Result<WriteSummary?, CustodyError>](repeating: .success(nil), count: group.count)
        do {
            try useSmallCacheAfterLargeDocuments(largest: group.map(\.document.size).max() ?? 0)
            try db.inSavepoint {
                var seen = Set<String>()
                var positions: [Int] = []
                for (position, entry) in group.enumerated() {
                    guard seen.insert(entry.document.sha256).inserted,
                          try Int64.fetchOne(db, sql: "SELECT id FROM documents WHERE sha256 = ?", arguments: [entry.document.sha256]) == nil
                    else { continue }
                    positions.append(position)
                }
                guard !positions.isEmpty else { return .commit }
                // Only a later group can use what this one would add.
                edgeCache.recording = moreToFollow
                let summaries = try GraphWriter(db: db, tables: tables).write(positions.map { group[$0] }, merged: merged,
                                                                              ingestedAt: ingestedAt, deferIndexes: moreToFollow,
                                                                              edgeCache: &edgeCache)
                for (position, summary) in zip(positions, summaries) { results[position] = .success(summary) }
                return .commit
            }
            return results
        } catch {
            // The savepoint is rolled back: edges written or widened in it are not stored.
            edgeCache.removeAll()
            guard group.count > 1 else { return [.failure(failure(error, source: group[0].document.source))] }
            return group.map { entry in
                Result { try ingest(group: [entry], ingestedAt: ingestedAt, moreToFollow: moreToFollow)[0].get() }
                    .mapError { $0 as? CustodyError ?? failure($0, source: entry.document.source) }
            }
        }
    }

    private func failure(_ error: any Error, source: String) -> CustodyError {
        error as? CustodyError
            ?? CustodyError(.database, "writing to \(path) failed; nothing from \(source) was stored", cause: "\(error)")
    }
}
