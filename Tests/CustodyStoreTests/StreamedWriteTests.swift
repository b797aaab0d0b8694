import CustodyCore
import CustodyStore
import Dispatch
import Foundation
import GRDB
import Testing

/// The writer's side of a streamed first load (`CaseDatabase.ingestStreamed`) when it cannot
/// write: the reader must never wait for it, and the failure must be reported.
@Suite("Streamed write")
struct StreamedWriteTests {
    /// Another connection holds the case's write lock for longer than the busy timeout (2 s here):
    /// the write fails, and the reader publishes more chunks than the stream holds (4) without
    /// blocking.
    @Test func aLockedCaseFailsTheWriteAndNeverBlocksTheReader() throws {
        let path = temporaryDatabasePath()
        let database = try CaseDatabase(path: path, busyTimeout: .seconds(2))
        let blocker = try DatabaseQueue(path: path)
        let locked = DispatchSemaphore(value: 0), unlock = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? blocker.inDatabase { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                locked.signal()
                unlock.wait()
                try db.execute(sql: "ROLLBACK")
            }
        }
        locked.wait()

        let streamed = StreamedDocument(size: 1 << 20)
        let writer = Background {
            database.ingestStreamed(streamed, sha256: String(repeating: "ab", count: 32), ingestedAt: Timestamp(secondsSinceEpoch: 1))
        }
        let reading = DispatchGroup()
        reading.enter()
        DispatchQueue.global().async {
            var batch = FactBatch()
            batch.stream = streamed.facts
            for index in 0..<20 {
                batch.node(.package, "pkg:npm/p\(index)@1.0.0", at: "/components/\(index)")
                batch.publish()
            }
            streamed.finish(document: document(String(repeating: "ab", count: 32)), batch: batch)
            reading.leave()
        }
        #expect(reading.wait(timeout: .now() + 60) == .success, "the reader waited for a writer that had failed")
        let result = writer.wait()
        unlock.signal()
        guard case let .failure(error) = result else {
            Issue.record("a write into a locked case succeeded")
            return
        }
        #expect(error.code == .database)
        #expect(try database.read { try $0.rows("SELECT count(*) FROM nodes") }.first?.first == .integer(0))
    }
}
