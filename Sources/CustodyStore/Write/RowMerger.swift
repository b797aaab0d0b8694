import CustodyCore
import GRDB
import GRDBSQLite

/// Writes facts one row at a time into a graph that already holds some: each node is looked
/// up by its identity and either inserted or merged into the stored one; each edge that
/// `EdgeAppender` found already stored is merged into it (intervals widen, `recorded` wins,
/// attributes gain keys they lacked, existing keys keep their value). A fact that already
/// existed gets an evidence link in `*_evidence_extra`.
///
/// A merge that changes nothing writes nothing: in a fleet of SBOMs most facts repeat, and
/// rewriting an identical row still dirties its page, which every commit then writes to the WAL.
struct RowMerger {
    let db: Database
    private let findNode: BulkStatement
    private let insertNode: BulkStatement
    private let mergeNodeAttributes: BulkStatement
    private let findEdge: BulkStatement
    private let updateEdge: BulkStatement
    private let insertNodeEvidence: BulkStatement
    private let insertEdgeEvidence: BulkStatement
    private var nodeAttributes = AttributeJSON.Memo()
    private var edgeAttributes = AttributeJSON.Memo()

    init(db: Database) throws {
        self.db = db
        findNode = try BulkStatement(db, "SELECT id, attrs FROM nodes WHERE kind = ?1 AND key = ?2")
        insertNode = try BulkStatement(db, """
            INSERT INTO nodes(kind, key, attrs, document_id, location, purl_type, purl_namespace, purl_name, purl_version)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """)
        // Only when the new attributes bring a key the stored ones lack (json_patch keeps the
        // stored values: they are the patch applied over the new object).
        mergeNodeAttributes = try BulkStatement(db, """
            UPDATE nodes SET attrs = CASE WHEN attrs IS NULL THEN ?2 ELSE json_patch(?2, attrs) END
            WHERE id = ?1 AND \(Self.bringsNewKey("?2", "attrs"))
            """)
        findEdge = try BulkStatement(db, """
            SELECT id, first_seen, last_seen, certainty FROM edges WHERE src = ?2 AND kind = ?1 AND dst = ?3 AND qualifier = ?4
            """)
        updateEdge = try BulkStatement(db, """
            UPDATE edges SET first_seen = ?2, last_seen = ?3, certainty = ?4,
                attrs = CASE WHEN ?5 IS NULL OR NOT \(Self.bringsNewKey("?5", "attrs")) THEN attrs
                             WHEN attrs IS NULL THEN ?5 ELSE json_patch(?5, attrs) END
            WHERE id = ?1 AND (?6 OR (?5 IS NOT NULL AND \(Self.bringsNewKey("?5", "attrs"))))
            """)
        insertNodeEvidence = try BulkStatement(db, "INSERT OR IGNORE INTO node_evidence_extra(node_id, document_id, location) VALUES (?1, ?2, ?3)")
        insertEdgeEvidence = try BulkStatement(db, "INSERT OR IGNORE INTO edge_evidence_extra(edge_id, document_id, location) VALUES (?1, ?2, ?3)")
    }

    /// SQL that is true when the JSON object `new` has a key the JSON object `stored` lacks.
    private static func bringsNewKey(_ new: String, _ stored: String) -> String {
        "(\(stored) IS NULL OR EXISTS (SELECT 1 FROM json_each(\(new)) AS n WHERE NOT EXISTS (SELECT 1 FROM json_each(\(stored)) AS o WHERE o.key = n.key)))"
    }

    /// Inserts the node or merges it into the stored one; returns its id and whether it is new.
    mutating func upsert(_ node: NodeFact, documentID: Int64?) throws -> (id: Int64, added: Bool) {
        let attributes = nodeAttributes.encode(node.attributes)
        findNode.bind(1, node.ref.kind.rawValue)
        findNode.bind(2, node.ref.key)
        let found = try findNode.firstRow(db) { row in (row.int64(0), row.text(1)) }
        guard let (id, storedAttributes) = found else {
            insertNode.bind(1, node.ref.kind.rawValue)
            insertNode.bind(2, node.ref.key)
            insertNode.bind(3, attributes)
            insertNode.bind(4, documentID)
            insertNode.bind(5, documentID == nil ? nil : node.location)
            let package = FactColumns.package(of: node)
            insertNode.bind(6, package?.type)
            insertNode.bind(7, package?.namespace)
            insertNode.bind(8, package?.name)
            insertNode.bind(9, package?.version)
            try insertNode.step(db)
            return (sqlite3_last_insert_rowid(db.sqliteConnection), true)
        }
        if let attributes, attributes != storedAttributes {
            mergeNodeAttributes.bind(1, id)
            mergeNodeAttributes.bind(2, attributes)
            try mergeNodeAttributes.step(db)
        }
        if let documentID { try link(insertNodeEvidence, id, documentID, node.location) }
        return (id, false)
    }

    /// Widens the stored edge that `edge` repeats (known to exist) and links it to
    /// `documentID`; returns its id.
    mutating func merge(_ edge: EdgeFact, src: Int64, dst: Int64, documentID: Int64?) throws -> Int64 {
        let attributes = edgeAttributes.encode(edge.attributes)
        let first = edge.firstSeen?.nanosecondsSinceEpoch
        let last = edge.lastSeen?.nanosecondsSinceEpoch
        findEdge.bind(1, edge.kind.rawValue)
        findEdge.bind(2, src)
        findEdge.bind(3, dst)
        findEdge.bind(4, edge.qualifier)
        let found = try findEdge.firstRow(db) { row in
            (row.int64(0), row.optionalInt64(1), row.optionalInt64(2), row.text(3))
        }
        guard let (id, storedFirst, storedLast, storedCertainty) = found else {
            throw CustodyError(.internalError, "edge \(edge.kind) was neither inserted nor found")
        }
        let mergedFirst = Self.merge(storedFirst, first, min)
        let mergedLast = Self.merge(storedLast, last, max)
        let mergedCertainty = edge.certainty == .recorded ? Certainty.recorded.rawValue : storedCertainty ?? Certainty.recorded.rawValue
        let changed = mergedFirst != storedFirst || mergedLast != storedLast || mergedCertainty != storedCertainty
        if changed || attributes != nil {
            updateEdge.bind(1, id)
            updateEdge.bind(2, mergedFirst)
            updateEdge.bind(3, mergedLast)
            updateEdge.bind(4, mergedCertainty)
            updateEdge.bind(5, attributes)
            updateEdge.bind(6, changed ? 1 : 0)
            try updateEdge.step(db)
        }
        if let documentID { try link(insertEdgeEvidence, id, documentID, edge.location) }
        return id
    }

    /// Links an edge to a document it was derived from.
    func addEvidence(edge id: Int64, documentID: Int64, location: String?) throws {
        try link(insertEdgeEvidence, id, documentID, location)
    }

    /// Runs one of the `INSERT OR IGNORE INTO *_evidence_extra` statements.
    private func link(_ insert: BulkStatement, _ id: Int64, _ documentID: Int64, _ location: String?) throws {
        insert.bind(1, id)
        insert.bind(2, documentID)
        insert.bind(3, location)
        try insert.step(db)
    }

    /// Interval ends merge ignoring unknowns (a timeless fact does not erase a known time).
    private static func merge(_ stored: Int64?, _ new: Int64?, _ pick: (Int64, Int64) -> Int64) -> Int64? {
        guard let stored else { return new }
        guard let new else { return stored }
        return pick(stored, new)
    }
}
