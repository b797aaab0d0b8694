import CustodyCore
import Dispatch
import Foundation
import GRDB
import Testing
@testable import CustodyStore

@Suite("Schema upgrades")
struct SchemaUpgradeTests {
    /// A database written before `v3-write-indexes` still opens read-only (queries work on a
    /// case from an older custody), and the next writable open adds the index.
    @Test func olderDatabaseOpensReadOnlyAndUpgradesOnWrite() throws {
        let path = temporaryDatabasePath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        do {
            let database = try CaseDatabase(path: path)
            try database.queue.write { db in
                try db.execute(sql: "DROP INDEX edges_by_qualifier")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v3-write-indexes'")
            }
        }
        let reader = try CaseDatabase(path: path, readOnly: true)
        #expect(try reader.queue.read { try $0.indexes(on: "edges").map(\.name).contains("edges_by_qualifier") } == false)
        let writer = try CaseDatabase(path: path)
        #expect(try writer.queue.read { try $0.indexes(on: "edges").map(\.name).contains("edges_by_qualifier") })
    }

    /// Several processes creating the same case at once (ingests started together): each
    /// open waits for or builds on the others' migrations instead of failing on "table
    /// documents already exists". Separate connections in one process race the same way.
    @Test func concurrentOpensOfANewCaseAllSucceed() throws {
        for _ in 0..<12 {
            let path = temporaryDatabasePath()
            defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
            let failures = Failures()
            DispatchQueue.concurrentPerform(iterations: 4) { _ in
                do { _ = try CaseDatabase(path: path) } catch { failures.add("\(error)") }
            }
            #expect(failures.all.isEmpty)
            let database = try CaseDatabase(path: path, readOnly: true)
            let applied = try database.queue.read { try Migrations.appliedIdentifiers($0) }
            #expect(applied == Set(Migrations.knownIdentifiers))
        }
    }

    /// Opening a current database for writing writes nothing (a re-ingest of known bytes must
    /// not pay for commits and syncs).
    @Test func openingACurrentDatabaseWritesNothing() throws {
        let path = temporaryDatabasePath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        _ = try CaseDatabase(path: path)
        let database = try CaseDatabase(path: path)
        // Closing the first connection checkpointed and removed the WAL; a write on open would
        // have put frames in a new one.
        let wal = try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int
        #expect((wal ?? 0) == 0)
        #expect(try database.hasDocument(sha256: String(repeating: "0", count: 64)) == false)
    }
}

/// Errors collected from concurrent work.
private final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [String] = []
    func add(_ error: String) { lock.withLock { errors.append(error) } }
    var all: [String] { lock.withLock { errors } }
}
