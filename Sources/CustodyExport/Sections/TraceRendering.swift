import CustodyQuery

/// Renders a trace: JSON is the contract (docs/OUTPUT.md); tables show the chain as one row
/// per hop, then the sections, then the gaps, which are the findings a responder reads first.
public enum TraceRendering {
    public static func render(_ result: TraceResult, format: OutputFormat) -> String {
        if format == .json { return ResultJSON.trace(result) }
        let limit = format == .table ? BlastRadiusRendering.terminalRowLimit : Int.max
        var tables = [
            Sections.table("gaps", ["kind", "subject", "message"], result.gaps.map { [$0.kind, $0.subject, $0.message] }, limit: limit),
            chainTable(result.chain),
            Sections.artifacts(result.artifacts, limit: limit),
            Sections.runs(result.runs, limit: limit),
            Sections.table("builds", ["run", "digest", "workflow", "commit", "repository", "triggered_by"],
                           result.builds.map { [$0.run, $0.digest, $0.workflow, $0.commit, $0.repository, $0.triggered_by.joined(separator: " ")] },
                           limit: limit),
            Sections.table("pushes", ["digest", "identity", "at", "details"],
                           result.pushes.map { [$0.digest, $0.identity, $0.at,
                                                $0.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")] },
                           limit: limit),
            Sections.table("attestations", ["key", "digest", "predicate_type", "builders", "runs"],
                           result.attestations.map { [$0.key, $0.digest, $0.predicate_type, $0.builders.joined(separator: " "), $0.runs.joined(separator: " ")] },
                           limit: limit),
            Sections.table("signatures", ["attestation", "signer", "verified", "result"],
                           result.signatures.map { [$0.attestation, $0.signer, $0.verified.map { $0 ? "yes" : "no" } ?? "not checked", $0.result] },
                           limit: limit),
            Sections.table("sboms", ["key", "digest", "packages"], result.sboms.map { [$0.key, $0.digest, String($0.packages)] }, limit: limit),
            Sections.table("related", ["digest", "relation", "of"], result.related.map { [$0.digest, $0.relation, $0.of] }, limit: limit),
        ]
        if !result.workloads.isEmpty { tables.insert(Sections.workloads(result.workloads, limit: limit), at: 3) }
        // Empty sections say nothing the gaps do not; gaps, chain and artifacts always show.
        tables.removeAll { $0.rows.isEmpty && $0.omitted == 0 && !["gaps", "chain", "artifacts"].contains($0.title ?? "") }
        var out = ""
        if format == .table {
            out += "chain of custody of \(result.target.kind) \(TerminalSafe.escape(result.target.key))"
            out += " — \(result.target.matched.isEmpty ? "not found" : "\(result.artifacts.count) digest(s)")\n"
            out += Sections.windowLine(result.window) + "\n"
        }
        return out + format.renderer.render(tables)
    }

    /// One row per hop: the node reached and the edge that reached it.
    static func chainTable(_ chain: [TraceResult.PathElement]) -> ResultTable {
        var rows: [[String?]] = []
        var edge: TraceResult.PathElement?
        for element in chain {
            if element.edge != nil {
                edge = element
                continue
            }
            rows.append([element.kind, element.key, edge?.edge, edge?.first_seen, edge?.certainty])
            edge = nil
        }
        return ResultTable(title: "chain", columns: ["kind", "key", "via", "seen", "certainty"], rows: rows)
    }
}
