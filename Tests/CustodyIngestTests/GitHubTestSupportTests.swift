import CustodyCore
import CustodyIngest
import CustodyStore
import Foundation
import Testing

/// Helpers for the CI evidence tests: ingesting with the real pipeline into a temporary case
/// database and reading facts back with SQL.
enum CITest {
    /// A fresh case database in a temporary directory, and the pipeline writing to it.
    static func pipeline() throws -> (IngestPipeline, CaseDatabase) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("custody-ci-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let database = try CaseDatabase(path: directory.appendingPathComponent("case.db").path)
        return (IngestPipeline(database: database), database)
    }

    /// Ingests `paths` (in order, one pipeline call each, like `custody ingest A; custody ingest B`).
    @discardableResult
    static func ingest(_ paths: [String], into pipeline: IngestPipeline) -> [IngestReport] {
        paths.map { pipeline.run(paths: [$0]) }
    }

    /// Target keys of `kind` edges leaving the node `from` (optionally only derived / only recorded ones).
    static func targets(_ database: CaseDatabase, _ kind: EdgeKind, from: String, certainty: Certainty? = nil) throws -> Set<String> {
        var sql = """
            SELECT d.key FROM edges e JOIN nodes s ON s.id = e.src JOIN nodes d ON d.id = e.dst
            WHERE e.kind = ? AND s.key = ?
            """
        var arguments: [SQLValue] = [.text(kind.rawValue), .text(from)]
        if let certainty {
            sql += " AND e.certainty = ?"
            arguments.append(.text(certainty.rawValue))
        }
        return try Set(database.read { try $0.rows(sql, arguments) }.compactMap { row in
            if case let .text(key) = row[0] { return key }
            return nil
        })
    }

    /// Keys of all nodes of `kind`.
    static func nodes(_ database: CaseDatabase, _ kind: NodeKind) throws -> Set<String> {
        try Set(database.read { try $0.rows("SELECT key FROM nodes WHERE kind = ?", [.text(kind.rawValue)]) }.compactMap { row in
            if case let .text(key) = row[0] { return key }
            return nil
        })
    }

    /// One attribute of one node.
    static func attribute(_ database: CaseDatabase, _ kind: NodeKind, _ key: String, _ name: String) throws -> String? {
        let rows = try database.read {
            try $0.rows("SELECT json_extract(attrs, '$.' || ?) FROM nodes WHERE kind = ? AND key = ?",
                        [.text(name), .text(kind.rawValue), .text(key)])
        }
        guard let value = rows.first?.first, case let .text(text) = value else { return nil }
        return text
    }

    /// (first_seen, last_seen, certainty, qualifier) of the edges `from -kind-> to`.
    static func edges(_ database: CaseDatabase, _ kind: EdgeKind, from: String, to: String)
        throws -> [(first: Timestamp?, last: Timestamp?, certainty: String, qualifier: String)] {
        try database.read {
            try $0.rows("""
                SELECT e.first_seen, e.last_seen, e.certainty, e.qualifier FROM edges e
                JOIN nodes s ON s.id = e.src JOIN nodes d ON d.id = e.dst
                WHERE e.kind = ? AND s.key = ? AND d.key = ?
                """, [.text(kind.rawValue), .text(from), .text(to)])
        }.map { row in
            var certainty = "", qualifier = ""
            if case let .text(text) = row[2] { certainty = text }
            if case let .text(text) = row[3] { qualifier = text }
            return (row[0].timestamp, row[1].timestamp, certainty, qualifier)
        }
    }

    static func log(_ text: String, source: String = "job.log") throws -> FactBatch {
        try GitHubJobLogIngestor().ingest(IngestInput(source: source, fileName: (source as NSString).lastPathComponent,
                                                      bytes: Array(text.utf8)))
    }

    /// Lines prefixed with consecutive GitHub timestamps.
    static func stamped(_ lines: [String], start: String = "2025-01-02T03:04:05") -> String {
        lines.enumerated().map { index, line in
            "\(start).\(String(format: "%07d", index))Z \(line)"
        }.joined(separator: "\n") + "\n"
    }

    static func time(_ text: String) -> Timestamp { try! Timestamp(rfc3339: text) }
}

@Suite("CI test support")
struct CITestSupportTests {
    @Test func stampedLinesAreGitHubLogLines() throws {
        let batch = try CITest.log(CITest.stamped(["Current runner version: '2.300.0'", "hello"]))
        #expect(batch.nodes.contains { $0.ref.kind == .run })
    }
}
