import CustodyCore
import CustodyStore

/// Links runs that only know a short commit id (GitLab's `Checking out 1a2b3c4d as …`, kept as
/// the run attribute `commit_short`) to the stored commit with that prefix — only when exactly
/// one stored commit has it (FORMATS.md §6.2: join by prefix, flag ambiguity). The edge is
/// `builtFrom`, `inferred` (a prefix is not a commit id), attribute `short` = the prefix; a
/// prefix that matches several commits, or none, links nothing and the run keeps its attribute.
/// Re-derived after every ingest, so a commit ingested later (from a job record, provenance or
/// another log) completes the link.
public struct WorkflowShortCommitDerivation: Derivation {
    public init() {}

    public var id: String { "workflow-short-commits" }

    public func derive(from reader: GraphReader) throws -> DerivedFacts {
        var facts = DerivedFacts()
        let rows = try reader.rows("""
            SELECT r.id, r.key, json_extract(r.attrs, '$.commit_short'),
                   json_extract(r.attrs, '$.started_at'), json_extract(r.attrs, '$.completed_at')
            FROM nodes r
            WHERE r.kind = 'run' AND json_extract(r.attrs, '$.commit_short') IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM edges e JOIN nodes c ON c.id = e.dst
                              WHERE e.src = r.id AND e.kind = 'builtFrom' AND c.kind = 'commit'
                                AND e.qualifier NOT LIKE 'derived:%')
            ORDER BY r.key
            """)
        for row in rows {
            guard let runID = row[0].int64, case let .text(key) = row[1], case let .text(short) = row[2],
                  short.utf8.count >= 7, short.utf8.allSatisfy({ CIText.isHexByte($0) }) else { continue }
            let candidates = try reader.nodes(kind: .commit, keyPrefix: short.lowercased(), limit: 2)
            guard candidates.count == 1, let commit = candidates.first else { continue }
            let evidence = try reader.evidence(node: runID).map(\.sha256)
            facts.edge(.builtFrom, from: NodeRef(.run, key), to: commit.ref, derivation: id,
                       firstSeen: Self.time(row[3]), lastSeen: Self.time(row[4]), certainty: .inferred,
                       attributes: ["short": short], evidence: evidence)
        }
        return facts
    }

    private static func time(_ value: SQLValue) -> Timestamp? {
        guard case let .text(text) = value else { return nil }
        return Timestamp(rfc3339OrNil: text)
    }
}
