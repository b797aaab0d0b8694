import CustodyCore
import CustodyStore
import Foundation
import Testing

/// A fresh case database file in a temporary directory, removed by the caller.
func temporaryDatabasePath(_ name: String = "case") -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("custody-store-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.appendingPathComponent("\(name).db").path
}

func document(_ sha: String, source: String = "test.json") -> DocumentInput {
    DocumentInput(sha256: sha, format: "test", source: source, size: 3, observedAt: nil,
                  ingestor: "test", ingestorVersion: "1", stored: ContentCodec.encode(Array("abc".utf8)))
}

@Suite struct CaseDatabaseTests {
    @Test func createsSchemaWithWALAndViews() throws {
        let path = temporaryDatabasePath()
        _ = try CaseDatabase(path: path)
        let db = try CaseDatabase(path: path, readOnly: true)
        let result = try db.runReadOnly(sql: "SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name")
        let views = result.rows.compactMap { $0.first?.text }
        #expect(views.contains("v_packages"))
        #expect(views.contains("v_artifacts"))
        #expect(views.contains("v_documents"))
        let mode = try db.runReadOnly(sql: "SELECT * FROM pragma_journal_mode")
        #expect(mode.rows.first?.first?.text == "wal")
    }

    @Test func refusesDatabaseFromNewerCustody() throws {
        let path = temporaryDatabasePath()
        _ = try CaseDatabase(path: path)
        // Simulate a newer custody: it recorded a migration this build does not know.
        let newer = try CaseDatabase(path: path)
        try newer.writeDerived { db in
            try db.execute(sql: "INSERT INTO grdb_migrations(identifier) VALUES ('v99-future')")
        }
        #expect {
            _ = try CaseDatabase(path: path)
        } throws: { error in
            guard let error = error as? CustodyError else { return false }
            return error.code == .database && error.message.contains("newer custody")
        }
    }

    @Test func readOnlyOpenOfMissingFileSaysHowToStart() throws {
        #expect {
            _ = try CaseDatabase(path: temporaryDatabasePath("missing"), readOnly: true)
        } throws: { error in
            (error as? CustodyError)?.message.contains("no case database") == true
        }
    }

    @Test func writesFactsWithEvidenceAndMergesIntervals() throws {
        let db = try CaseDatabase(path: temporaryDatabasePath())
        var batch = FactBatch()
        let artifact = batch.node(.artifact, "sha256:" + String(repeating: "a", count: 64), attributes: ["name": "app"], at: "/metadata")
        let package = batch.node(.package, "pkg:npm/debug@4.4.2", at: "/components/0")
        batch.edge(.contains, from: artifact, to: package, firstSeen: Timestamp(secondsSinceEpoch: 100),
                   lastSeen: Timestamp(secondsSinceEpoch: 100), at: "/components/0")
        let first = try #require(try db.ingest(document: document("11"), batch: batch, ingestedAt: Timestamp(secondsSinceEpoch: 1)))
        #expect(first.nodesAdded == 2)
        #expect(first.edgesAdded == 1)

        var later = FactBatch()
        let artifact2 = later.node(.artifact, "sha256:" + String(repeating: "a", count: 64), attributes: ["mediaType": "index"])
        let package2 = later.node(.package, "pkg:npm/debug@4.4.2")
        later.edge(.contains, from: artifact2, to: package2, firstSeen: Timestamp(secondsSinceEpoch: 50),
                   lastSeen: Timestamp(secondsSinceEpoch: 200), certainty: .inferred)
        let second = try #require(try db.ingest(document: document("22"), batch: later, ingestedAt: Timestamp(secondsSinceEpoch: 2)))
        #expect(second.nodesAdded == 0)
        #expect(second.edgesAdded == 0)

        let edges = try db.runReadOnly(sql: "SELECT first_seen, last_seen, certainty FROM edges")
        #expect(edges.rows == [[.integer(50_000_000_000), .integer(200_000_000_000), .text("recorded")]])
        let attrs = try db.runReadOnly(sql: "SELECT attrs FROM nodes WHERE kind = 'artifact'")
        #expect(attrs.rows.first?.first?.text == #"{"mediaType":"index","name":"app"}"#)
        let evidence = try db.runReadOnly(sql: "SELECT count(*) FROM edge_evidence")
        #expect(evidence.rows.first?.first == .integer(2))
        let packages = try db.runReadOnly(sql: "SELECT type, namespace, name, version FROM package_index")
        #expect(packages.rows == [[.text("npm"), .text(""), .text("debug"), .text("4.4.2")]])
    }

    @Test func sameBytesTwiceIsANoOp() throws {
        let db = try CaseDatabase(path: temporaryDatabasePath())
        var batch = FactBatch()
        batch.node(.package, "pkg:npm/a@1")
        #expect(try db.ingest(document: document("33"), batch: batch, ingestedAt: Timestamp(secondsSinceEpoch: 1)) != nil)
        #expect(try db.ingest(document: document("33"), batch: batch, ingestedAt: Timestamp(secondsSinceEpoch: 1)) == nil)
        #expect(try db.hasDocument(sha256: "33"))
    }

    @Test func sqlRefusesWritesAndAttach() throws {
        let path = temporaryDatabasePath()
        _ = try CaseDatabase(path: path)
        let db = try CaseDatabase(path: path, readOnly: true)
        #expect(throws: CustodyError.self) { try db.runReadOnly(sql: "DELETE FROM nodes") }
        #expect(throws: CustodyError.self) { try db.runReadOnly(sql: "ATTACH DATABASE '/tmp/x.db' AS x") }
        #expect(throws: CustodyError.self) { try db.runReadOnly(sql: "SELECT 1; DROP TABLE nodes") }
        #expect(throws: CustodyError.self) { try db.runReadOnly(sql: "SELECT * FROM nodes WHERE key = ?") }
    }

    @Test func sqlStopsAtTimeLimitAndRowCap() throws {
        let path = temporaryDatabasePath()
        _ = try CaseDatabase(path: path)
        let db = try CaseDatabase(path: path, readOnly: true)
        let endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
        #expect {
            try db.runReadOnly(sql: endless, limits: SQLLimits(timeLimit: .milliseconds(200), rowCap: 10))
        } throws: { error in
            (error as? CustodyError)?.message.contains("time limit") == true
        }
        let capped = try db.runReadOnly(sql: "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 100) SELECT x FROM c",
                                        limits: SQLLimits(rowCap: 10))
        #expect(capped.rows.count == 10)
        #expect(capped.truncated)
    }

    @Test func storedContentRoundTrips() throws {
        let bytes = Array(String(repeating: "evidence ", count: 1000).utf8)
        let stored = ContentCodec.encode(bytes)
        #expect(stored.encoding == "zstd")
        #expect(stored.bytes.count < bytes.count)
        #expect(try ContentCodec.decode(stored) == bytes)
        // Below 256 bytes the document is stored as it is.
        let small = ContentCodec.encode(Array("tiny".utf8))
        #expect(small.encoding == "identity")
        #expect(try ContentCodec.decode(small) == Array("tiny".utf8))
    }

    /// Case databases written before zstd hold gzip blobs; they must stay readable. (The blob
    /// is Python's `gzip.compress(b"evidence stored by custody before zstd\n" * 20, mtime=0)`.)
    @Test func legacyGzipContentDecodes() throws {
        let blob = try #require(Data(base64Encoded: "H4sIAAAAAAACA0sty0xJzUtOVSguyS9KTVFIqlRILgWyUyoVklLTgEIKVcUlKVypo8pGlQ13ZQAY7TtADAMAAA=="))
        let decoded = try ContentCodec.decode(StoredContent(encoding: "gzip", bytes: Array(blob)))
        #expect(decoded == Array(String(repeating: "evidence stored by custody before zstd\n", count: 20).utf8))
    }

    /// Damaged or crafted blobs are refused with an error, never decoded past their frame.
    @Test func corruptZstdContentIsRefused() throws {
        let bytes = Array(String(repeating: "evidence ", count: 1000).utf8)
        let stored = ContentCodec.encode(bytes)
        let truncated = StoredContent(encoding: "zstd", bytes: Array(stored.bytes.prefix(stored.bytes.count / 2)))
        #expect(throws: CustodyError.self) { try ContentCodec.decode(truncated) }
        // A frame header claiming 4 GiB (single-segment frame, 8-byte content size) with no data.
        var huge: [UInt8] = [0x28, 0xB5, 0x2F, 0xFD, 0xE0]
        huge += withUnsafeBytes(of: UInt64(1 << 32).littleEndian, Array.init)
        #expect { try ContentCodec.decode(StoredContent(encoding: "zstd", bytes: huge)) } throws: { error in
            (error as? CustodyError)?.message.contains("corrupt") == true
        }
        #expect(throws: CustodyError.self) { try ContentCodec.decode(StoredContent(encoding: "lz77", bytes: [1])) }
    }
}
