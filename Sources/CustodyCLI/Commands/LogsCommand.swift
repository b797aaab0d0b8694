import ArgumentParser
import CustodyCore
import CustodyExport
import CustodyIngest
import CustodyQuery

/// `custody logs …`: questions answered from the CI logs themselves rather than the graph.
struct LogsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Search the CI logs stored in the case database.",
        subcommands: [LogsGrepCommand.self])
}

/// `custody logs grep PATTERN [--from T --to T] [--repo R]`
struct LogsGrepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grep",
        abstract: "Find the runs whose stored logs contain an indicator or match a regular expression.",
        discussion: """
        Searches every stored GitHub Actions job log and run archive, GitLab trace and Jenkins
        console log, and prints the run, the job, the line number and the line, with control
        characters (ANSI escapes, carriage returns) shown as visible escapes. The pattern is a
        regular expression (ICU syntax, as in PCRE) unless --fixed-strings; the longest literal a
        match needs is searched first, so indicator-like patterns stay fast on gigabytes of logs.
        --from/--to keep runs whose interval overlaps the window; --repo keeps one repository.

        Examples:
          custody logs grep 'curl -s https://codecov.io/bash'
          custody logs grep --fixed-strings SWZ6dE5RTVF --from 2025-03-14T00:00:00Z --to 2025-03-16T00:00:00Z
          custody logs grep '(?i)tj-actions/changed-files@[0-9a-f]{7,}' --repo acme/storefront-web --format json
        """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var window: WindowOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: ArgumentHelp("Only runs of this repository (owner/repo or host/owner/repo).", valueName: "repository"))
    var repo: String?

    @Flag(name: [.customShort("F"), .long], help: "Treat PATTERN as a literal string, not a regular expression.")
    var fixedStrings = false

    @Flag(name: [.customShort("i"), .long], help: "Ignore ASCII case.")
    var ignoreCase = false

    @Option(name: .long, help: "Stop after this many matching lines.")
    var maxMatches = 1000

    @Argument(help: "The indicator or regular expression to look for.")
    var pattern: String

    func run() throws {
        let compiled: LogPattern
        do {
            compiled = try LogPattern(pattern, literal: fixedStrings, ignoreCase: ignoreCase)
        } catch {
            throw ValidationError("\(error)")
        }
        guard maxMatches > 0 else { throw ValidationError("--max-matches must be at least 1") }
        let search = LogSearch(database: try database.open(readOnly: true), expanders: [
            "github-actions-log-zip": { try GitHubLogArchiveIngestor.members(of: $0) },
        ])
        let result = try search.run(compiled, window: try window.window(), repository: repo, limit: maxMatches)
        let rows = result.matches.map { match -> [String?] in
            [match.run, match.job, match.member, String(match.line), TerminalSafe.escape(match.text), match.document, match.source]
        }
        let table = ResultTable(title: output.format == .table ? nil : "matches",
                                columns: ["run", "job", "file", "line", "text", "document", "source"], rows: rows)
        Console.out(output.format.renderer.render([table]))
        let runs = Set(result.matches.compactMap { $0.run }).count
        Console.error("\(result.matches.count) matching line(s) in \(runs) run(s); searched \(result.documentsSearched) log(s), \(result.bytesSearched) bytes")
        if result.truncated {
            Console.error("note: stopped at --max-matches \(maxMatches); more lines may match")
        }
        if result.matches.isEmpty { throw ExitCode(CustodyExitCode.noMatch.rawValue) }
    }
}
