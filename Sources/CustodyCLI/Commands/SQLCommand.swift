import ArgumentParser
import CustodyCore
import CustodyExport
import CustodyStore

/// `custody sql "SELECT ..."`
struct SQLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "Run one read-only SQL statement over the case database.",
        discussion: """
        The database is opened read-only and only statements SQLite judges read-only run.
        Prefer the documented views (v_packages, v_artifacts, v_artifact_packages, v_edges,
        v_documents, v_evidence; see queries/README.md). :named parameters take --param.

        Examples:
          custody sql "SELECT digest, count(*) FROM v_artifact_packages GROUP BY digest"
          custody sql "SELECT * FROM v_packages WHERE name = :name" --param name=lodash --format csv
        """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: ArgumentHelp("A :named parameter value, as name=value (repeatable).", valueName: "name=value"))
    var param: [String] = []

    @Option(name: .long, help: "Stop the statement after this many seconds.")
    var timeLimit: Double = 10

    @Option(name: .long, help: "Return at most this many rows.")
    var maxRows: Int = 10_000

    @Argument(help: "The SQL statement.")
    var statement: String

    func run() throws {
        var parameters: [String: String] = [:]
        for pair in param {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("--param takes name=value, got \(pair)")
            }
            parameters[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        let limits = SQLLimits(timeLimit: .milliseconds(Int(timeLimit * 1000)), rowCap: maxRows)
        let result = try database.open(readOnly: true).runReadOnly(sql: statement, parameters: parameters, limits: limits)
        let table = ResultTable(title: output.format == .table ? nil : "rows", columns: result.columns,
                                rows: result.rows.map { $0.map(\.text) })
        Console.out(output.format.renderer.render([table]))
        if result.truncated {
            Console.error("note: stopped at --max-rows \(maxRows); more rows exist")
        }
        if result.rows.isEmpty { throw ExitCode(CustodyExitCode.noMatch.rawValue) }
    }
}
