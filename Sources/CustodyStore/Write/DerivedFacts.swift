import CustodyCore
import GRDB

/// Facts computed from other stored facts rather than read from one document: run intervals
/// of workloads across snapshots, inferred action uses from workflow files at a commit,
/// secrets in reach of the runs of a job. Each derivation's facts are replaced as a whole
/// every time it runs, so re-deriving after more evidence arrives is always correct.
///
/// Derived edges carry the qualifier `derived:<derivation>[:…]`, which keeps them apart from
/// recorded edges between the same nodes, and evidence links to the documents they were
/// derived from.
public struct DerivedFacts: Sendable {
    public var batch = FactBatch()
    /// For each edge of `batch` (same index), the sha256 of the documents that support it.
    public var edgeEvidence: [[String]] = []
    /// For each edge of `batch` (same index), more supporting documents by their stored id, in
    /// any order, repeats allowed: derivations that read their evidence from the case give ids,
    /// which then need no translation to sha256 and back (for Kubernetes workloads that was
    /// 800,000 round trips per derivation).
    public var edgeEvidenceDocuments: [[Int64]] = []

    public init() {}

    /// Adds a derived edge; `qualifier` is appended to the derivation's prefix. Its evidence is
    /// `evidence` (sha256) and `evidenceDocuments` (stored document ids) together.
    public mutating func edge(_ kind: EdgeKind, from: NodeRef, to: NodeRef, derivation: String, qualifier: String = "",
                              firstSeen: Timestamp? = nil, lastSeen: Timestamp? = nil, certainty: Certainty = .recorded,
                              attributes: [String: String] = [:], evidence: [String] = [], evidenceDocuments: [Int64] = []) {
        let source = batch.node(from)
        let target = batch.node(to)
        let before = batch.edges.count
        let fullQualifier = "derived:\(derivation)" + (qualifier.isEmpty ? "" : ":\(qualifier)")
        batch.edge(kind, from: source, to: target, qualifier: fullQualifier, firstSeen: firstSeen, lastSeen: lastSeen,
                   certainty: certainty, attributes: attributes)
        if batch.edges.count > before {
            edgeEvidence.append(evidence)
            edgeEvidenceDocuments.append(evidenceDocuments)
        } else if let index = edgeIndex(kind: kind, source: source, target: target, qualifier: fullQualifier) {
            edgeEvidence[index] = Array(Set(edgeEvidence[index] + evidence)).sorted()
            edgeEvidenceDocuments[index] += evidenceDocuments
        }
    }

    private func edgeIndex(kind: EdgeKind, source: LocalNodeID, target: LocalNodeID, qualifier: String) -> Int? {
        batch.edges.firstIndex { $0.kind == kind && $0.from == source && $0.to == target && $0.qualifier == qualifier }
    }
}

extension CaseDatabase {
    /// Replaces everything `derivation` derived before with `facts`, in one transaction.
    /// Its edges are found through `edges_by_qualifier` (qualifier `derived:<id>` or
    /// `derived:<id>:…`, matched exactly), not by scanning every edge of the case.
    @discardableResult
    public func replaceDerivedFacts(derivation: String, with facts: DerivedFacts) throws -> WriteSummary {
        try writeDerived { db in
            let prefix = "derived:\(derivation)"
            let derived = """
                qualifier <> '' AND qualifier >= ?1 AND qualifier < ?1 || ';' \
                AND (qualifier = ?1 OR (qualifier >= ?1 || ':' AND qualifier < ?1 || ';'))
                """
            try db.execute(sql: "DELETE FROM edge_evidence_extra WHERE edge_id IN (SELECT id FROM edges WHERE \(derived))",
                           arguments: [prefix])
            try db.execute(sql: "DELETE FROM edges WHERE \(derived)", arguments: [prefix])
            let writer = GraphWriter(db: db, tables: batchTables)
            return try writer.writeDerived(facts)
        }
    }
}
