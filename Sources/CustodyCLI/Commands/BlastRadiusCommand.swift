import ArgumentParser
import CustodyCore
import CustodyExport
import CustodyQuery
import Foundation

/// `custody blast-radius --package PURL | --vuln ID | --action OWNER/REPO[@SHA] | …`
struct BlastRadiusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blast-radius",
        abstract: "What a compromised component reaches: runs, artifacts, workloads, secrets.",
        discussion: """
        Name exactly one subject. The graph is followed forward: the runs that used the subject,
        what they produced, the other manifests of the same image and the images built on it,
        the tags, the workloads that ran them (with intervals and a still-running flag), and the
        secrets in reach of those runs and workloads. Every result carries its evidence path.
        --at/--from/--to keep runs, pushes, tag moves and workload intervals in the window
        (docs/OUTPUT.md says which facts are windowed).

        Examples:
          custody blast-radius --package pkg:npm/debug@4.4.2
          custody blast-radius --package pkg:npm/debug --versions 'vers:npm/>=4.4.2|<4.4.3'
          custody blast-radius --vuln CVE-2025-59144 --format json
          custody blast-radius --action tj-actions/changed-files --from 2025-03-14T00:00:00Z --to 2025-03-15T12:00:00Z
          custody blast-radius --fetched https://codecov.io/bash
          custody blast-radius --actor billing-ci --from 2021-03-10T16:00:00Z --to 2021-04-16T00:00:00Z
          custody blast-radius --digest sha256:0137dfe999c7744ad7652b2ac5fa20cf2896678c79a2507ab74b762fd970ee46 --at 2025-09-10T00:00:00Z

        Exit status 1 when nothing matched, 2 for a usage error (no subject, two subjects, an
        ambiguous commit prefix).
        """)

    @OptionGroup var subject: SubjectOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var time: WindowOptions

    @Flag(name: .long, help: "Print how long the query and the rendering took, on standard error.")
    var timing = false

    func run() throws {
        let subject = try subject.subject()
        let window = try time.window()
        let clock = ContinuousClock()
        let started = clock.now
        let opened = try database.open(readOnly: true)
        ProcessLifetime.keep(opened)
        let result = try opened.read { reader in
            // A terminal table shows the first rows of each section and counts the others.
            try BlastRadiusEngine(reader: reader, window: window, includePaths: output.format == .json,
                                  rowLimit: output.format == .table ? BlastRadiusRendering.terminalRowLimit : nil,
                                  keepWalk: { ProcessLifetime.keep($0) }).run(subject)
        }
        let queried = clock.now
        BlastRadiusRendering.write(result, format: output.format) { Console.out(buffer: $0) }
        if timing { Console.error(Timing.line(query: queried - started, render: clock.now - queried)) }
        if result.isEmpty { throw ExitCode(CustodyExitCode.noMatch.rawValue) }
        ProcessLifetime.keep(result)
    }
}

/// `--timing` output, one line for scripts (benchmarks/query reads it).
enum Timing {
    static func line(query: Duration, render: Duration) -> String {
        "timing: query_ms=\(milliseconds(query)) render_ms=\(milliseconds(render))"
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let value = Double(seconds) * 1000 + Double(attoseconds) / 1e15
        return String(format: "%.3f", value)
    }
}

/// Values the process keeps until it exits. A large answer is ~100,000 objects (rows, strings,
/// paths); freeing them one by one after the output is written cost ~5 % of the question,
/// and the exit frees them at once. Closing the (read-only) case database unmapped its
/// memory-mapped pages one by one, too.
enum ProcessLifetime {
    private final class Box<Value> {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    static func keep<Value>(_ value: Value) {
        _ = Unmanaged.passRetained(Box(value))
    }
}
