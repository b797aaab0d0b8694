import CustodyCore
import Foundation
import GRDB

/// The case database: one SQLite file (WAL) holding the provenance graph and every evidence
/// document. This is the store's façade; GRDB does not leak past it.
public final class CaseDatabase: Sendable {
    public let path: String
    let queue: DatabaseQueue
    /// The writing connection's batch tables (bulk writes read facts through them).
    let batchTables: BatchTable.Pair
    /// Edges an ingest run wrote, kept between its transactions (`EdgeIdentityCache`).
    let edgeCaches = EdgeCacheShelf()

    /// WAL size (pages of 4 KiB: 64 MiB) past which it is checkpointed, by SQLite in the
    /// writer's commit or by `BackgroundCheckpoints` during a long ingest run.
    public static let walCheckpointPages: Int32 = 16384

    /// How long a connection waits for another one's lock before giving up: an ingest waits
    /// for another ingest's transaction to commit (every 8 s and 256 MiB of input, longer
    /// on a slow machine); failing after 10 s, as before, rejected its documents for nothing.
    public static let defaultBusyTimeout: Duration = .seconds(60)
    let busyTimeoutMilliseconds: Int32

    /// Where the case database lives when neither `--db` nor `CUSTODY_DB` says.
    public static let defaultPath = "./custody.db"

    /// Resolves `--db`, then `CUSTODY_DB`, then the default.
    public static func resolvePath(_ flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let env = environment["CUSTODY_DB"], !env.isEmpty { return env }
        return defaultPath
    }

    /// Opens (creating and migrating when writable) the case database at `path`.
    /// - Parameter readOnly: open without the possibility of writing (for `custody sql` and
    ///   queries); the file must exist.
    /// - Parameter busyTimeout: how long to wait for another connection's lock.
    public init(path: String, readOnly: Bool = false, busyTimeout: Duration = defaultBusyTimeout) throws {
        self.path = path
        let busyMilliseconds = Int32(clamping: Int64(busyTimeout / .milliseconds(1)))
        busyTimeoutMilliseconds = busyMilliseconds
        let tables = BatchTable.Pair()
        batchTables = tables
        var config = Configuration()
        config.readonly = readOnly
        config.busyMode = .timeout(Double(busyMilliseconds) / 1000)
        config.label = "custody"
        // WAL is set by hand rather than with `config.journalMode = .wal`: GRDB then writes a
        // dummy transaction on every open whose WAL file is empty (always, after a clean
        // close), which costs a no-op re-ingest four syncs.
        config.prepareDatabase { db in
            // Durable enough for evidence (WAL survives a process crash); fsync per commit is
            // what makes a 1,000-document ingest slow, and a power cut only loses the tail.
            if !db.configuration.readonly {
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // Savepoint journals (one per document of a group) stay in memory, not a temp file.
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
                // Checkpoint every 64 MiB of WAL rather than SQLite's 4 MiB: an ingest commits
                // every few seconds and each commit passed 4 MiB, so each one also checkpointed
                // (two fsyncs, and every page written a second time in the database file).
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(CaseDatabase.walCheckpointPages)")
            }
            // Page cache: 64 MiB, until this connection writes a large document
            // (`WriteSession.useSmallCacheAfterLargeDocuments`).
            try db.execute(sql: "PRAGMA cache_size = -65536")
            if !db.configuration.readonly { try tables.register(on: db.sqliteConnection) }
        }
        if readOnly, !FileManager.default.fileExists(atPath: path) {
            throw CustodyError(.database, "no case database at \(path)",
                               cause: "ingest evidence first (custody ingest PATH), or pass --db / set CUSTODY_DB")
        }
        do {
            queue = try Self.openQueue(path: path, configuration: config, busyTimeout: busyTimeout)
        } catch {
            // A rollback journal left by an ingest that was killed during a first load
            // (`writingFirstLoad`): only a writable open can roll the write back.
            if readOnly, let size = try? FileManager.default.attributesOfItem(atPath: path + "-journal")[.size] as? Int, size > 0 {
                throw CustodyError(.database, "\(path) holds the unfinished write of an interrupted ingest (\(path)-journal)",
                                   cause: "run the interrupted custody ingest again: it rolls the unfinished write back first; nothing stored before is lost")
            }
            throw CustodyError(.database, "cannot open case database \(path)", cause: "\(error)")
        }
        try checkSchema(readOnly: readOnly)
    }

    /// Opens the connection. Setting WAL on a case another process is creating at the same
    /// moment can meet its lock without SQLite's busy handler being asked (SQLite returns
    /// "database is locked" at once where waiting could deadlock), so a busy open is tried
    /// again, for as long as the busy timeout.
    private static func openQueue(path: String, configuration: Configuration, busyTimeout: Duration) throws -> DatabaseQueue {
        let deadline = ContinuousClock.now + busyTimeout
        while true {
            do {
                return try DatabaseQueue(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
    }

    private func checkSchema(readOnly: Bool) throws {
        let known = Set(Migrations.knownIdentifiers)
        do {
            if !readOnly {
                // A current case is recognised with a read, so that opening it writes nothing
                // and waits for no writer. Anything else (new, older, newer, or being created
                // by another process right now, which can make this read fail) is settled
                // under the write lock.
                let applied = try? queue.read(Migrations.appliedIdentifiers)
                if applied != known {
                    try queue.writeWithoutTransaction { db in try Migrations.migrate(db, path: path) }
                }
                // An ingest that was interrupted after a bulk load may have left them out.
                try restoreIndexes()
            } else {
                let applied = try queue.read(Migrations.appliedIdentifiers)
                let unknown = applied.subtracting(known).sorted()
                if !unknown.isEmpty { throw Migrations.newerCustody(path: path, unknown: unknown) }
                // Reading needs every migration that readers depend on; the write-path
                // indexes come with the next ingest.
                let needed = known.subtracting(Migrations.notNeededForReading)
                if !needed.isSubset(of: applied) {
                    throw CustodyError(.database, "\(path) is not a custody case database, or an older one",
                                       cause: "run any custody ingest on it to upgrade it")
                }
            }
        } catch let error as CustodyError {
            throw error
        } catch {
            throw CustodyError(.database, "cannot read case database \(path)", cause: "\(error)")
        }
    }

    /// Runs `body` inside a read transaction with a snapshot of the graph.
    public func read<T>(_ body: (GraphReader) throws -> T) throws -> T {
        do {
            return try queue.read { db in try body(GraphReader(db: db)) }
        } catch let error as CustodyError {
            throw error
        } catch {
            throw CustodyError(.database, "reading \(path) failed", cause: "\(error)")
        }
    }
}
