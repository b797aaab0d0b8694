import CustodyCore
import CustodyStore
import Testing

/// Several documents written as one group (`WriteSession.ingest(group:)`) must store exactly
/// what writing them one after the other stores, and stay atomic per document.
@Suite struct GroupWriteTests {
    private static let image = "sha256:" + String(repeating: "a", count: 64)
    private static let other = "sha256:" + String(repeating: "b", count: 64)

    /// Four documents that overlap in every way a merge has to get right: shared nodes whose
    /// later documents bring new attribute keys (and conflicting values, which must not win),
    /// a repeated edge whose interval widens and whose certainty rises to `recorded`, a
    /// qualified edge next to an unqualified one between the same nodes, a document repeating
    /// an earlier one's bytes, and locations that differ per document.
    private static func documents() -> [(document: DocumentInput, batch: FactBatch)] {
        var first = FactBatch()
        let image1 = first.node(.artifact, image, attributes: ["name": "app"], at: "/metadata")
        let debug1 = first.node(.package, "pkg:npm/debug@4.4.2", at: "/components/0")
        let ms1 = first.node(.package, "pkg:npm/ms@2.1.3", at: "/components/1")
        first.edge(.contains, from: image1, to: debug1, at: "/components/0")
        first.edge(.dependsOn, from: debug1, to: ms1, firstSeen: Timestamp(secondsSinceEpoch: 100),
                   lastSeen: Timestamp(secondsSinceEpoch: 100), certainty: .inferred, at: "/dependencies/0")
        first.warn("component without purl", at: "/components/2")

        var second = FactBatch()
        let image2 = second.node(.artifact, image, attributes: ["name": "renamed", "mediaType": "index"], at: "/subject")
        let debug2 = second.node(.package, "pkg:npm/debug@4.4.2", attributes: ["license": "MIT"], at: "/packages/3")
        let ms2 = second.node(.package, "pkg:npm/ms@2.1.3", at: "/packages/4")
        second.edge(.contains, from: image2, to: debug2, attributes: ["scope": "required"], at: "/relationships/0")
        second.edge(.dependsOn, from: debug2, to: ms2, firstSeen: Timestamp(secondsSinceEpoch: 50),
                    lastSeen: Timestamp(secondsSinceEpoch: 300), at: "/relationships/1")
        second.edge(.dependsOn, from: debug2, to: ms2, qualifier: "dev", at: "/relationships/2")

        var third = FactBatch()
        let other3 = third.node(.artifact, other, at: "/metadata")
        let ms3 = third.node(.package, "pkg:npm/ms@2.1.3", attributes: ["license": "MIT"], at: "/components/0")
        third.edge(.contains, from: other3, to: ms3, at: "/components/0")

        return [(document("g1", source: "one.json"), first), (document("g2", source: "two.json"), second),
                (document("g1", source: "copy-of-one.json"), first), (document("g3", source: "three.json"), third)]
    }

    private static func ingestOneByOne(_ documents: [(document: DocumentInput, batch: FactBatch)], into db: CaseDatabase) throws -> [WriteSummary?] {
        try documents.map { try db.ingest(document: $0.document, batch: $0.batch, ingestedAt: Timestamp(secondsSinceEpoch: 1)) }
    }

    private static func ingestAsGroup(_ documents: [(document: DocumentInput, batch: FactBatch)], into db: CaseDatabase) throws -> [WriteSummary?] {
        try db.writeSession { session in
            try session.ingest(group: documents, ingestedAt: Timestamp(secondsSinceEpoch: 1)).map { try $0.get() }
        }
    }

    @Test func groupStoresWhatOneByOneStores() throws {
        let documents = Self.documents()
        let sequential = try CaseDatabase(path: temporaryDatabasePath())
        let grouped = try CaseDatabase(path: temporaryDatabasePath())
        let expected = try Self.ingestOneByOne(documents, into: sequential)
        let summaries = try Self.ingestAsGroup(documents, into: grouped)
        #expect(summaries == expected)
        #expect(summaries[2] == nil, "the repeated bytes are already present")
        #expect(summaries.compactMap { $0?.nodesAdded } == [3, 0, 1])
        #expect(summaries.compactMap { $0?.edgesAdded } == [2, 1, 1])
        let stored = try storedFacts(grouped)
        #expect(stored == (try storedFacts(sequential)))
        // The merge rules, spelled out: first values win, new keys are added, intervals widen.
        #expect(stored.contains { $0.contains(#"'{"mediaType":"index","name":"app"}'"#) })
        #expect(stored.contains { $0.hasPrefix("E'dependsOn'") && $0.contains("''50000000000300000000000'recorded'") })
    }

    @Test func groupMergesIntoAPopulatedGraph() throws {
        let documents = Self.documents()
        let sequential = try CaseDatabase(path: temporaryDatabasePath())
        let grouped = try CaseDatabase(path: temporaryDatabasePath())
        _ = try Self.ingestOneByOne(Array(documents.prefix(1)), into: sequential)
        _ = try Self.ingestOneByOne(Array(documents.prefix(1)), into: grouped)
        let expected = try Self.ingestOneByOne(Array(documents.dropFirst()), into: sequential)
        let summaries = try Self.ingestAsGroup(Array(documents.dropFirst()), into: grouped)
        #expect(summaries == expected)
        #expect(try storedFacts(grouped) == (try storedFacts(sequential)))
    }

    @Test func aDocumentFailingInAGroupLeavesOnlyItselfOut() throws {
        let db = try CaseDatabase(path: temporaryDatabasePath())
        // A write that fails for one document only, however it is grouped.
        try db.writeDerived { db in
            try db.execute(sql: """
                CREATE TRIGGER refuse_poison BEFORE INSERT ON nodes WHEN NEW.key = 'pkg:npm/poison@1'
                BEGIN SELECT RAISE(ABORT, 'poisoned'); END
                """)
        }
        var poisoned = FactBatch()
        let image = poisoned.node(.artifact, Self.image)
        let poison = poisoned.node(.package, "pkg:npm/poison@1")
        poisoned.edge(.contains, from: image, to: poison)
        var documents = Self.documents()
        documents.insert((document("bad", source: "bad.json"), poisoned), at: 1)
        let results = try db.writeSession { session in session.ingest(group: documents, ingestedAt: Timestamp(secondsSinceEpoch: 1)) }
        #expect(results.count == 5)
        guard case let .failure(error) = results[1] else {
            Issue.record("the poisoned document was stored")
            return
        }
        #expect(error.message.contains("bad.json"))
        let outcomes = results.map { result in
            switch result {
            case .failure: "rejected"
            case .success(nil): "present"
            case let .success(summary?): "stored \(summary.nodesAdded)"
            }
        }
        #expect(outcomes == ["stored 3", "rejected", "stored 0", "present", "stored 1"])
        let dump = try storedFacts(db)
        #expect(!dump.contains { $0.contains("poison") || $0.contains("'bad'") })
        #expect(dump.filter { $0.hasPrefix("DOC") }.count == 3)
    }

    @Test func largeGroupIntoEmptyGraphRebuildsTheIndexes() throws {
        let db = try CaseDatabase(path: temporaryDatabasePath())
        let batches: [(document: DocumentInput, batch: FactBatch)] = (0..<3).map { index in
            var batch = FactBatch()
            let image = batch.node(.artifact, "sha256:" + String(repeating: "\(index)", count: 64))
            for package in 0..<2_000 {
                batch.edge(.contains, from: image, to: batch.node(.package, "pkg:npm/p\(package)@1"))
            }
            return (document("big\(index)"), batch)
        }
        let summaries = try Self.ingestAsGroup(batches, into: db)
        #expect(summaries.map { $0?.nodesAdded } == [2_001, 1, 1])
        #expect(summaries.map { $0?.edgesAdded } == [2_000, 2_000, 2_000])
        let indexes = try db.runReadOnly(sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('nodes_by_purl', 'edges_by_dst')")
        #expect(indexes.rows.count == 2)
        let evidence = try db.runReadOnly(sql: "SELECT count(*) FROM node_evidence_extra")
        #expect(evidence.rows.first?.first == .integer(4_000))
    }

    @Test func indexesLeftForTheEndOfARunAreRebuiltByTheNextOpenIfTheRunStopped() throws {
        let path = temporaryDatabasePath()
        let db = try CaseDatabase(path: path)
        var batch = FactBatch()
        let image = batch.node(.artifact, Self.image)
        for package in 0..<3_000 {
            batch.edge(.contains, from: image, to: batch.node(.package, "pkg:npm/p\(package)@1"))
        }
        _ = try db.writeSession { session in
            session.ingest(group: [(document("run"), batch)], ingestedAt: Timestamp(secondsSinceEpoch: 1), moreToFollow: true)
        }
        let indexes = "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name IN ('nodes_by_purl', 'edges_by_dst')"
        #expect(try db.runReadOnly(sql: indexes).rows.first?.first == .integer(0), "the bulk load left them for the end of the run")
        // The run stops here; the next writable open rebuilds them.
        let reopened = try CaseDatabase(path: path)
        #expect(try reopened.runReadOnly(sql: indexes).rows.first?.first == .integer(2))
        #expect(try reopened.restoreIndexes().isEmpty)
    }
}
