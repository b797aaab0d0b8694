import CustodyQuery

/// Renders a blast-radius answer: JSON is the full contract (DESIGN.md §5); the other formats
/// show one table per section, with large fan-outs summarized in terminal tables.
public enum BlastRadiusRendering {
    /// Terminal tables show at most this many rows per section.
    public static let terminalRowLimit = 50

    public static func render(_ result: BlastRadiusResult, format: OutputFormat) -> String {
        if format == .json { return JSONText.encode(result) + "\n" }
        let limit = format == .table ? terminalRowLimit : Int.max
        var tables = [
            table("runs", ["key", "repository", "started_at", "certainty"],
                  result.runs.map { [$0.key, $0.repository, $0.started_at, $0.certainty] }, limit: limit),
            table("artifacts", ["digest", "repositories", "tags", "first_seen"],
                  result.artifacts.map { [$0.digest, $0.repositories.joined(separator: " "), $0.tags.joined(separator: " "), $0.first_seen] },
                  limit: limit),
            table("workloads", ["workload", "digest", "first_seen", "last_seen", "last_seen_tight", "running"],
                  result.workloads.map { ["\($0.cluster)/\($0.namespace)/\($0.kind)/\($0.name)", $0.digest, $0.first_seen,
                                          $0.last_seen, $0.last_seen_tight, $0.running ? "yes" : "no"] }, limit: limit),
            table("secrets", ["key", "reached_by"], result.secrets.map { [$0.key, $0.reached_by.joined(separator: " ")] }, limit: limit),
        ]
        if !result.containers.isEmpty {
            tables.insert(table("containers without digest", ["kind", "key", "sboms"],
                                result.containers.map { [$0.kind, $0.key, $0.sboms.joined(separator: " ")] }, limit: limit), at: 2)
        }
        var out = ""
        if format == .table {
            out += "blast radius of \(result.subject.kind) \(TerminalSafe.escape(result.subject.key))"
            out += " — matched \(result.subject.matched.count) node(s)\n"
            if let at = result.window.at { out += "at \(at)\n" }
            if result.window.from != nil || result.window.to != nil {
                out += "window \(result.window.from ?? "…") to \(result.window.to ?? "…")\n"
            }
            out += "\n"
        }
        return out + format.renderer.render(tables)
    }

    static func table(_ title: String, _ columns: [String], _ rows: [[String?]], limit: Int) -> ResultTable {
        ResultTable(title: title, columns: columns, rows: Array(rows.prefix(limit)), omitted: max(0, rows.count - limit))
    }
}
