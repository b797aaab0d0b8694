import CustodyCore
import CustodyStore
import Testing

/// A run of several groups over several transactions uses the edge cache (`EdgeIdentityCache`)
/// for the repeated edges of later groups: it must store exactly what writing the documents one
/// by one stores, also when a group is rolled back, when another connection writes between
/// transactions, and when derived facts are written in between.
@Suite struct EdgeCacheTests {
    private static let image = "sha256:" + String(repeating: "c", count: 64)

    /// Document `n` of a run: the same three packages and an image each, the `dependsOn` edge
    /// between the first two re-asserted with a different interval every time (so each group
    /// widens what the previous one cached), its certainty rising once, attributes and a
    /// qualified twin added on the way, and from the third document a new edge between
    /// packages stored before.
    private static func batch(_ n: Int) -> FactBatch {
        var batch = FactBatch()
        let image = batch.node(.artifact, "sha256:" + String(repeating: "\(n % 10)", count: 64), at: "/metadata")
        let a = batch.node(.package, "pkg:npm/a@1", at: "/components/0")
        let b = batch.node(.package, "pkg:npm/b@1", at: "/components/1")
        let c = batch.node(.package, "pkg:npm/c@1", at: "/components/2")
        for package in [a, b, c] { batch.edge(.contains, from: image, to: package, at: "/components/\(n)") }
        let starts: [Int64] = [100, 50, 200, 10, 400, 5, 1_000, 1]
        batch.edge(.dependsOn, from: a, to: b, firstSeen: Timestamp(secondsSinceEpoch: starts[n % starts.count]),
                   lastSeen: Timestamp(secondsSinceEpoch: starts[n % starts.count] + Int64(n) * 7),
                   certainty: n < 3 ? .inferred : .recorded, attributes: n == 4 ? ["scope": "dev"] : [:], at: "/dependencies/\(n)")
        if n % 2 == 1 { batch.edge(.dependsOn, from: a, to: b, qualifier: "optional", at: "/dependencies/q\(n)") }
        if n >= 2 { batch.edge(.dependsOn, from: b, to: c, firstSeen: Timestamp(secondsSinceEpoch: Int64(n)), at: "/dependencies/bc\(n)") }
        if n >= 5 { batch.edge(.dependsOn, from: c, to: a, certainty: .inferred, at: "/dependencies/ca\(n)") }
        return batch
    }

    private static func entry(_ n: Int) -> (document: DocumentInput, batch: FactBatch) {
        (document("run\(n)", source: "doc\(n).json"), batch(n))
    }

    private static func oneByOne(_ numbers: [Int], into db: CaseDatabase? = nil) throws -> [String] {
        let db = try db ?? CaseDatabase(path: temporaryDatabasePath())
        for n in numbers {
            let (document, batch) = entry(n)
            _ = try db.ingest(document: document, batch: batch, ingestedAt: Timestamp(secondsSinceEpoch: 1))
        }
        return try storedFacts(db)
    }

    /// Writes `transactions` (each a list of groups, each a list of document numbers) as one
    /// run: every group but the last says more follow.
    private static func run(_ transactions: [[[Int]]], into db: CaseDatabase,
                            between: (Int) throws -> Void = { _ in }) throws -> [Result<WriteSummary?, CustodyError>] {
        let total = transactions.joined().count
        var written = 0
        var results: [Result<WriteSummary?, CustodyError>] = []
        for (index, groups) in transactions.enumerated() {
            try db.writeSession { session in
                for group in groups {
                    written += 1
                    results += session.ingest(group: group.map(entry), ingestedAt: Timestamp(secondsSinceEpoch: 1),
                                              moreToFollow: written < total)
                }
            }
            try between(index)
        }
        return results
    }

    @Test func aRunOfGroupsStoresWhatOneByOneStores() throws {
        let db = try CaseDatabase(path: temporaryDatabasePath())
        let results = try Self.run([[[0, 1], [2]], [[3, 4]], [[5], [6, 7]]], into: db)
        #expect(results.allSatisfy { if case .success(.some) = $0 { true } else { false } })
        #expect(try storedFacts(db) == (try Self.oneByOne(Array(0...7))))
    }

    @Test func aRunIntoAPopulatedGraphStoresWhatOneByOneStores() throws {
        let db = try CaseDatabase(path: temporaryDatabasePath())
        let (document, batch) = Self.entry(0)
        _ = try db.ingest(document: document, batch: batch, ingestedAt: Timestamp(secondsSinceEpoch: 1))
        _ = try Self.run([[[1, 2]], [[3], [4, 5]], [[6, 7]]], into: db)
        #expect(try storedFacts(db) == (try Self.oneByOne(Array(0...7))))
    }

    @Test func anotherConnectionWritingBetweenTransactionsIsSeen() throws {
        let path = temporaryDatabasePath()
        let db = try CaseDatabase(path: path)
        _ = try Self.run([[[0], [1]], [[3]], [[4, 5]]], into: db) { index in
            // Widens the cached edges behind the first connection's back.
            guard index == 0 else { return }
            let other = try CaseDatabase(path: path)
            let (document, batch) = Self.entry(2)
            _ = try other.ingest(document: document, batch: batch, ingestedAt: Timestamp(secondsSinceEpoch: 1))
        }
        #expect(try storedFacts(db) == (try Self.oneByOne([0, 1, 2, 3, 4, 5])))
    }

    @Test func derivedWritesBetweenTransactionsDropTheCache() throws {
        let db = try CaseDatabase(path: temporaryDatabasePath())
        _ = try Self.run([[[0], [1]], [[3]], [[4, 5]]], into: db) { index in
            guard index == 0 else { return }
            // A write outside the sessions on the same connection: data_version does not see it.
            try db.writeDerived { db in try db.execute(sql: "UPDATE edges SET first_seen = 1, last_seen = 2") }
        }
        let reference = try CaseDatabase(path: temporaryDatabasePath())
        _ = try Self.oneByOne([0, 1], into: reference)
        try reference.writeDerived { db in try db.execute(sql: "UPDATE edges SET first_seen = 1, last_seen = 2") }
        #expect(try storedFacts(db) == (try Self.oneByOne([3, 4, 5], into: reference)))
    }

    @Test func aRolledBackGroupDropsWhatItCached() throws {
        let db = try CaseDatabase(path: temporaryDatabasePath())
        try db.writeDerived { db in
            try db.execute(sql: """
                CREATE TRIGGER refuse_poison BEFORE INSERT ON edge_evidence_extra
                WHEN NEW.document_id IN (SELECT id FROM documents WHERE source = 'doc4.json')
                BEGIN SELECT RAISE(ABORT, 'poisoned'); END
                """)
        }
        // Group [3, 4, 5] fails as a whole (4's evidence links are refused, after the group's
        // edges were written and cached) and is written again document by document: what its
        // first attempt cached was rolled back.
        let results = try Self.run([[[0, 1]], [[2], [3, 4, 5]], [[6, 7]]], into: db)
        #expect(results.count == 8)
        if case .success = results[4] { Issue.record("the poisoned document was stored") }
        #expect(try storedFacts(db) == (try Self.oneByOne([0, 1, 2, 3, 5, 6, 7])))
    }
}
