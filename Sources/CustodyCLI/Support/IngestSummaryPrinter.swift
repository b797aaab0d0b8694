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
                let location = diagnostic.location.map { "\(entry.source)\($0.hasPrefix("/") ? "#" : "")\($0)" } ?? entry.source
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
}
