import ArgumentParser
import CustodyExport
import CustodyStore

/// `custody stats`
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Count documents, nodes and edges in the case database.",
        discussion: "Example:\n  custody stats --db case.db")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let stats = try database.open(readOnly: true).read { try $0.statistics() }
        let documents = ResultTable(title: "documents", columns: ["format", "count"],
                                    rows: stats.documentsByFormat.sorted { $0.key < $1.key }.map { [$0.key, String($0.value)] })
        let nodes = ResultTable(title: "nodes", columns: ["kind", "count"],
                                rows: stats.nodesByKind.sorted { $0.key < $1.key }.map { [$0.key, String($0.value)] })
        let edges = ResultTable(title: "edges", columns: ["kind", "count"],
                                rows: stats.edgesByKind.sorted { $0.key < $1.key }.map { [$0.key, String($0.value)] })
        let totals = ResultTable(title: "totals", columns: ["what", "value"], rows: [
            ["documents", String(stats.documents)],
            ["document bytes", String(stats.documentBytes)],
            ["stored bytes (compressed)", String(stats.storedBytes)],
            ["nodes", String(stats.nodesByKind.values.reduce(0, +))],
            ["edges", String(stats.edgesByKind.values.reduce(0, +))],
            ["diagnostics", String(stats.diagnostics)],
        ])
        Console.out(output.format.renderer.render([totals, documents, nodes, edges]))
    }
}
