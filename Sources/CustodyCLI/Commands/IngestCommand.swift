import ArgumentParser
import CustodyCore
import CustodyIngest

/// `custody ingest PATH...`
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Read evidence documents into the case database.",
        discussion: """
        PATH may be a file, a directory (read recursively), or - for standard input; gzip'd
        files are decompressed. The format is recognized from the content; --format overrides.
        Each document is stored atomically with the facts it asserts: one that cannot be read
        leaves nothing behind and is reported with its location. Ingesting the same bytes
        again changes nothing and says so.

        Examples:
          custody ingest sbom/ provenance/
          custody ingest --format cyclonedx-json - < bom.json
          custody ingest --cluster prod-eu --observed-at 2025-03-14T12:00:00Z pods.json

        Exit status 3 when any document was rejected (the others are still stored).
        """)

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: ArgumentHelp("Read every document as this format (see custody ingestors).", valueName: "id"))
    var format: String?

    @Option(name: .long, help: ArgumentHelp("Cluster name for Kubernetes inventories.", valueName: "name"))
    var cluster: String?

    @Option(name: .customLong("observed-at"), help: ArgumentHelp("Capture time for documents that carry none (RFC 3339).", valueName: "time"))
    var observedAt: String?

    @Flag(name: .long, help: "List every diagnostic, not only the first few per document.")
    var verbose = false

    @Argument(help: ArgumentHelp("Files, directories, or - for standard input.", valueName: "path"))
    var paths: [String]

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give at least one PATH (file, directory or -)") }
        if let format, IngestorRegistry.standard.ingestor(id: format) == nil {
            let known = IngestorRegistry.standard.ingestors.map(\.descriptor.id).joined(separator: ", ")
            throw ValidationError("unknown format \(format); known formats: \(known)")
        }
    }

    func run() throws {
        var observed: Timestamp?
        if let observedAt {
            do { observed = try Timestamp(rfc3339: observedAt) } catch {
                throw ValidationError("--observed-at: \(observedAt) is not an RFC 3339 time (example: 2025-03-14T12:00:00Z)")
            }
        }
        let db = try database.open()
        let pipeline = IngestPipeline(database: db)
        let options = IngestOptions(formatOverride: format, cluster: cluster, observedAt: observed)
        let report = pipeline.run(paths: paths, options: options) { done, total, source in
            Console.progress("ingesting \(done)/\(total) \(InputReader.fileName(of: source))")
        }
        Console.endProgress()
        IngestSummaryPrinter(verbose: verbose).print(report, database: db.path)
        if !report.rejections.isEmpty { throw ExitCode(CustodyExitCode.inputRejected.rawValue) }
    }
}
