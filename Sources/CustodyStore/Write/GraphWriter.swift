import CustodyCore
import GRDB

/// Writes one document and everything it asserts in a single transaction: the document row,
/// nodes (merged by kind and key), edges (merged by ends, kind and qualifier, intervals
/// widened), and the evidence links with their locations. A failure rolls everything back,
/// so a rejected document leaves no fact behind.
///
/// Two paths with the same result: `BulkLoader` when a large document meets an empty graph
/// (append, then build the indexes), `RowMerger` otherwise (look up, insert or merge).
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
            var nodeIDs = [Int64]()
            nodeIDs.reserveCapacity(batch.nodes.count)
            for node in batch.nodes {
                let (id, added) = try merger.upsert(node, documentID: documentID)
                nodeIDs.append(id)
                if added { summary.nodesAdded += 1 }
            }
            timer.mark("nodes")
            let inserted = try EdgeAppender(db: db, tables: tables).append(batch.edges, nodeIDs: nodeIDs, documentID: documentID)
            timer.mark("append edges")
            for (index, edge) in batch.edges.enumerated() {
                if inserted[index] {
                    summary.edgesAdded += 1
                } else {
                    _ = try merger.merge(edge, src: nodeIDs[Int(edge.from)], dst: nodeIDs[Int(edge.to)], documentID: documentID)
                }
            }
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
        var nodeIDs = [Int64]()
        var isNew = [Bool]()
        for node in facts.batch.nodes {
            let (id, added) = try merger.upsert(node, documentID: nil)
            nodeIDs.append(id)
            isNew.append(added)
            if added { summary.nodesAdded += 1 }
        }
        var documentIDs = try DocumentIDs(db: db)
        for (index, edge) in facts.batch.edges.enumerated() {
            let from = Int(edge.from), to = Int(edge.to)
            let (id, added) = try merger.upsert(edge, src: nodeIDs[from], dst: nodeIDs[to],
                                                endsAreNew: isNew[from] || isNew[to], documentID: nil)
            if added { summary.edgesAdded += 1 }
            let shas = index < facts.edgeEvidence.count ? facts.edgeEvidence[index] : []
            for sha in shas {
                guard let documentID = try documentIDs.id(of: sha) else { continue }
                try merger.addEvidence(edge: id, documentID: documentID, location: "derived")
            }
        }
        return summary
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
