import CustodyCore
import CustodyExport
import CustodyIngest

/// Prints what an ingest did: one line per document that was rejected or had diagnostics
/// (on stderr, with locations), then the totals (on stdout).
struct IngestSummaryPrinter {
    var verbose: Bool
    static let diagnosticsPerDocument = 5

    func print(_ report: IngestReport, database: String) {
        for entry in report.entries {
            switch entry.outcome {
            case let .rejected(error):
                Console.error("rejected \(TerminalSafe.escape(error.description))")
            case .alreadyPresent:
                if verbose { Console.error("already present: \(TerminalSafe.escape(entry.source))") }
            case .stored:
                break
            }
            let shown = verbose ? entry.diagnostics : Array(entry.diagnostics.prefix(Self.diagnosticsPerDocument))
            for diagnostic in shown {
                let location = Self.place(entry.source, diagnostic.location)
                Console.error("\(diagnostic.severity.rawValue): \(TerminalSafe.escape(location)): \(TerminalSafe.escape(diagnostic.message))")
            }
            if entry.diagnostics.count > shown.count {
                Console.error("  … and \(entry.diagnostics.count - shown.count) more diagnostics for \(TerminalSafe.escape(entry.source)) (--verbose lists all)")
            }
        }
        for error in report.derivationErrors {
            Console.error("error: \(TerminalSafe.escape(error.description))")
        }
        var line = "ingested into \(database): \(report.newDocuments) new, \(report.alreadyPresent) already present"
        line += ", \(report.rejections.count) rejected; \(report.nodesAdded) nodes and \(report.edgesAdded) edges added"
        if report.diagnosticCount > 0 { line += "; \(report.diagnosticCount) diagnostics" }
        Console.out(line + "\n")
    }

    /// Where in its document a diagnostic is, written the usual way for the kind of location
    /// the ingestor stored: `file#/json/pointer`, `file:12` for a line (`:12`, `line:12` or
    /// `line 12`), `file (section)` otherwise. Joining them bare gave `file.spdxline:61`.
    static func place(_ source: String, _ location: String?) -> String {
        guard let location, !location.isEmpty else { return source }
        if location.hasPrefix("/") { return source + "#" + location }
        if location.hasPrefix(":") { return source + location }
        for prefix in ["line:", "line "] where location.hasPrefix(prefix) {
            let number = location.dropFirst(prefix.count)
            if !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }) { return source + ":" + number }
        }
        return source + " (" + location + ")"
    }
}
