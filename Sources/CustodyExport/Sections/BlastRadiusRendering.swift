import CustodyQuery

/// Renders a blast-radius answer: JSON is the full contract (DESIGN.md §5, docs/OUTPUT.md);
/// the other formats show one table per section, with large fan-outs summarized in terminal
/// tables ("+1,234 more") and complete everywhere else.
public enum BlastRadiusRendering {
    /// Terminal tables show at most this many rows per section.
    public static let terminalRowLimit = 50

    /// The rendering as UTF-8, for standard output: a large JSON answer is tens of megabytes,
    /// and going through `String` and `Data` copied it twice more.
    public static func renderUTF8(_ result: BlastRadiusResult, format: OutputFormat) -> [UInt8] {
        format == .json ? ResultJSON.blastRadiusUTF8(result) : Array(render(result, format: format).utf8)
    }

    /// The rendering handed to `sink` in pieces (JSON: about a megabyte each), for standard
    /// output: the same bytes as `renderUTF8` without holding all of them at once.
    public static func write(_ result: BlastRadiusResult, format: OutputFormat, to sink: @escaping (UnsafeBufferPointer<UInt8>) -> Void) {
        if format == .json { return ResultJSON.blastRadius(result, to: sink) }
        renderUTF8(result, format: format).withUnsafeBufferPointer(sink)
    }

    public static func render(_ result: BlastRadiusResult, format: OutputFormat) -> String {
        if format == .json { return ResultJSON.blastRadius(result) }
        let limit = format == .table ? terminalRowLimit : Int.max
        var tables = [
            Sections.runs(result.runs, limit: limit),
            Sections.artifacts(result.artifacts, limit: limit, total: result.totals?.artifacts),
            Sections.workloads(result.workloads, limit: limit, total: result.totals?.workloads),
            Sections.table("secrets", ["key", "reached_by"], result.secrets.lazy.map { [$0.key, $0.reached_by.joined(separator: " ")] },
                           limit: limit, total: result.totals?.secrets),
        ]
        if !result.containers.isEmpty {
            tables.insert(Sections.table("containers without digest", ["kind", "key", "sboms"],
                                         result.containers.lazy.map { [$0.kind, $0.key, $0.sboms.joined(separator: " ")] }, limit: limit), at: 2)
        }
        if !result.not_affected.isEmpty {
            tables.append(Sections.table("not affected (VEX)", ["digest", "vulnerability", "status", "justification"],
                                         result.not_affected.lazy.map { [$0.digest, $0.vulnerability, $0.status, $0.justification] }, limit: limit))
        }
        var out = ""
        if format == .table {
            out += "blast radius of \(result.subject.kind) \(TerminalSafe.escape(result.subject.key))"
            out += " — matched \(result.subject.matched.count) node(s)"
            if !result.subject.matched.isEmpty, result.subject.matched.count <= 5 {
                out += ": " + result.subject.matched.map(TerminalSafe.escape).joined(separator: ", ")
            }
            out += "\n" + Sections.windowLine(result.window) + "\n"
        }
        return out + format.renderer.render(tables)
    }
}

/// Table sections shared by the blast-radius and trace renderings.
enum Sections {
    static func runs(_ runs: [BlastRadiusResult.Run], limit: Int) -> ResultTable {
        table("runs", ["key", "repository", "started_at", "certainty"],
              runs.lazy.map { [$0.key, $0.repository, $0.started_at, $0.certainty] }, limit: limit)
    }

    static func artifacts(_ artifacts: [BlastRadiusResult.Artifact], limit: Int, total: Int? = nil) -> ResultTable {
        table("artifacts", ["digest", "repositories", "tags", "first_seen", "last_seen", "running", "certainty"],
              artifacts.lazy.map { [$0.digest, $0.repositories.joined(separator: " "), $0.tags.joined(separator: " "), $0.first_seen,
                               $0.last_seen, $0.running ? "yes" : "no", $0.certainty] }, limit: limit, total: total)
    }

    static func workloads(_ workloads: [BlastRadiusResult.Workload], limit: Int, total: Int? = nil) -> ResultTable {
        table("workloads", ["workload", "digest", "first_seen", "last_seen", "last_seen_tight", "running", "certainty"],
              workloads.lazy.map { [$0.workloadKey, $0.digest, $0.first_seen, $0.last_seen, $0.last_seen_tight,
                               $0.running ? "yes" : "no", $0.certainty] }, limit: limit, total: total)
    }

    static func windowLine(_ window: BlastRadiusResult.Window) -> String {
        if let at = window.at { return "at \(at)\n" }
        if window.from != nil || window.to != nil { return "window \(window.from ?? "…") to \(window.to ?? "…")\n" }
        return ""
    }

    /// Rows are built only up to `limit` when given lazily: a terminal table of a large answer
    /// shows 50 of tens of thousands, and building every row's strings cost more than the query.
    /// - Parameter total: the section's full size when `rows` holds only its first rows.
    static func table(_ title: String, _ columns: [String], _ rows: some Collection<[String?]>, limit: Int, total: Int? = nil) -> ResultTable {
        ResultTable(title: title, columns: columns, rows: Array(rows.prefix(limit)), omitted: max(0, (total ?? rows.count) - limit))
    }
}
