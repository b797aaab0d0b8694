import CustodyCore
import GRDB
import GRDBSQLite

/// Merges what a group of facts adds to facts already stored: a node's attributes by
/// `NodeAttributes.merge` (they gain keys they lacked; existing keys keep their value, unless
/// they were provisional); an edge's interval widens, `recorded` wins, and its attributes gain
/// keys they lacked.
///
/// A merge that changes nothing writes nothing: in a fleet of SBOMs most facts repeat, and
/// rewriting an identical row still dirties its page, which every commit then writes to the WAL.
struct StoredFactMerges {
    /// The stored columns of an edge that a merge may change (attributes are merged in SQL).
    struct EdgeState: Equatable {
        var firstSeen: Int64?
        var lastSeen: Int64?
        var certainty: String?
    }

    let db: Database
    private let mergeNodeAttributes: BulkStatement
    private let updateEdge: BulkStatement
    /// Edges whose interval or certainty `widen` changed, without attributes to merge.
    private var widened: [(id: Int64, firstSeen: Int64?, lastSeen: Int64?, certainty: String)] = []
    private var nodeAttributes = AttributeJSON.Memo()
    private var edgeAttributes = AttributeJSON.Memo()

    init(db: Database) throws {
        self.db = db
        // `NodeAttributes.merge` in SQL. Only when the new attributes bring a key the stored
        // ones lack, or complete provisional ones (json_patch(a, b): b's values win).
        let stored = Self.isProvisional("attrs"), new = Self.isProvisional("?2")
        let marker = "'$.\(NodeAttributes.provisionalKey)'"
        mergeNodeAttributes = try BulkStatement(db, """
            UPDATE nodes SET attrs = CASE
                WHEN attrs IS NULL THEN ?2
                WHEN \(stored) AND NOT \(new) THEN json_remove(json_patch(attrs, ?2), \(marker))
                WHEN \(new) AND NOT \(stored) THEN json_patch(json_remove(?2, \(marker)), attrs)
                ELSE json_patch(?2, attrs) END
            WHERE id = ?1 AND (\(Self.bringsNewKey("?2", "attrs")) OR (\(stored) AND NOT \(new)))
            """)
        updateEdge = try BulkStatement(db, """
            UPDATE edges SET first_seen = ?2, last_seen = ?3, certainty = ?4,
                attrs = CASE WHEN ?5 IS NULL OR NOT \(Self.bringsNewKey("?5", "attrs")) THEN attrs
                             WHEN attrs IS NULL THEN ?5 ELSE json_patch(?5, attrs) END
            WHERE id = ?1 AND (?6 OR (?5 IS NOT NULL AND \(Self.bringsNewKey("?5", "attrs"))))
            """)
    }

    /// SQL that is true when the JSON object `attributes` is provisional (`NodeAttributes`).
    private static func isProvisional(_ attributes: String) -> String {
        "coalesce(json_extract(\(attributes), '$.\(NodeAttributes.provisionalKey)') = 'true', 0)"
    }

    /// SQL that is true when the JSON object `new` has a key the JSON object `stored` lacks.
    /// Identical text is tested first: a re-asserted fact nearly always brings the attributes
    /// it was stored with (a Kubernetes snapshot re-asserts ~6,000 `mounts` edges), and that
    /// comparison is far cheaper than the two `json_each` scans.
    private static func bringsNewKey(_ new: String, _ stored: String) -> String {
        "(\(stored) IS NOT \(new) AND (\(stored) IS NULL OR EXISTS (SELECT 1 FROM json_each(\(new)) AS n WHERE NOT EXISTS (SELECT 1 FROM json_each(\(stored)) AS o WHERE o.key = n.key))))"
    }

    /// Merges `attributes`, a new assertion, into stored node `id` (`NodeAttributes.merge`).
    mutating func mergeAttributes(of id: Int64, stored: String?, with attributes: [String: String]) throws {
        guard let encoded = nodeAttributes.encode(attributes), encoded != stored else { return }
        mergeNodeAttributes.bind(1, id)
        mergeNodeAttributes.bind(2, encoded)
        try mergeNodeAttributes.step(db)
    }

    /// Widens stored edge `id` (in state `stored`) by `edge`, a new assertion of it. Returns
    /// the edge's state afterwards (for `EdgeIdentityCache`).
    @discardableResult
    mutating func widen(_ id: Int64, stored: EdgeState, with edge: EdgeFact) throws -> EdgeState {
        let attributes = edgeAttributes.encode(edge.attributes)
        let first = Self.merge(stored.firstSeen, edge.firstSeen?.nanosecondsSinceEpoch, min)
        let last = Self.merge(stored.lastSeen, edge.lastSeen?.nanosecondsSinceEpoch, max)
        let certainty = edge.certainty == .recorded ? Certainty.recorded.rawValue : stored.certainty ?? Certainty.recorded.rawValue
        let changed = first != stored.firstSeen || last != stored.lastSeen || certainty != stored.certainty
        let after = EdgeState(firstSeen: first, lastSeen: last, certainty: certainty)
        guard changed || attributes != nil else { return after }
        if attributes == nil {
            widened.append((id, first, last, certainty))
            return after
        }
        updateEdge.bind(1, id)
        updateEdge.bind(2, first)
        updateEdge.bind(3, last)
        updateEdge.bind(4, certainty)
        updateEdge.bind(5, attributes)
        updateEdge.bind(6, changed ? 1 : 0)
        try updateEdge.step(db)
        return after
    }

    /// Writes the widened intervals and certainties collected by `widen`: one `UPDATE … FROM`
    /// over a batch table in id order (a pod snapshot re-asserts, and so widens, ten thousand
    /// edges).
    mutating func flushWidened(into table: BatchTable) throws {
        guard !widened.isEmpty else { return }
        widened.sort { $0.id < $1.id }
        let rows = ListRows(widened) { edge, column, context in
            switch column {
            case 0: sqlite3_result_int64(context, edge.id)
            case 1: ResultValue.int64(context, edge.firstSeen)
            case 2: ResultValue.int64(context, edge.lastSeen)
            default: ResultValue.text(context, edge.certainty)
            }
        }
        try table.withRows(rows) {
            try db.execute(sql: """
                UPDATE edges SET first_seen = w.first_seen, last_seen = w.last_seen, certainty = w.certainty
                FROM \(table.name) AS w WHERE edges.id = w.id
                """)
        }
        widened.removeAll()
    }

    /// Interval ends merge ignoring unknowns (a timeless fact does not erase a known time).
    private static func merge(_ stored: Int64?, _ new: Int64?, _ pick: (Int64, Int64) -> Int64) -> Int64? {
        guard let stored else { return new }
        guard let new else { return stored }
        return pick(stored, new)
    }
}
