import ArgumentParser
import CustodyCore
import CustodyExport
import CustodyQuery

/// `custody trace --workload CLUSTER/NS/KIND/NAME | --digest sha256:… | --image REPO:TAG`
struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "The chain of custody of a workload, digest or image, backwards to its source.",
        discussion: """
        workload ← digest ← push (who, when) ← run ← workflow and commit ← repository, with the
        attestations and their verification results and the SBOM. What the evidence does not
        show is reported as a gap ("no provenance for this digest", "pushed by an identity that
        no run used"): for a responder the gap is often the finding. --at/--from/--to choose
        which digests a workload ran or a tag pointed to.

        Examples:
          custody trace --workload prod-eu/payments/Deployment/payments-api
          custody trace --digest sha256:0137dfe999c7744ad7652b2ac5fa20cf2896678c79a2507ab74b762fd970ee46 --format json
          custody trace --image registry.acme.example/acme/storefront:2025.09.08 --at 2025-09-08T15:00:00Z

        Exit status 1 when the target is not in the case database.
        """)

    @Option(name: .long, help: ArgumentHelp("Workload CLUSTER/NAMESPACE/KIND/NAME.", valueName: "workload"))
    var workload: String?

    @Option(name: .long, help: ArgumentHelp("Image digest sha256:HEX.", valueName: "digest"))
    var digest: String?

    @Option(name: .long, help: ArgumentHelp("Image reference REPO:TAG.", valueName: "ref"))
    var image: String?

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var time: WindowOptions

    @Flag(name: .long, help: "Print how long the query and the rendering took, on standard error.")
    var timing = false

    func validate() throws {
        _ = try target()
    }

    func target() throws -> TraceTarget {
        let given = [workload.map(TraceTarget.workload), digest.map(TraceTarget.digest), image.map(TraceTarget.image)].compactMap { $0 }
        guard given.count == 1, let target = given.first else {
            throw ValidationError("name exactly one target: --workload, --digest or --image")
        }
        return target
    }

    func run() throws {
        let target = try target()
        let window = try time.window()
        let clock = ContinuousClock()
        let started = clock.now
        let opened = try database.open(readOnly: true)
        ProcessLifetime.keep(opened)
        let result = try opened.read { reader in
            try TraceEngine(reader: reader, window: window).run(target)
        }
        let queried = clock.now
        Console.out(TraceRendering.render(result, format: output.format))
        if timing { Console.error(Timing.line(query: queried - started, render: clock.now - queried)) }
        if result.isEmpty { throw ExitCode(CustodyExitCode.noMatch.rawValue) }
    }
}
