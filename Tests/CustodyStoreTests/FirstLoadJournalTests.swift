import CustodyCore
import CustodyStore
import Foundation
import GRDB
import Testing

/// `CaseDatabase.writingFirstLoad`: the first load into an empty case writes through a
/// rollback journal (each page once), then the case is in WAL mode again.
@Suite struct FirstLoadJournalTests {
    static func journalMode(_ db: CaseDatabase) throws -> String? {
        try db.runReadOnly(sql: "SELECT * FROM pragma_journal_mode").rows.first?.first?.text
    }

    static func count(_ table: String, _ db: CaseDatabase) throws -> String? {
        try db.runReadOnly(sql: "SELECT count(*) FROM \(table)").rows.first?.first?.text
    }

    static func batch() -> FactBatch {
        var batch = FactBatch()
        let artifact = batch.node(.artifact, "sha256:" + String(repeating: "a", count: 64), at: "/metadata")
        let package = batch.node(.package, "pkg:npm/debug@4.4.2", at: "/components/0")
        batch.edge(.contains, from: artifact, to: package, at: "/components/0")
        return batch
    }

    @Test func firstLoadUsesRollbackJournalThenWAL() throws {
        let path = temporaryDatabasePath()
        let db = try CaseDatabase(path: path)
        var during: String?
        let summary = try db.writingFirstLoad {
            during = try Self.journalMode(db)
            return try db.ingest(document: document("11"), batch: Self.batch(), ingestedAt: Timestamp(secondsSinceEpoch: 1))
        }
        #expect(during == "delete")
        #expect(summary?.nodesAdded == 2)
        #expect(try Self.journalMode(db) == "wal")
        #expect(!FileManager.default.fileExists(atPath: path + "-journal"))
        #expect(try Self.count("nodes", CaseDatabase(path: path, readOnly: true)) == "2")

        // The case holds a document now: later loads stay in WAL.
        var next: String?
        try db.writingFirstLoad { next = try Self.journalMode(db) }
        #expect(next == "wal")
    }

    @Test func anotherOpenConnectionKeepsWALAndTheLoadStillWorks() throws {
        let path = temporaryDatabasePath()
        let db = try CaseDatabase(path: path)
        let reader = try CaseDatabase(path: path, readOnly: true)
        #expect(try Self.count("nodes", reader) == "0")
        var during: String?
        let started = ContinuousClock.now
        try db.writingFirstLoad {
            during = try Self.journalMode(db)
            _ = try db.ingest(document: document("22"), batch: Self.batch(), ingestedAt: Timestamp(secondsSinceEpoch: 1))
        }
        // The switch is refused at once rather than after the 10 s busy timeout.
        #expect(ContinuousClock.now - started < .seconds(5))
        #expect(during == "wal")
        #expect(try Self.count("nodes", reader) == "2")
    }

    @Test func failedFirstLoadLeavesNothingAndReturnsToWAL() throws {
        struct Abandoned: Error {}
        // writeSession reports any failure as a CustodyError.
        let path = temporaryDatabasePath()
        let db = try CaseDatabase(path: path)
        #expect(throws: CustodyError.self) {
            try db.writingFirstLoad {
                try db.writeSession { session in
                    _ = try session.ingest(document: document("33"), batch: Self.batch(), ingestedAt: Timestamp(secondsSinceEpoch: 1))
                    throw Abandoned()
                }
            }
        }
        #expect(try Self.count("nodes", db) == "0")
        #expect(try Self.count("documents", db) == "0")
        #expect(try Self.journalMode(db) == "wal")
    }

    /// A first load killed mid-write leaves a hot rollback journal: read-only opens cannot roll
    /// it back and say what to do; the next writable open does roll it back.
    @Test func interruptedFirstLoadIsExplainedThenRolledBack() throws {
        let path = temporaryDatabasePath()
        _ = try CaseDatabase(path: path)  // migrated, closed again
        let interrupted = temporaryDatabasePath("interrupted")
        // The files of a rollback-journal write in progress, copied as a crash would leave them.
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            #expect(try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") == "delete")
            try db.execute(sql: "PRAGMA cache_size = 2")
            try db.execute(sql: "BEGIN IMMEDIATE")
            try db.execute(sql: "INSERT INTO nodes(kind, key) SELECT 'package', 'pkg:npm/p' || value FROM json_each(?)",
                           arguments: ["[" + (0..<5_000).map(String.init).joined(separator: ",") + "]"])
            try FileManager.default.copyItem(atPath: path, toPath: interrupted)
            try FileManager.default.copyItem(atPath: path + "-journal", toPath: interrupted + "-journal")
            try db.execute(sql: "ROLLBACK")
        }
        #expect {
            _ = try CaseDatabase(path: interrupted, readOnly: true)
        } throws: { error in
            guard let error = error as? CustodyError else { return false }
            return error.message.contains("unfinished write") && error.cause?.contains("custody ingest") == true
        }
        let recovered = try CaseDatabase(path: interrupted)
        #expect(try Self.count("nodes", recovered) == "0")
        #expect(try Self.journalMode(recovered) == "wal")
        #expect(try recovered.runReadOnly(sql: "SELECT * FROM pragma_integrity_check").rows.first?.first?.text == "ok")
    }
}
