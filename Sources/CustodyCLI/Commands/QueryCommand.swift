import ArgumentParser
import CustodyCore
import CustodyExport
import CustodyQuery
import CustodyStore
import Foundation

/// `custody query NAME --param k=v`, `custody query --list`
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run a named, reviewed SQL query from queries/.",
        discussion: """
        Named queries are files queries/<topic>/<name>.sql with a metadata header (title,
        description, parameters); see queries/README.md. They run read-only, with a time limit
        and a row cap that are reported when hit. Queries come from --queries DIR,
        $CUSTODY_QUERIES, <prefix>/share/custody/queries of an installed binary, the queries/
        of the source checkout, and finally the copy built into custody.

        Examples:
          custody query --list
          custody query tag-history --param repository=registry.acme.example/acme/billing-service
          custody query still-running --param digest=sha256:76b3a085de0a8fd6c43bbca912fed3f01baae2e5250fea3d71cdfc2ca4310210 --format json

        Exit status 1 when the query returned no rows.
        """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "List the named queries and their parameters.")
    var list = false

    @Option(name: .long, help: ArgumentHelp("A parameter value, as name=value (repeatable).", valueName: "name=value"))
    var param: [String] = []

    @Option(name: .long, help: ArgumentHelp("Read named queries from this directory first.", valueName: "dir"))
    var queries: String?

    @Option(name: .long, help: "Stop the query after this many seconds.")
    var timeLimit: Double = 10

    @Option(name: .long, help: "Return at most this many rows.")
    var maxRows: Int = 10_000

    @Argument(help: ArgumentHelp("The query name (or topic/name).", valueName: "name"))
    var name: String?

    func validate() throws {
        if !list, name == nil { throw ValidationError("name a query (custody query --list shows them)") }
        if timeLimit <= 0 { throw ValidationError("--time-limit must be positive") }
        if maxRows <= 0 { throw ValidationError("--max-rows must be positive") }
    }

    func run() throws {
        let catalog = QueryCatalog(directories: QueryLocator.directories(
            flag: queries, environment: ProcessInfo.processInfo.environment, executable: Bundle.main.executablePath))
        for problem in catalog.problems { Console.error("warning: \(problem)") }
        if list {
            Console.out(NamedQueryRendering.list(catalog.queries, format: output.format))
            return
        }
        let query = try catalog.query(named: name ?? "")
        var parameters: [String: String] = [:]
        for pair in param {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("--param takes name=value, got \(pair)")
            }
            parameters[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
        }
        let limits = SQLLimits(timeLimit: .milliseconds(Int(timeLimit * 1000)), rowCap: maxRows)
        let result = try NamedQueryRunner.run(query, parameters: parameters, database: database.open(readOnly: true), limits: limits)
        Console.out(NamedQueryRendering.render(result, format: output.format))
        if result.truncated { Console.error("note: stopped at --max-rows \(maxRows); more rows exist") }
        if result.rows.isEmpty { throw ExitCode(CustodyExitCode.noMatch.rawValue) }
    }
}
