import CustodyCore
import GRDB

/// Writes one document and everything it asserts in a single transaction: the document row,
/// nodes (merged by kind and key), edges (merged by ends, kind and qualifier, intervals
/// widened), and the evidence links with their locations. A failure rolls everything back,
/// so a rejected document leaves no fact behind.
///
/// Two paths with the same result: `BulkLoader` when a large document meets an empty graph
/// (append, then build the indexes); otherwise nodes one by one through `RowMerger`, new
/// edges in one statement through `EdgeAppender` and repeated ones merged by `RowMerger`.
struct GraphWriter {
    let db: Database
    let tables: BatchTable.Pair

    func write(document: DocumentInput, batch: FactBatch, ingestedAt: Timestamp) throws -> WriteSummary {
        var timer = PhaseTimer(label: "write")
        defer { timer.report() }
        let documentID = try insertDocument(document, ingestedAt: ingestedAt)
        timer.mark("document")
        var summary = WriteSummary()
        summary.nodesSeen = batch.nodes.count
        summary.edgesSeen = batch.edges.count
        if try BulkLoader.applies(to: batch, in: db) {
            try BulkLoader(db: db, tables: tables).load(batch, documentID: documentID, timer: &timer)
            summary.nodesAdded = batch.nodes.count
            summary.edgesAdded = batch.edges.count
        } else {
            var merger = try RowMerger(db: db)
            let nodeIDs = try upsertNodes(batch.nodes, documentID: documentID, merger: &merger, summary: &summary)
            timer.mark("nodes")
            _ = try writeEdges(batch.edges, nodeIDs: nodeIDs, documentID: documentID, merger: &merger, summary: &summary)
            timer.mark("edges")
        }
        if !batch.diagnostics.isEmpty {
            let insert = try BulkStatement(db, "INSERT INTO diagnostics(document_id, severity, message, location) VALUES (?1, ?2, ?3, ?4)")
            for diagnostic in batch.diagnostics {
                insert.bind(1, documentID)
                insert.bind(2, diagnostic.severity.rawValue)
                insert.bind(3, diagnostic.message)
                insert.bind(4, diagnostic.location)
                try insert.step(db)
            }
        }
        return summary
    }

    /// Writes derived facts: nodes are merged as usual (without evidence of their own), edges
    /// get evidence links to the documents they were derived from.
    func writeDerived(_ facts: DerivedFacts) throws -> WriteSummary {
        var merger = try RowMerger(db: db)
        var summary = WriteSummary()
        let nodeIDs = try upsertNodes(facts.batch.nodes, documentID: nil, merger: &merger, summary: &summary)
        let edgeIDs = try writeEdges(facts.batch.edges, nodeIDs: nodeIDs, documentID: nil, merger: &merger, summary: &summary)
        var documentIDs = try DocumentIDs(db: db)
        for (index, shas) in facts.edgeEvidence.prefix(edgeIDs.count).enumerated() {
            for sha in shas {
                guard let documentID = try documentIDs.id(of: sha) else { continue }
                try merger.addEvidence(edge: edgeIDs[index], documentID: documentID, location: "derived")
            }
        }
        return summary
    }

    /// Inserts or merges every node; returns their stored ids by batch index.
    private func upsertNodes(_ nodes: [NodeFact], documentID: Int64?, merger: inout RowMerger,
                             summary: inout WriteSummary) throws -> [Int64] {
        var nodeIDs = [Int64]()
        nodeIDs.reserveCapacity(nodes.count)
        for node in nodes {
            let (id, added) = try merger.upsert(node, documentID: documentID)
            nodeIDs.append(id)
            if added { summary.nodesAdded += 1 }
        }
        return nodeIDs
    }

    /// Appends the new edges in one statement and merges the repeated ones; returns their
    /// stored ids by batch index.
    private func writeEdges(_ edges: [EdgeFact], nodeIDs: [Int64], documentID: Int64?, merger: inout RowMerger,
                            summary: inout WriteSummary) throws -> [Int64] {
        let inserted = try EdgeAppender(db: db, tables: tables).append(edges, nodeIDs: nodeIDs, documentID: documentID)
        var edgeIDs = [Int64]()
        edgeIDs.reserveCapacity(edges.count)
        for (edge, id) in zip(edges, inserted) {
            if let id {
                summary.edgesAdded += 1
                edgeIDs.append(id)
            } else {
                edgeIDs.append(try merger.merge(edge, src: nodeIDs[Int(edge.from)], dst: nodeIDs[Int(edge.to)], documentID: documentID))
            }
        }
        return edgeIDs
    }

    private func insertDocument(_ document: DocumentInput, ingestedAt: Timestamp) throws -> Int64 {
        let statement = try BulkStatement(db, """
            INSERT INTO documents(sha256, format, source, size, ingested_at, observed_at, ingestor, ingestor_version, encoding, content)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id
            """)
        statement.bind(1, document.sha256)
        statement.bind(2, document.format)
        statement.bind(3, document.source)
        statement.bind(4, Int64(document.size))
        statement.bind(5, ingestedAt.nanosecondsSinceEpoch)
        statement.bind(6, document.observedAt?.nanosecondsSinceEpoch)
        statement.bind(7, document.ingestor)
        statement.bind(8, document.ingestorVersion)
        statement.bind(9, document.stored.encoding)
        guard let id = try statement.stepBinding(10, blob: document.stored.bytes, db) else {
            throw CustodyError(.internalError, "document row was not created")
        }
        return id
    }
}

/// Document ids by sha256, looked up once each: derived edges cite the same few documents
/// thousands of times (every snapshot behind a workload interval).
private struct DocumentIDs {
    let db: Database
    private let lookup: BulkStatement
    private var known: [String: Int64?] = [:]

    init(db: Database) throws {
        self.db = db
        lookup = try BulkStatement(db, "SELECT id FROM documents WHERE sha256 = ?1")
    }

    mutating func id(of sha: String) throws -> Int64? {
        if let id = known[sha] { return id }
        lookup.bind(1, sha)
        let id = try lookup.firstRow(db) { $0.int64(0) }
        known[sha] = id
        return id
    }
}
