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
    public func writeSession<T>(_ body: (WriteSession) throws -> T) throws -> T {
        do {
            return try queue.write { db in try body(WriteSession(db: db, tables: batchTables, path: path)) }
        } catch let error as CustodyError {
            throw error
        } catch {
            throw CustodyError(.database, "writing to \(path) failed; nothing from this write was stored", cause: "\(error)")
        }
    }

    /// Runs `body` in one write transaction, for derived facts computed from stored ones
    /// (tag histories, run intervals). Rolled back if `body` throws.
    public func writeDerived<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.write { db in try body(db) }
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

    init(db: Database, tables: BatchTable.Pair, path: String) {
        self.db = db
        self.tables = tables
        self.path = path
    }

    /// Stores `document` and its facts in a savepoint: if anything fails, the document leaves
    /// nothing behind and the session goes on. Nil (nothing written) for bytes already stored.
    public func ingest(document: DocumentInput, batch: FactBatch, ingestedAt: Timestamp) throws -> WriteSummary? {
        var summary: WriteSummary?
        do {
            try db.inSavepoint {
                if try Int64.fetchOne(db, sql: "SELECT id FROM documents WHERE sha256 = ?", arguments: [document.sha256]) != nil {
                    return .commit
                }
                summary = try GraphWriter(db: db, tables: tables).write(document: document, batch: batch, ingestedAt: ingestedAt)
                return .commit
            }
        } catch let error as CustodyError {
            throw error
        } catch {
            throw CustodyError(.database, "writing to \(path) failed; nothing from \(document.source) was stored", cause: "\(error)")
        }
        return summary
    }
}
