import ArgumentParser
import CustodyExport
import CustodyIngest

/// `custody ingestors`
struct IngestorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingestors",
        abstract: "List the evidence formats custody reads, and what each emits.",
        discussion: "Example:\n  custody ingestors --format markdown")

    @OptionGroup var output: OutputOptions

    func run() throws {
        let rows = IngestorRegistry.standard.ingestors.map { ingestor -> [String?] in
            let d = ingestor.descriptor
            return [d.id, d.version, d.summary, d.emits]
        }
        let table = ResultTable(title: output.format == .table ? nil : "ingestors",
                                columns: ["id", "version", "format", "emits"], rows: rows)
        Console.out(output.format.renderer.render([table]))
    }
}
