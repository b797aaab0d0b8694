import CustodyCore
import CustodyQuery
import CustodyStore
import Foundation

/// A case database in a temporary directory, filled by hand with `FactBatch`es through the
/// store's own ingest, so tests see exactly what ingestors would write.
final class GraphFixture: @unchecked Sendable {
    let path: String
    let database: CaseDatabase
    private var documents = 0

    init() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("custody-query-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("case.db").path
        database = try CaseDatabase(path: path)
    }

    /// Stores one document (named `source`) asserting what `build` adds.
    func ingest(_ source: String, format: String = "test", _ build: (inout Facts) -> Void) throws {
        var facts = Facts()
        build(&facts)
        documents += 1
        let sha = Self.fakeSHA(source + "#\(documents)")
        let document = DocumentInput(sha256: sha, format: format, source: source, size: 0, observedAt: nil, ingestor: "test",
                                     ingestorVersion: "1", stored: StoredContent(encoding: "identity", bytes: []))
        _ = try database.ingest(document: document, batch: facts.batch, ingestedAt: Timestamp(secondsSinceEpoch: 1_800_000_000))
    }

    func blast(_ subject: BlastRadiusSubject, _ window: TimeWindow = .unbounded) throws -> BlastRadiusResult {
        try database.read { try BlastRadiusEngine(reader: $0, window: window).run(subject) }
    }

    func trace(_ target: TraceTarget, _ window: TimeWindow = .unbounded) throws -> TraceResult {
        try database.read { try TraceEngine(reader: $0, window: window).run(target) }
    }

    /// 64 hex digits derived from the text (not a real hash; unique enough for tests).
    static func fakeSHA(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var out = ""
        for round in 0..<4 {
            for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            hash = (hash ^ UInt64(round)) &* 0x100_0000_01b3
            let hex = String(hash, radix: 16)
            out += String(repeating: "0", count: 16 - hex.count) + hex
        }
        return out
    }
}

/// A `FactBatch` with a vocabulary for tests: nodes by kind and key, edges by kind and keys.
struct Facts {
    var batch = FactBatch()

    @discardableResult
    mutating func node(_ kind: NodeKind, _ key: String, _ attributes: [String: String] = [:]) -> LocalNodeID {
        batch.node(kind, key, attributes: attributes)
    }

    mutating func edge(_ kind: EdgeKind, _ from: (NodeKind, String), _ to: (NodeKind, String), _ first: String? = nil,
                       _ last: String? = nil, certainty: Certainty = .recorded, qualifier: String = "",
                       attributes: [String: String] = [:]) {
        let source = batch.node(from.0, from.1)
        let target = batch.node(to.0, to.1)
        batch.edge(kind, from: source, to: target, qualifier: qualifier, firstSeen: first.map(T.time), lastSeen: last.map(T.time),
                   certainty: certainty, attributes: attributes)
    }
}

/// Short time literals: `T.time("2025-03-10T10:00:00Z")`.
enum T {
    static func time(_ text: String) -> Timestamp {
        guard let time = try? Timestamp(rfc3339: text) else { fatalError("bad test time \(text)") }
        return time
    }

    static func at(_ text: String) -> TimeWindow { TimeWindow(at: time(text)) }
    static func window(_ from: String?, _ to: String?) -> TimeWindow { TimeWindow(from: from.map(time), to: to.map(time)) }
}
