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

    var attributes: [String: String] { Attributes.decode(attributesJSON) }

    /// The end that is not `node`.
    func other(than node: Int64) -> Int64 { source == node ? target : source }
}

/// One document supporting an edge, and where inside it.
struct DocumentLink: Sendable, Hashable {
    var sha256: String
    var format: String
    var source: String
    var location: String?
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

    init(reader: GraphReader) {
        self.reader = reader
    }

    /// Edges of `kinds` leaving (`.outgoing`) or arriving at (`.incoming`) any of `ids`; the
    /// node at the other end of each is cached.
    func edges(_ direction: Direction, of ids: some Sequence<Int64>, kinds: [EdgeKind]) throws -> [Edge] {
        let list = Self.jsonList(ids)
        guard list != "[]", !kinds.isEmpty else { return [] }
        let (near, far) = direction == .outgoing ? ("e.src", "e.dst") : ("e.dst", "e.src")
        let kindList = kinds.map { "'\($0.rawValue)'" }.joined(separator: ",")
        let rows = try reader.rows("""
            SELECT e.id, e.kind, e.src, e.dst, e.qualifier, e.first_seen, e.last_seen, e.certainty, e.attrs,
                   o.id, o.kind, o.key, o.attrs
            FROM edges e JOIN nodes o ON o.id = \(far)
            WHERE \(near) IN (SELECT value FROM json_each(?)) AND e.kind IN (\(kindList))
            ORDER BY e.id
            """, [.text(list)])
        var out: [Edge] = []
        out.reserveCapacity(rows.count)
        for row in rows {
            guard let kind = row[1].text.flatMap(EdgeKind.init(rawValue:)), let id = row[0].int64,
                  let source = row[2].int64, let target = row[3].int64 else { continue }
            out.append(Edge(id: id, kind: kind, source: source, target: target, qualifier: row[4].text ?? "",
                            firstSeen: row[5].timestamp, lastSeen: row[6].timestamp,
                            certainty: row[7].text.flatMap(Certainty.init(rawValue:)) ?? .inferred,
                            attributesJSON: row[8].text))
            cache(row[9], row[10], row[11], row[12])
        }
        return out
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
        for row in try reader.rows("SELECT id, kind, key, attrs FROM nodes WHERE id IN (SELECT value FROM json_each(?))",
                                   [.text(Self.jsonList(missing))]) {
            cache(row[0], row[1], row[2], row[3])
        }
    }

    /// Nodes of `kind` whose key is exactly one of `keys`.
    func nodes(kind: NodeKind, keys: [String]) throws -> [Node] {
        guard !keys.isEmpty else { return [] }
        let list = JSONText.array(keys)
        return try reader.rows("""
            SELECT id, kind, key, attrs FROM nodes WHERE kind = ? AND key IN (SELECT value FROM json_each(?)) ORDER BY key
            """, [.text(kind.rawValue), .text(list)]).compactMap { cache($0[0], $0[1], $0[2], $0[3]) }
    }

    /// Nodes of `kind` whose key matches a SQL `LIKE` pattern (ASCII case-insensitive; `\`
    /// escapes). Scans one kind only, which is small for every kind the subjects look up this way.
    func nodes(kind: NodeKind, like pattern: String, limit: Int = 10_000) throws -> [Node] {
        try reader.rows("""
            SELECT id, kind, key, attrs FROM nodes WHERE kind = ? AND key LIKE ? ESCAPE '\\' ORDER BY key LIMIT ?
            """, [.text(kind.rawValue), .text(pattern), .integer(Int64(limit))]).compactMap { cache($0[0], $0[1], $0[2], $0[3]) }
    }

    /// The documents behind each edge, in one statement.
    func evidence(edges ids: some Sequence<Int64>) throws -> [Int64: [DocumentLink]] {
        let list = Self.jsonList(ids)
        guard list != "[]" else { return [:] }
        var out: [Int64: [DocumentLink]] = [:]
        for row in try reader.rows("""
            SELECT ee.edge_id, d.sha256, d.format, d.source, ee.location FROM edge_evidence ee
            JOIN documents d ON d.id = ee.document_id
            WHERE ee.edge_id IN (SELECT value FROM json_each(?)) ORDER BY ee.edge_id, d.sha256
            """, [.text(list)]) {
            guard let edge = row[0].int64 else { continue }
            out[edge, default: []].append(DocumentLink(sha256: row[1].text ?? "", format: row[2].text ?? "",
                                                       source: row[3].text ?? "", location: row[4].text))
        }
        return out
    }

    @discardableResult
    private func cache(_ id: SQLValue, _ kind: SQLValue, _ key: SQLValue, _ attributes: SQLValue) -> Node? {
        guard let id = id.int64, let kind = kind.text.flatMap(NodeKind.init(rawValue:)), let key = key.text else { return nil }
        if let existing = nodes[id] { return existing }
        let node = Node(id: id, ref: NodeRef(kind, key), attributesJSON: attributes.text)
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
