import Dispatch
import Foundation
import GRDB
import GRDBSQLite

/// WAL checkpoints on their own connection and thread for the length of a long ingest run.
///
/// SQLite checkpoints inside the commit that pushes the WAL past `wal_autocheckpoint` pages,
/// and a checkpoint syncs the WAL and the database file. On a busy disk those syncs took
/// seconds each, and the writing thread (and, through it, the thread preparing the next
/// documents) waited: 32 s of one Kubernetes run's 73 s were commits. Here the writer's WAL
/// hook only signals, and a `PASSIVE` checkpoint — which never blocks the writer or readers —
/// runs on another connection. Durability is unchanged: with `synchronous = NORMAL`, commits
/// were never synced on their own, only at checkpoints.
public final class BackgroundCheckpoints: @unchecked Sendable {
    private let database: CaseDatabase
    private let connection: DatabaseQueue
    private let queue = DispatchQueue(label: "custody.checkpoint")
    private let lock = NSLock()
    private var running = false
    private var stopped = false
    private let thresholdPages: Int32

    init(database: CaseDatabase, thresholdPages: Int32) throws {
        self.database = database
        self.thresholdPages = thresholdPages
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        connection = try DatabaseQueue(path: database.path, configuration: configuration)
        let context = Unmanaged.passUnretained(self).toOpaque()
        database.queue.writeWithoutTransaction { db in
            _ = sqlite3_wal_hook(db.sqliteConnection, { context, _, _, pages in
                guard let context else { return SQLITE_OK }
                Unmanaged<BackgroundCheckpoints>.fromOpaque(context).takeUnretainedValue().committed(walPages: pages)
                return SQLITE_OK
            }, context)
        }
    }

    /// Called by the writer's connection after each commit, with the WAL's size in pages.
    private func committed(walPages: Int32) {
        guard walPages >= thresholdPages else { return }
        lock.lock()
        defer { lock.unlock() }
        guard !running, !stopped else { return }
        running = true
        queue.async { [self] in
            // A failure (a reader holding an old snapshot, I/O) only leaves the WAL longer; the
            // next commit asks again and `stop` hands checkpointing back to SQLite.
            _ = try? connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            lock.lock()
            running = false
            lock.unlock()
        }
    }

    /// Gives checkpointing back to the writer's connection (`wal_autocheckpoint`) and waits
    /// for a checkpoint in progress. Must be called before this object is released.
    public func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
        database.queue.writeWithoutTransaction { db in
            _ = sqlite3_wal_autocheckpoint(db.sqliteConnection, CaseDatabase.walCheckpointPages)
        }
        queue.sync {}
    }
}

extension CaseDatabase {
    /// Starts checkpointing this database's WAL in the background until `stop()` (see
    /// `BackgroundCheckpoints`). Nil when the second connection cannot be opened: SQLite then
    /// keeps checkpointing in the writer's commits, as before.
    /// `thresholdPages`: the WAL size that starts a checkpoint (`walCheckpointPages` unless a
    /// test wants one after every commit).
    public func startBackgroundCheckpoints(thresholdPages: Int32 = CaseDatabase.walCheckpointPages) -> BackgroundCheckpoints? {
        try? BackgroundCheckpoints(database: self, thresholdPages: thresholdPages)
    }
}
