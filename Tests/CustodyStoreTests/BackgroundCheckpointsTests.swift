import CustodyCore
import CustodyStore
import Foundation
import Testing

/// `BackgroundCheckpoints`: the WAL is copied into the database file by the background
/// connection after the writer's commits, without SQLite's own checkpoint in the commit.
@Suite struct BackgroundCheckpointsTests {
    private func mainFileSize(_ path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? -1
    }

    /// Ten documents of 500 nodes each, one transaction per document.
    private func ingestDocuments(into db: CaseDatabase) throws {
        for doc in 0..<10 {
            var batch = FactBatch()
            for node in 0..<500 { batch.node(.package, "pkg:npm/doc\(doc)-node\(node)@1.0.0") }
            _ = try db.ingest(document: document(String(repeating: "\(doc)", count: 64)), batch: batch,
                              ingestedAt: Timestamp(secondsSinceEpoch: 1_700_000_000))
        }
    }

    @Test func checkpointsRunBesideTheWriter() throws {
        let path = temporaryDatabasePath()
        let db = try CaseDatabase(path: path)
        let before = try mainFileSize(path)
        let checkpoints = try #require(db.startBackgroundCheckpoints(thresholdPages: 1))
        try ingestDocuments(into: db)
        checkpoints.stop()
        #expect(try mainFileSize(path) > before)
        let stored = try CaseDatabase(path: path, readOnly: true).runReadOnly(sql: "SELECT count(*) FROM documents")
        #expect(stored.rows.first?.first?.text == "10")
    }

    /// The control: the same writes without it leave the database file as it was (the WAL
    /// stays below SQLite's 64 MiB threshold), so the test above measures the background work.
    @Test func withoutThemTheWALStaysUncopied() throws {
        let path = temporaryDatabasePath()
        let db = try CaseDatabase(path: path)
        let before = try mainFileSize(path)
        try ingestDocuments(into: db)
        #expect(try mainFileSize(path) == before)
    }
}
