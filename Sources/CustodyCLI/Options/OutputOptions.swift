import ArgumentParser
import CustodyExport

extension OutputFormat: ExpressibleByArgument {}

/// `--format table|json|jsonl|csv|markdown` for every query-style command.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: table, json, jsonl, csv or markdown.")
    var format: OutputFormat = .table
}
