import CustodyCore
import CustodyQuery
import CustodyStore
import Foundation
import Testing

/// A case written by a custody from before `v4-ran-index` (no `edges_ran_by_dst`) opens
/// read-only and answers exactly as a current one: the index only makes the `ran` hop cheaper.
@Suite struct OlderSchemaTests {
    @Test func blastRadiusAndTraceAreTheSameWithoutTheRanIndex() throws {
        let graph = try Incident.build()
        let questions: [(BlastRadiusSubject, TimeWindow)] = [
            (.package(purl: Incident.debug442, versions: nil), .unbounded),
            (.package(purl: Incident.debug442, versions: nil), T.window("2025-03-12T00:00:00Z", "2025-03-21T12:00:00Z")),
            (.secret(Incident.dbCreds), .unbounded),
        ]
        func answers(_ database: CaseDatabase) throws -> [BlastRadiusResult] {
            try questions.flatMap { subject, window in
                try database.read { reader in
                    [try BlastRadiusEngine(reader: reader, window: window).run(subject),
                     try BlastRadiusEngine(reader: reader, window: window, includePaths: false, rowLimit: 1).run(subject)]
                }
            }
        }
        let current = try answers(graph.database)
        let traced = try graph.trace(.workload(Incident.api))
        #expect(try indexes(graph.database).contains("edges_ran_by_dst"))

        try graph.database.writeDerived { db in
            try db.execute(sql: "DROP INDEX edges_ran_by_dst")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v4-ran-index'")
        }
        let older = try CaseDatabase(path: graph.path, readOnly: true)
        #expect(try indexes(older).contains("edges_ran_by_dst") == false)
        #expect(try answers(older) == current)
        #expect(try older.read { try TraceEngine(reader: $0, window: .unbounded).run(.workload(Incident.api)) } == traced)
        #expect(current[0].workloads.count == 2)
    }

    private func indexes(_ database: CaseDatabase) throws -> [String] {
        try database.runReadOnly(sql: "SELECT name FROM sqlite_master WHERE type = 'index'").rows.compactMap { row in
            if case let .text(name)? = row.first { name } else { nil }
        }
    }
}
