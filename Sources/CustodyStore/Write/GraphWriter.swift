import CustodyCore
import GRDB

/// Writes one document and everything it asserts in a single transaction: the document row,
/// nodes (merged by kind and key), edges (merged by ends, kind and qualifier, intervals
/// widened), and the evidence links with their locations. A failure rolls everything back,
/// so a rejected document leaves no fact behind.
struct GraphWriter {
    let db: Database
    private let insertNode: BulkStatement
    private let insertPackage: BulkStatement
    private let insertEdge: BulkStatement
    private let insertNodeEvidence: BulkStatement
    private let insertEdgeEvidence: BulkStatement
    private let insertDiagnostic: BulkStatement

    init(db: Database) throws {
        self.db = db
        insertNode = try BulkStatement(db, """
            INSERT INTO nodes(kind, key, attrs) VALUES (?1, ?2, ?3)
            ON CONFLICT(kind, key) DO UPDATE SET attrs = CASE
                WHEN excluded.attrs IS NULL THEN nodes.attrs
                WHEN nodes.attrs IS NULL THEN excluded.attrs
                ELSE json_patch(excluded.attrs, nodes.attrs) END
            WHERE excluded.attrs IS NOT NULL
            RETURNING id
            """)
        insertPackage = try BulkStatement(db, """
            INSERT OR IGNORE INTO package_index(node_id, type, namespace, name, version) VALUES (?1, ?2, ?3, ?4, ?5)
            """)
        insertEdge = try BulkStatement(db, """
            INSERT INTO edges(kind, src, dst, qualifier, first_seen, last_seen, certainty, attrs)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            ON CONFLICT(src, kind, dst, qualifier) DO UPDATE SET
                first_seen = CASE WHEN edges.first_seen IS NULL THEN excluded.first_seen
                                  WHEN excluded.first_seen IS NULL THEN edges.first_seen
                                  ELSE min(edges.first_seen, excluded.first_seen) END,
                last_seen = CASE WHEN edges.last_seen IS NULL THEN excluded.last_seen
                                 WHEN excluded.last_seen IS NULL THEN edges.last_seen
                                 ELSE max(edges.last_seen, excluded.last_seen) END,
                certainty = CASE WHEN excluded.certainty = 'recorded' THEN 'recorded' ELSE edges.certainty END,
                attrs = CASE WHEN excluded.attrs IS NULL THEN edges.attrs
                             WHEN edges.attrs IS NULL THEN excluded.attrs
                             ELSE json_patch(excluded.attrs, edges.attrs) END
            RETURNING id
            """)
        insertNodeEvidence = try BulkStatement(db, "INSERT OR IGNORE INTO node_evidence(node_id, document_id, location) VALUES (?1, ?2, ?3)")
        insertEdgeEvidence = try BulkStatement(db, "INSERT OR IGNORE INTO edge_evidence(edge_id, document_id, location) VALUES (?1, ?2, ?3)")
        insertDiagnostic = try BulkStatement(db, "INSERT INTO diagnostics(document_id, severity, message, location) VALUES (?1, ?2, ?3, ?4)")
    }

    func write(document: DocumentInput, batch: FactBatch, ingestedAt: Timestamp) throws -> WriteSummary {
        let documentID = try insertDocument(document, ingestedAt: ingestedAt)
        let maxNode = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM nodes") ?? 0
        let maxEdge = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM edges") ?? 0
        var summary = WriteSummary()
        summary.nodesSeen = batch.nodes.count
        summary.edgesSeen = batch.edges.count

        var nodeIDs = [Int64]()
        nodeIDs.reserveCapacity(batch.nodes.count)
        for node in batch.nodes {
            insertNode.bind(1, node.ref.kind.rawValue)
            insertNode.bind(2, node.ref.key)
            insertNode.bind(3, AttributeJSON.encode(node.attributes))
            guard let id = try insertNode.step(db) ?? existingNodeID(node.ref) else {
                throw CustodyError(.internalError, "node \(node.ref) was neither inserted nor found")
            }
            nodeIDs.append(id)
            if id > maxNode {
                summary.nodesAdded += 1
                if node.ref.kind == .package { try indexPackage(id: id, key: node.ref.key) }
            }
            insertNodeEvidence.bind(1, id)
            insertNodeEvidence.bind(2, documentID)
            insertNodeEvidence.bind(3, node.location)
            try insertNodeEvidence.step(db)
        }

        for edge in batch.edges {
            insertEdge.bind(1, edge.kind.rawValue)
            insertEdge.bind(2, nodeIDs[Int(edge.from)])
            insertEdge.bind(3, nodeIDs[Int(edge.to)])
            insertEdge.bind(4, edge.qualifier)
            insertEdge.bind(5, edge.firstSeen?.nanosecondsSinceEpoch)
            insertEdge.bind(6, edge.lastSeen?.nanosecondsSinceEpoch)
            insertEdge.bind(7, edge.certainty.rawValue)
            insertEdge.bind(8, AttributeJSON.encode(edge.attributes))
            guard let id = try insertEdge.step(db) else {
                throw CustodyError(.internalError, "edge \(edge.kind) was neither inserted nor updated")
            }
            if id > maxEdge { summary.edgesAdded += 1 }
            insertEdgeEvidence.bind(1, id)
            insertEdgeEvidence.bind(2, documentID)
            insertEdgeEvidence.bind(3, edge.location)
            try insertEdgeEvidence.step(db)
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
        let maxNode = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM nodes") ?? 0
        let maxEdge = try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM edges") ?? 0
        var summary = WriteSummary()
        var nodeIDs = [Int64]()
        for node in facts.batch.nodes {
            insertNode.bind(1, node.ref.kind.rawValue)
            insertNode.bind(2, node.ref.key)
            insertNode.bind(3, AttributeJSON.encode(node.attributes))
            guard let id = try insertNode.step(db) ?? existingNodeID(node.ref) else {
                throw CustodyError(.internalError, "node \(node.ref) was neither inserted nor found")
            }
            nodeIDs.append(id)
            if id > maxNode { summary.nodesAdded += 1 }
        }
        for (index, edge) in facts.batch.edges.enumerated() {
            insertEdge.bind(1, edge.kind.rawValue)
            insertEdge.bind(2, nodeIDs[Int(edge.from)])
            insertEdge.bind(3, nodeIDs[Int(edge.to)])
            insertEdge.bind(4, edge.qualifier)
            insertEdge.bind(5, edge.firstSeen?.nanosecondsSinceEpoch)
            insertEdge.bind(6, edge.lastSeen?.nanosecondsSinceEpoch)
            insertEdge.bind(7, edge.certainty.rawValue)
            insertEdge.bind(8, AttributeJSON.encode(edge.attributes))
            guard let id = try insertEdge.step(db) else { continue }
            if id > maxEdge { summary.edgesAdded += 1 }
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

    /// The `DO UPDATE ... WHERE` clause skips unchanged rows, which then return no id.
    private func existingNodeID(_ ref: NodeRef) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM nodes WHERE kind = ? AND key = ?", arguments: [ref.kind.rawValue, ref.key])
    }

    private func indexPackage(id: Int64, key: String) throws {
        guard let purl = try? PackageURL(parsing: key) else { return }
        insertPackage.bind(1, id)
        insertPackage.bind(2, purl.type)
        insertPackage.bind(3, purl.namespace ?? "")
        insertPackage.bind(4, purl.name)
        insertPackage.bind(5, purl.version)
        try insertPackage.step(db)
    }
}
