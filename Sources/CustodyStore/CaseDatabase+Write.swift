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
        do {
            return try queue.write { db -> WriteSummary? in
                if try Int64.fetchOne(db, sql: "SELECT id FROM documents WHERE sha256 = ?", arguments: [document.sha256]) != nil {
                    return nil
                }
                let writer = try GraphWriter(db: db)
                return try writer.write(document: document, batch: batch, ingestedAt: ingestedAt)
            }
        } catch let error as CustodyError {
            throw error
        } catch {
            throw CustodyError(.database, "writing to \(path) failed; nothing from \(document.source) was stored", cause: "\(error)")
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
