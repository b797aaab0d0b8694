import ArgumentParser

/// `custody`: the root command; one subcommand per file under `Commands/`.
struct CustodyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "custody",
        abstract: "Incident forensics over a provenance graph of your software supply chain.",
        discussion: """
        Ingest the evidence you already have (SBOMs, CI logs, registry events, attestations,
        Kubernetes inventories) into a case database, then ask what a compromise reaches.

        Examples:
          custody ingest ./evidence/
          custody blast-radius --package pkg:npm/debug@4.4.2
          custody stats

        Exit codes: 0 success (something matched), 1 nothing matched, 2 usage error,
        3 some input was rejected, 4 verification failed.
        """,
        subcommands: [
            IngestCommand.self,
            IngestorsCommand.self,
            BlastRadiusCommand.self,
            TraceCommand.self,
            QueryCommand.self,
            LogsCommand.self,
            StatsCommand.self,
            SQLCommand.self,
        ])
}
