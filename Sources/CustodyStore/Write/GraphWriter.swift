import CustodyCore
import GRDB
import GRDBSQLite

/// Writes one document and everything it asserts in a single transaction: the document row,
/// nodes (merged by kind and key), edges (merged by ends, kind and qualifier, intervals
/// widened), and the evidence links with their locations. A failure rolls everything back,
/// so a rejected document leaves no fact behind.
///
/// New rows are the common case on bulk ingest, so each fact is one `INSERT … ON CONFLICT DO
/// NOTHING`; only a fact that already existed pays for a lookup and a merge.
struct GraphWriter {
    let db: Database
    private let insertNode: BulkStatement
    private let findNode: BulkStatement
    private let mergeNodeAttributes: BulkStatement
    private let insertEdge: BulkStatement
    private let mergeEdge: BulkStatement
    private let insertNodeEvidence: BulkStatement
    private let insertEdgeEvidence: BulkStatement
    private let insertDiagnostic: BulkStatement

    init(db: Database) throws {
        self.db = db
        insertNode = try BulkStatement(db, """
            INSERT INTO nodes(kind, key, attrs, document_id, location, purl_type, purl_namespace, purl_name, purl_version)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(kind, key) DO NOTHING
            """)
        findNode = try BulkStatement(db, "SELECT id FROM nodes WHERE kind = ?1 AND key = ?2")
        mergeNodeAttributes = try BulkStatement(db, """
            UPDATE nodes SET attrs = CASE WHEN attrs IS NULL THEN ?2 ELSE json_patch(?2, attrs) END WHERE id = ?1
            """)
        insertEdge = try BulkStatement(db, """
            INSERT INTO edges(kind, src, dst, qualifier, first_seen, last_seen, certainty, attrs, document_id, location)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT(src, kind, dst, qualifier) DO NOTHING
            """)
        mergeEdge = try BulkStatement(db, """
            UPDATE edges SET
                first_seen = CASE WHEN first_seen IS NULL THEN ?5 WHEN ?5 IS NULL THEN first_seen ELSE min(first_seen, ?5) END,
                last_seen = CASE WHEN last_seen IS NULL THEN ?6 WHEN ?6 IS NULL THEN last_seen ELSE max(last_seen, ?6) END,
                certainty = CASE WHEN ?7 = 'recorded' THEN 'recorded' ELSE certainty END,
                attrs = CASE WHEN ?8 IS NULL THEN attrs WHEN attrs IS NULL THEN ?8 ELSE json_patch(?8, attrs) END
            WHERE src = ?2 AND kind = ?1 AND dst = ?3 AND qualifier = ?4
            RETURNING id
            """)
        insertNodeEvidence = try BulkStatement(db, "INSERT OR IGNORE INTO node_evidence_extra(node_id, document_id, location) VALUES (?1, ?2, ?3)")
        insertEdgeEvidence = try BulkStatement(db, "INSERT OR IGNORE INTO edge_evidence_extra(edge_id, document_id, location) VALUES (?1, ?2, ?3)")
        insertDiagnostic = try BulkStatement(db, "INSERT INTO diagnostics(document_id, severity, message, location) VALUES (?1, ?2, ?3, ?4)")
    }

    func write(document: DocumentInput, batch: FactBatch, ingestedAt: Timestamp) throws -> WriteSummary {
        let documentID = try insertDocument(document, ingestedAt: ingestedAt)
        var summary = WriteSummary()
        summary.nodesSeen = batch.nodes.count
        summary.edgesSeen = batch.edges.count
        var nodeIDs = [Int64]()
        nodeIDs.reserveCapacity(batch.nodes.count)
        for node in batch.nodes {
            let (id, added) = try upsert(node, documentID: documentID)
            nodeIDs.append(id)
            if added { summary.nodesAdded += 1 }
        }
        for edge in batch.edges {
            let (_, added) = try upsert(edge, nodeIDs: nodeIDs, documentID: documentID, location: edge.location)
            if added { summary.edgesAdded += 1 }
        }
        for diagnostic in batch.diagnostics {
            insertDiagnostic.bind(1, documentID)
            insertDiagnostic.bind(2, diagnostic.severity.rawValue)
            insertDiagnostic.bind(3, diagnostic.message)
            insertDiagnostic.bind(4, diagnostic.location)
            try insertDiagnostic.step(db)
        }
        return summary
    }

    /// Writes derived facts: nodes are merged as usual (without evidence of their own), edges
    /// get evidence links to the documents they were derived from.
    func writeDerived(_ facts: DerivedFacts) throws -> WriteSummary {
        var summary = WriteSummary()
        var nodeIDs = [Int64]()
        for node in facts.batch.nodes {
            let (id, added) = try upsert(node, documentID: nil)
            nodeIDs.append(id)
            if added { summary.nodesAdded += 1 }
        }
        for (index, edge) in facts.batch.edges.enumerated() {
            let (id, added) = try upsert(edge, nodeIDs: nodeIDs, documentID: nil, location: nil)
            if added { summary.edgesAdded += 1 }
            let shas = index < facts.edgeEvidence.count ? facts.edgeEvidence[index] : []
            for sha in shas {
                guard let documentID = try Int64.fetchOne(db, sql: "SELECT id FROM documents WHERE sha256 = ?", arguments: [sha]) else { continue }
                insertEdgeEvidence.bind(1, id)
                insertEdgeEvidence.bind(2, documentID)
                insertEdgeEvidence.bind(3, "derived")
                try insertEdgeEvidence.step(db)
            }
        }
        return summary
    }

    /// Inserts a node or merges into the existing one; returns its id and whether it is new.
    private func upsert(_ node: NodeFact, documentID: Int64?) throws -> (Int64, Bool) {
        let attributes = AttributeJSON.encode(node.attributes)
        insertNode.bind(1, node.ref.kind.rawValue)
        insertNode.bind(2, node.ref.key)
        insertNode.bind(3, attributes)
        insertNode.bind(4, documentID)
        insertNode.bind(5, documentID == nil ? nil : node.location)
        let purl = node.ref.kind == .package ? try? PackageURL(parsing: node.ref.key) : nil
        insertNode.bind(6, purl?.type)
        insertNode.bind(7, purl.map { $0.namespace ?? "" })
        insertNode.bind(8, purl?.name)
        insertNode.bind(9, purl?.version)
        try insertNode.step(db)
        if sqlite3_changes(db.sqliteConnection) == 1 {
            return (sqlite3_last_insert_rowid(db.sqliteConnection), true)
        }
        findNode.bind(1, node.ref.kind.rawValue)
        findNode.bind(2, node.ref.key)
        guard let id = try findNode.step(db) else {
            throw CustodyError(.internalError, "node \(node.ref) was neither inserted nor found")
        }
        if let attributes {
            mergeNodeAttributes.bind(1, id)
            mergeNodeAttributes.bind(2, attributes)
            try mergeNodeAttributes.step(db)
        }
        if let documentID {
            insertNodeEvidence.bind(1, id)
            insertNodeEvidence.bind(2, documentID)
            insertNodeEvidence.bind(3, node.location)
            try insertNodeEvidence.step(db)
        }
        return (id, false)
    }

    /// Inserts an edge or widens the existing one; returns its id and whether it is new.
    private func upsert(_ edge: EdgeFact, nodeIDs: [Int64], documentID: Int64?, location: String?) throws -> (Int64, Bool) {
        let attributes = AttributeJSON.encode(edge.attributes)
        bind(edge, attributes: attributes, nodeIDs: nodeIDs, to: insertEdge)
        insertEdge.bind(9, documentID)
        insertEdge.bind(10, location)
        try insertEdge.step(db)
        if sqlite3_changes(db.sqliteConnection) == 1 {
            return (sqlite3_last_insert_rowid(db.sqliteConnection), true)
        }
        bind(edge, attributes: attributes, nodeIDs: nodeIDs, to: mergeEdge)
        guard let id = try mergeEdge.step(db) else {
            throw CustodyError(.internalError, "edge \(edge.kind) was neither inserted nor found")
        }
        if let documentID {
            insertEdgeEvidence.bind(1, id)
            insertEdgeEvidence.bind(2, documentID)
            insertEdgeEvidence.bind(3, location)
            try insertEdgeEvidence.step(db)
        }
        return (id, false)
    }

    private func bind(_ edge: EdgeFact, attributes: String?, nodeIDs: [Int64], to statement: BulkStatement) {
        statement.bind(1, edge.kind.rawValue)
        statement.bind(2, nodeIDs[Int(edge.from)])
        statement.bind(3, nodeIDs[Int(edge.to)])
        statement.bind(4, edge.qualifier)
        statement.bind(5, edge.firstSeen?.nanosecondsSinceEpoch)
        statement.bind(6, edge.lastSeen?.nanosecondsSinceEpoch)
        statement.bind(7, edge.certainty.rawValue)
        statement.bind(8, attributes)
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
        statement.bind(10, blob: document.stored.bytes)
        guard let id = try statement.step(db) else {
            throw CustodyError(.internalError, "document row was not created")
        }
        return id
    }
}
