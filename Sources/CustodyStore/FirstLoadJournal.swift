import GRDB
import GRDBSQLite

extension CaseDatabase {
    /// Runs `body` (an ingest's write transactions) with a rollback journal instead of the
    /// WAL when the case holds no document yet and no other connection has it open, then
    /// returns to WAL.
    ///
    /// In WAL mode every page of the first load is written twice: into the WAL at commit,
    /// then into the database file by the checkpoint, with a sync of each (174 MB to the
    /// disk for a 50 MB SBOM whose case is 87 MB). A rollback journal holds only the
    /// original of pages that existed before the transaction, which in an empty case is the
    /// schema's few root pages: every other page goes straight to the database file, once,
    /// and is synced once at commit. Atomicity and durability are those of SQLite's
    /// rollback journal: a crash leaves a hot journal that the next writable open rolls back
    /// (read-only opens cannot, and say so: `CaseDatabase.init`).
    ///
    /// Leaving WAL needs an exclusive lock; if another connection (a reader, another
    /// ingest) holds the case open, the switch fails at once and `body` runs in WAL as
    /// always.
    public func writingFirstLoad<T>(_ body: () throws -> T) rethrows -> T {
        let switched = leaveWALForFirstLoad()
        defer { if switched { returnToWAL() } }
        return try body()
    }

    private func leaveWALForFirstLoad() -> Bool {
        (try? queue.writeWithoutTransaction { db -> Bool in
            guard try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM documents)") == true else { return false }
            // Never wait for another connection to let go: the WAL works as well, only slower.
            sqlite3_busy_timeout(db.sqliteConnection, 0)
            defer { sqlite3_busy_timeout(db.sqliteConnection, busyTimeoutMilliseconds) }
            return try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") == "delete"
        }) ?? false
    }

    private func returnToWAL() {
        // If this fails (another process opened the case meanwhile), the next writable open
        // sets WAL again (`CaseDatabase.init`).
        _ = try? queue.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
    }
}
