import CustodyStore

/// Every stored fact, evidence link, diagnostic and document by identity, sorted: ids differ
/// between write orders, what is stored must not (`GroupWriteTests`, `EdgeCacheTests`).
func storedFacts(_ db: CaseDatabase) throws -> [String] {
    let queries = [
        """
        SELECT 'N' || quote(n.kind) || quote(n.key) || quote(n.attrs) || quote(d.sha256) || quote(n.location)
            || quote(n.purl_type) || quote(n.purl_name) || quote(n.purl_version)
        FROM nodes n LEFT JOIN documents d ON d.id = n.document_id
        """,
        """
        SELECT 'E' || quote(e.kind) || quote(s.key) || quote(t.key) || quote(e.qualifier) || quote(e.first_seen)
            || quote(e.last_seen) || quote(e.certainty) || quote(e.attrs) || quote(d.sha256) || quote(e.location)
        FROM edges e JOIN nodes s ON s.id = e.src JOIN nodes t ON t.id = e.dst LEFT JOIN documents d ON d.id = e.document_id
        """,
        """
        SELECT 'NX' || quote(n.key) || quote(d.sha256) || quote(x.location)
        FROM node_evidence_extra x JOIN nodes n ON n.id = x.node_id JOIN documents d ON d.id = x.document_id
        """,
        """
        SELECT 'EX' || quote(e.kind) || quote(s.key) || quote(t.key) || quote(e.qualifier) || quote(d.sha256) || quote(x.location)
        FROM edge_evidence_extra x JOIN edges e ON e.id = x.edge_id JOIN nodes s ON s.id = e.src
            JOIN nodes t ON t.id = e.dst JOIN documents d ON d.id = x.document_id
        """,
        "SELECT 'D' || quote(d.sha256) || quote(g.message) || quote(g.location) FROM diagnostics g JOIN documents d ON d.id = g.document_id",
        "SELECT 'DOC' || quote(sha256) || quote(source) FROM documents",
    ]
    return try queries.flatMap { sql in try db.runReadOnly(sql: sql).rows.compactMap { $0.first?.text } }.sorted()
}
