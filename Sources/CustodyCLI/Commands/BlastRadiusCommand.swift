import ArgumentParser
import CustodyCore
import CustodyExport
import CustodyQuery

/// `custody blast-radius --package PURL`
struct BlastRadiusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blast-radius",
        abstract: "What a compromised component reaches: artifacts, runs, workloads, secrets.",
        discussion: """
        Examples:
          custody blast-radius --package pkg:npm/debug@4.4.2
          custody blast-radius --package pkg:npm/debug --versions 'vers:npm/>=4.4.2|<4.4.3'
          custody blast-radius --package pkg:maven/org.apache.logging.log4j/log4j-core --format json

        Exit status 1 when nothing matched.
        """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var time: WindowOptions

    @Option(name: .long, help: ArgumentHelp("Package URL; without a version any version matches.", valueName: "purl"))
    var package: String?

    @Option(name: .long, help: ArgumentHelp("Version range in vers: syntax, with a versionless --package.", valueName: "vers"))
    var versions: String?

    func run() throws {
        guard let package else {
            throw ValidationError("name a subject: --package PURL")
        }
        let subject = BlastRadiusSubject.package(purl: package, versions: versions)
        let window = try time.window()
        let result = try database.open(readOnly: true).read { reader in
            try BlastRadiusEngine(reader: reader, window: window).run(subject)
        }
        Console.out(BlastRadiusRendering.render(result, format: output.format))
        if result.isEmpty { throw ExitCode(CustodyExitCode.noMatch.rawValue) }
    }
}
