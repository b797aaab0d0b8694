import CustodyCore
import GRDB

/// Read access to the graph inside one read transaction. The methods are the vocabulary the
/// query engine traverses with; SQL stays here.
public struct GraphReader {
    let db: Database

    public func documentID(sha256: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT id FROM documents WHERE sha256 = ?", arguments: [sha256])
    }

    /// The stored node with this identity.
    public func node(_ ref: NodeRef) throws -> StoredNode? {
        try Row.fetchOne(db, sql: "SELECT id, kind, key, attrs FROM nodes WHERE kind = ? AND key = ?",
                         arguments: [ref.kind.rawValue, ref.key]).flatMap(StoredNode.init(row:))
    }

    public func node(id: Int64) throws -> StoredNode? {
        try Row.fetchOne(db, sql: "SELECT id, kind, key, attrs FROM nodes WHERE id = ?", arguments: [id])
            .flatMap(StoredNode.init(row:))
    }

    /// Nodes of `kind` whose key starts with `prefix` (unique-prefix resolution of commits).
    public func nodes(kind: NodeKind, keyPrefix prefix: String, limit: Int = 100) throws -> [StoredNode] {
        try Row.fetchAll(db, sql: "SELECT id, kind, key, attrs FROM nodes WHERE kind = ? AND key >= ? AND key < ? ORDER BY key LIMIT ?",
                         arguments: [kind.rawValue, prefix, prefix + "\u{10FFFF}", limit]).compactMap(StoredNode.init(row:))
    }

    /// Package nodes by (type, namespace, name), any version.
    public func packages(type: String, namespace: String, name: String) throws -> [StoredPackage] {
        try Row.fetchAll(db, sql: """
            SELECT id, key, purl_version FROM nodes
            WHERE purl_type = ? AND purl_namespace = ? AND purl_name = ? ORDER BY key
            """, arguments: [type, namespace, name]).map {
            StoredPackage(id: $0[0], key: $0[1], version: $0[2])
        }
    }

    /// Edges leaving `node` (optionally of some kinds), with the node at the other end.
    public func outgoing(_ node: Int64, kinds: [EdgeKind] = []) throws -> [StoredEdge] {
        try edges(sql: "e.src = ?", node: node, kinds: kinds, otherEnd: "e.dst")
    }

    /// Edges arriving at `node` (optionally of some kinds), with the node at the other end.
    public func incoming(_ node: Int64, kinds: [EdgeKind] = []) throws -> [StoredEdge] {
        try edges(sql: "e.dst = ?", node: node, kinds: kinds, otherEnd: "e.src")
    }

    private func edges(sql condition: String, node: Int64, kinds: [EdgeKind], otherEnd: String) throws -> [StoredEdge] {
        var sql = """
            SELECT e.id, e.kind, e.src, e.dst, e.qualifier, e.first_seen, e.last_seen, e.certainty, e.attrs,
                   o.kind, o.key
            FROM edges e JOIN nodes o ON o.id = \(otherEnd)
            WHERE \(condition)
            """
        var arguments: [any DatabaseValueConvertible] = [node]
        if !kinds.isEmpty {
            sql += " AND e.kind IN (\(kinds.map { _ in "?" }.joined(separator: ",")))"
            arguments += kinds.map(\.rawValue)
        }
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).compactMap(StoredEdge.init(row:))
    }

    /// The documents supporting an edge, with the location inside each.
    public func evidence(edge id: Int64) throws -> [EvidenceLink] {
        try Row.fetchAll(db, sql: """
            SELECT d.sha256, d.format, d.source, ee.location FROM edge_evidence ee
            JOIN documents d ON d.id = ee.document_id WHERE ee.edge_id = ? ORDER BY d.sha256
            """, arguments: [id]).map { EvidenceLink(sha256: $0[0], format: $0[1], source: $0[2], location: $0[3]) }
    }

    /// The documents supporting a node.
    public func evidence(node id: Int64) throws -> [EvidenceLink] {
        try Row.fetchAll(db, sql: """
            SELECT d.sha256, d.format, d.source, ne.location FROM node_evidence ne
            JOIN documents d ON d.id = ne.document_id WHERE ne.node_id = ? ORDER BY d.sha256
            """, arguments: [id]).map { EvidenceLink(sha256: $0[0], format: $0[1], source: $0[2], location: $0[3]) }
    }

    /// Counts for `custody stats`.
    public func statistics() throws -> GraphStatistics {
        var stats = GraphStatistics()
        stats.documents = try Int.fetchOne(db, sql: "SELECT count(*) FROM documents") ?? 0
        stats.documentBytes = try Int.fetchOne(db, sql: "SELECT coalesce(sum(size), 0) FROM documents") ?? 0
        stats.storedBytes = try Int.fetchOne(db, sql: "SELECT coalesce(sum(length(content)), 0) FROM documents") ?? 0
        for row in try Row.fetchAll(db, sql: "SELECT format, count(*) FROM documents GROUP BY format ORDER BY format") {
            stats.documentsByFormat[row[0]] = row[1]
        }
        for row in try Row.fetchAll(db, sql: "SELECT kind, count(*) FROM nodes GROUP BY kind ORDER BY kind") {
            stats.nodesByKind[row[0]] = row[1]
        }
        for row in try Row.fetchAll(db, sql: "SELECT kind, count(*) FROM edges GROUP BY kind ORDER BY kind") {
            stats.edgesByKind[row[0]] = row[1]
        }
        stats.diagnostics = try Int.fetchOne(db, sql: "SELECT count(*) FROM diagnostics") ?? 0
        return stats
    }
}
