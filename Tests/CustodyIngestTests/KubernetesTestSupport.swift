import CustodyCore
@testable import CustodyIngest
import CustodyStore
import Foundation
import Testing

/// Helpers shared by the Kubernetes test files.
enum KubeTest {
    static let time = try! Timestamp(rfc3339: "2025-09-11T16:00:00Z")

    static func options(cluster: String? = "test", at time: Timestamp? = KubeTest.time) -> IngestOptions {
        IngestOptions(cluster: cluster, observedAt: time)
    }

    static func json(_ text: String, name: String = "pods.json", options: IngestOptions = KubeTest.options()) throws -> FactBatch {
        try KubernetesJSONIngestor().ingest(IngestInput(source: name, fileName: name, bytes: Array(text.utf8), options: options))
    }

    static func yaml(_ text: String, name: String = "pods.yaml", options: IngestOptions = KubeTest.options()) throws -> FactBatch {
        try KubernetesYAMLIngestor().ingest(IngestInput(source: name, fileName: name, bytes: Array(text.utf8), options: options))
    }

    static func fixture(_ name: String, options: IngestOptions = KubeTest.options()) throws -> FactBatch {
        let relative = "k8s/" + name
        let input = IngestInput(source: relative, fileName: name, bytes: try SharedFixtures.bytes(relative), options: options)
        return name.hasSuffix(".yaml") ? try KubernetesYAMLIngestor().ingest(input) : try KubernetesJSONIngestor().ingest(input)
    }

    /// The `CustodyError` an ingest throws, or nil (with a failed expectation) when it does not.
    static func rejection(_ body: () throws -> FactBatch, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> CustodyError? {
        do {
            _ = try body()
            Issue.record("expected a rejection, the document was accepted", sourceLocation: sourceLocation)
            return nil
        } catch let error as CustodyError {
            return error
        } catch {
            Issue.record("expected a CustodyError, got \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// A fresh case database in a temporary directory.
    static func database() throws -> (CaseDatabase, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("custody-k8s-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (try CaseDatabase(path: directory.appendingPathComponent("case.db").path), directory)
    }

    /// `ran` edges as (workload, digest, first, last, tight, running, certainty).
    static func ranEdges(_ database: CaseDatabase) throws -> [RanRow] {
        try database.read { reader in
            try reader.rows("""
                SELECT w.key, a.key, e.first_seen, e.last_seen, json_extract(e.attrs, '$.last_seen_tight'),
                       json_extract(e.attrs, '$.running'), e.certainty
                FROM edges e JOIN nodes w ON w.id = e.src JOIN nodes a ON a.id = e.dst
                WHERE e.kind = 'ran' ORDER BY w.key, a.key, e.first_seen
                """).map { row in
                RanRow(workload: row[0].text ?? "", digest: row[1].text ?? "", first: row[2].timestamp?.rfc3339,
                       last: row[3].timestamp?.rfc3339, tight: row[4].text, running: row[5].text ?? "", certainty: row[6].text ?? "")
            }
        }
    }

    /// Keys of the targets of edges of `kind` leaving node `key`.
    static func targets(_ database: CaseDatabase, from key: String, _ kind: EdgeKind) throws -> Set<String> {
        try database.read { reader in
            Set(try reader.rows("""
                SELECT t.key FROM edges e JOIN nodes s ON s.id = e.src JOIN nodes t ON t.id = e.dst
                WHERE s.key = ? AND e.kind = ?
                """, [.text(key), .text(kind.rawValue)]).compactMap { $0[0].text })
        }
    }
}

struct RanRow: Equatable, CustomStringConvertible {
    var workload: String
    var digest: String
    var first: String?
    var last: String?
    var tight: String?
    var running: String
    var certainty: String

    var description: String { "\(workload) \(digest.prefix(19)) \(first ?? "-")…\(last ?? "-") tight \(tight ?? "-") running \(running) \(certainty)" }
}

extension FactBatch {
    func keys(_ kind: NodeKind) -> Set<String> { Set(nodes.filter { $0.ref.kind == kind }.map(\.ref.key)) }

    /// (source key, target key) of every edge of `kind`.
    func pairs(_ kind: EdgeKind) -> Set<[String]> {
        Set(edges.filter { $0.kind == kind }.map { [ref($0.from).key, ref($0.to).key] })
    }

    func kubeEdges(_ kind: EdgeKind) -> [EdgeFact] { edges.filter { $0.kind == kind } }
}
