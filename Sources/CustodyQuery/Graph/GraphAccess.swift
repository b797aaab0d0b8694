import CustodyCore
import CustodyStore

/// A stored node as the engine sees it.
struct Node: Sendable, Hashable {
    var id: Int64
    var ref: NodeRef
    var attributesJSON: String?

    var attributes: [String: String] { Attributes.decode(attributesJSON) }
}

/// A stored edge with both ends by id.
struct Edge: Sendable, Hashable {
    var id: Int64
    var kind: EdgeKind
    var source: Int64
    var target: Int64
    var qualifier: String
    var firstSeen: Timestamp?
    var lastSeen: Timestamp?
    var certainty: Certainty
    var attributesJSON: String?
    /// The first document behind the edge (stored in its row; others in `edge_evidence_extra`).
    var documentID: Int64?

    var attributes: [String: String] { Attributes.decode(attributesJSON) }

    /// A `ran` edge whose interval is still open (the store writes attributes as compact JSON).
    var isRunning: Bool {
        guard let json = attributesJSON else { return false }
        return Attributes.contains(json, Self.runningTrue)
    }

    private static let runningTrue = Array("\"running\":\"true\"".utf8)

    /// The end that is not `node`.
    func other(than node: Int64) -> Int64 { source == node ? target : source }
}

/// One document supporting an edge, and where inside it.
struct DocumentLink: Sendable, Hashable {
    var sha256: String
    var format: String
    var source: String
}

enum Direction: Sendable {
    /// Edges whose source is in the frontier.
    case outgoing
    /// Edges whose target is in the frontier.
    case incoming
}

/// Batched graph reads for traversals. A blast radius touches thousands of nodes per hop, so
/// every read takes a whole frontier at once (one statement, ids passed as a JSON array to
/// `json_each`) instead of one statement per node; nodes met on the way are cached so that
/// results can name them without more reads. Lives for one read transaction.
final class GraphAccess {
    let reader: GraphReader
    private(set) var nodes: [Int64: Node] = [:]
    /// Every edge a path of this query followed, once, by slot (`slot(for:)`).
    private var edgeStore: [Edge] = []
    private var edgeSlots: [Int64: Int32] = [:]

    init(reader: GraphReader) {
        self.reader = reader
    }

    /// Node attributes the engine reads (runs, artifacts, attestations); other kinds' are not
    /// fetched, which keeps large hops cheap.
    private static let attributeKinds = "'run','artifact','attestation'"

    /// Edges of `kinds` leaving (`.outgoing`) or arriving at (`.incoming`) any of `ids`; the
    /// node at the other end of each is cached.
    func edges(_ direction: Direction, of ids: some Sequence<Int64>, kinds: [EdgeKind]) throws -> [Edge] {
        let list = Self.jsonList(ids)
        guard list != "[]", !kinds.isEmpty else { return [] }
        let (near, far) = direction == .outgoing ? ("e.src", "e.dst") : ("e.dst", "e.src")
        // One kind asked for (most hops): every row has it, its text need not be read and looked up.
        let onlyKind = kinds.count == 1 ? kinds[0] : nil
        // `=` for one kind, not `IN` of one: SQLite uses a partial index (`edges_ran_by_dst`)
        // only for a query whose terms imply the index's `WHERE kind = …`.
        let kindTest = onlyKind.map { "e.kind = '\($0.rawValue)'" }
            ?? "e.kind IN (\(kinds.map { "'\($0.rawValue)'" }.joined(separator: ",")))"
        var out: [Edge] = []
        try reader.forEachRow("""
            SELECT e.id, e.kind, e.src, e.dst, e.qualifier, e.first_seen, e.last_seen, e.certainty, e.attrs,
                   o.id, o.kind, o.key, CASE WHEN o.kind IN (\(Self.attributeKinds)) THEN o.attrs END, e.document_id
            FROM edges e JOIN nodes o ON o.id = \(far)
            WHERE \(near) IN (SELECT value FROM json_each(?)) AND \(kindTest)
            """, [.text(list)]) { row in
            guard let id = row.int64(0), let kind = onlyKind ?? row.text(1).flatMap({ Self.edgeKinds[$0] }),
                  let source = row.int64(2), let target = row.int64(3) else { return }
            let edge = Edge(id: id, kind: kind, source: source, target: target, qualifier: row.text(4) ?? "",
                            firstSeen: row.int64(5).map(Timestamp.init(nanosecondsSinceEpoch:)),
                            lastSeen: row.int64(6).map(Timestamp.init(nanosecondsSinceEpoch:)),
                            certainty: row.withUTF8(7) { $0.elementsEqual(Self.recorded) } == true ? .recorded : .inferred,
                            attributesJSON: row.text(8), documentID: row.int64(13))
            out.append(edge)
            if let other = row.int64(9), nodes[other] == nil { cache(row, from: 9) }
        }
        // In id order, as callers expect; sorted here rather than by SQLite (`ORDER BY e.id`),
        // whose sorter carried every column of every row: a third of a 9,000-edge hop.
        return Self.sortedByID(out)
    }

    /// `Certainty.recorded` as stored, compared with the column's bytes (no `String` per row).
    private static let recorded = Array(Certainty.recorded.rawValue.utf8)

    /// Edges in id order. Rows often come in it already (checked first); else their positions
    /// are sorted, with the ids beside them, and the edges (~100-byte values) moved once each.
    private static func sortedByID(_ edges: [Edge]) -> [Edge] {
        if zip(edges, edges.dropFirst()).allSatisfy({ $0.id < $1.id }) { return edges }
        var order = edges.indices.map { (id: edges[$0].id, index: $0) }
        order.sort { $0.id < $1.id }
        return order.map { edges[$0.index] }
    }

    /// The slot of an edge a path follows, stored on first use: paths refer to edges by slot,
    /// and only edges on paths are kept (a hop reads many that no path takes).
    func slot(for edge: Edge) -> Int32 {
        if let slot = edgeSlots[edge.id] { return slot }
        let slot = Int32(edgeStore.count)
        edgeStore.append(edge)
        edgeSlots[edge.id] = slot
        return slot
    }

    /// An edge stored by `slot(for:)`.
    func edge(at slot: Int32) -> Edge { edgeStore[Int(slot)] }

    /// `EdgeKind(rawValue:)` compares against every case in turn; a hash lookup is cheaper
    /// when it runs once per edge of a large hop.
    static let edgeKinds = Dictionary(uniqueKeysWithValues: EdgeKind.allCases.map { ($0.rawValue, $0) })
    static let nodeKinds = Dictionary(uniqueKeysWithValues: NodeKind.allCases.map { ($0.rawValue, $0) })

    /// The sources of edges of `kinds` leaving `ids`, grouped by target node (of `targetKind`),
    /// each group with the target's key, in order of first appearance. Grouping by id reads
    /// each key once (tens of thousands of pairs share a few thousand targets).
    ///
    /// The ids, ascending and distinct, are joined as a table rather than tested with `IN`:
    /// rows come in the same order (ascending source), without SQLite first building an index
    /// of the list (a tenth of this read for the ~8,000 holders of a large answer).
    func sourcesByTarget(of ids: some Sequence<Int64>, kinds: [EdgeKind], targetKind: NodeKind) throws -> [(key: String, sources: [Int64])] {
        var distinct = Array(ids)
        distinct.sort()
        distinct.removeDuplicatesInSorted()
        let list = Self.jsonList(distinct)
        guard list != "[]", !kinds.isEmpty else { return [] }
        let names = kinds.map(\.rawValue).sorted()
        let kindList = names.map { "'\($0)'" }.joined(separator: ",")
        var groups: [(key: String, sources: [Int64])] = []
        var group: [Int64: Int] = [:]
        // The kinds are sought as one range of the `(src, kind, …)` key and tested after (`+`
        // keeps SQLite from seeking each kind of the `IN` list): one seek per id instead of
        // one per id and kind, and a holder has few edges of the kinds in between. Rows come
        // in the same order (by source, then kind, then target).
        try reader.forEachRow("""
            SELECT e.src, e.dst, o.key FROM json_each(?) j CROSS JOIN edges e JOIN nodes o ON o.id = e.dst
            WHERE e.src = j.value AND e.kind BETWEEN ? AND ? AND +e.kind IN (\(kindList)) AND o.kind = ?
            """, [.text(list), .text(names[0]), .text(names[names.count - 1]), .text(targetKind.rawValue)]) { row in
            guard let source = row.int64(0), let target = row.int64(1) else { return }
            if let index = group[target] {
                groups[index].sources.append(source)
            } else if let key = row.text(2) {
                group[target] = groups.count
                groups.append((key, [source]))
            }
        }
        return groups
    }

    /// The node with this id (cached, else read).
    func node(_ id: Int64) throws -> Node? {
        if let node = nodes[id] { return node }
        try load([id])
        return nodes[id]
    }

    /// Reads every id not cached yet, in one statement.
    func load(_ ids: some Sequence<Int64>) throws {
        let missing = ids.filter { nodes[$0] == nil }
        guard !missing.isEmpty else { return }
        try reader.forEachRow("SELECT id, kind, key, attrs FROM nodes WHERE id IN (SELECT value FROM json_each(?))",
                              [.text(Self.jsonList(missing))]) { cache($0, from: 0) }
    }

    /// Nodes of `kind` whose key is exactly one of `keys`.
    func nodes(kind: NodeKind, keys: [String]) throws -> [Node] {
        guard !keys.isEmpty else { return [] }
        var out: [Node] = []
        try reader.forEachRow("""
            SELECT id, kind, key, attrs FROM nodes WHERE kind = ? AND key IN (SELECT value FROM json_each(?)) ORDER BY key
            """, [.text(kind.rawValue), .text(JSONText.array(keys))]) { if let node = cache($0, from: 0) { out.append(node) } }
        return out
    }

    /// Nodes of `kind` whose key matches a SQL `LIKE` pattern (ASCII case-insensitive; `\`
    /// escapes). Scans one kind only, which is small for every kind the subjects look up this way.
    func nodes(kind: NodeKind, like pattern: String, limit: Int = 10_000) throws -> [Node] {
        var out: [Node] = []
        try reader.forEachRow("""
            SELECT id, kind, key, attrs FROM nodes WHERE kind = ? AND key LIKE ? ESCAPE '\\' ORDER BY key LIMIT ?
            """, [.text(kind.rawValue), .text(pattern), .integer(Int64(limit))]) { if let node = cache($0, from: 0) { out.append(node) } }
        return out
    }

    private var documents: [Int64: DocumentLink] = [:]

    /// The documents behind each edge given by id (trace, which keeps ids; `evidence(of:)`
    /// serves callers holding the edges): the links in one statement, then each document not
    /// seen yet once (thousands of edges share a handful of documents). Each edge's documents
    /// are sorted by hash.
    func evidence(edges ids: some Sequence<Int64>) throws -> [Int64: [DocumentLink]] {
        let list = Self.jsonList(ids)
        guard list != "[]" else { return [:] }
        var links: [(edge: Int64, document: Int64)] = []
        // The first document of an edge is stored inline, the others in `edge_evidence_extra`
        // (the `edge_evidence` view is their union); both are read by key.
        try reader.forEachRow("""
            SELECT id, document_id FROM edges
            WHERE id IN (SELECT value FROM json_each(?1)) AND document_id IS NOT NULL
            UNION ALL
            SELECT edge_id, document_id FROM edge_evidence_extra WHERE edge_id IN (SELECT value FROM json_each(?1))
            """, [.text(list)]) { row in
            if let edge = row.int64(0), let document = row.int64(1) { links.append((edge, document)) }
        }
        try loadDocuments(links.map(\.document))
        var out: [Int64: [DocumentLink]] = [:]
        out.reserveCapacity(links.count)
        for link in links {
            if let document = documents[link.document] { out[link.edge, default: []].append(document) }
        }
        for index in out.values.indices where out.values[index].count > 1 { out.values[index].sort { $0.sha256 < $1.sha256 } }
        return out
    }

    private var extraEvidence: Bool?

    /// Whether any edge has more than one document (else the extra links need no lookup).
    func hasExtraEvidence() throws -> Bool {
        if let extraEvidence { return extraEvidence }
        var found = false
        try reader.forEachRow("SELECT 1 FROM edge_evidence_extra LIMIT 1") { _ in found = true }
        extraEvidence = found
        return found
    }

    /// Reads the documents of `ids` not read yet, in one statement.
    func loadDocuments(_ ids: some Sequence<Int64>) throws {
        let missing = Set(ids).filter { documents[$0] == nil }
        guard !missing.isEmpty else { return }
        try reader.forEachRow("SELECT id, sha256, format, source FROM documents WHERE id IN (SELECT value FROM json_each(?))",
                              [.text(Self.jsonList(missing))]) { row in
            guard let id = row.int64(0) else { return }
            documents[id] = DocumentLink(sha256: row.text(1) ?? "", format: row.text(2) ?? "", source: row.text(3) ?? "")
        }
    }

    /// A document read by `loadDocuments` (nil if it is not stored).
    func document(_ id: Int64) -> DocumentLink? { documents[id] }

    @discardableResult
    private func cache(_ row: RawRow, from column: Int32) -> Node? {
        guard let id = row.int64(column) else { return nil }
        if let existing = nodes[id] { return existing }
        guard let kind = row.text(column + 1).flatMap({ Self.nodeKinds[$0] }), let key = row.text(column + 2) else { return nil }
        let node = Node(id: id, ref: NodeRef(kind, key), attributesJSON: row.text(column + 3))
        nodes[id] = node
        return node
    }

    static func jsonList(_ ids: some Sequence<Int64>) -> String {
        var text = "["
        var first = true
        for id in ids {
            if !first { text += "," }
            first = false
            text += String(id)
        }
        return text + "]"
    }
}

extension JSONText {
    /// A JSON array of strings, for `json_each` parameters.
    static func array(_ strings: [String]) -> String {
        var out = "["
        for (index, string) in strings.enumerated() {
            if index > 0 { out += "," }
            appendQuoted(string, to: &out)
        }
        return out + "]"
    }

    static func appendQuoted(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}

/// JSON text helpers local to the query module (the export module has the renderers).
enum JSONText {}
