import CustodyCore
import CustodyStore
import Foundation

/// Answers "what does this compromise reach": resolves the subject to graph nodes
/// (`SubjectResolver`), then follows the graph forward (`PathCollector`): the runs that used
/// the subject → what they produced → the other manifests of the same image and the images
/// built on it → the runs that produced those (for subjects that name built things) → the
/// workloads that ran them → the secrets in reach of those runs and workloads. Every result
/// keeps the path that reached it and the evidence behind each edge of that path.
public struct BlastRadiusEngine {
    let reader: GraphReader
    let window: TimeWindow
    /// Whether to build `paths` and `evidence` (the JSON contract needs them; tables do not
    /// show them, and on a large answer they are most of the work).
    let includePaths: Bool
    /// Build only the first this many rows (in output order) of the artifacts, workloads and
    /// secrets, and count the rest (`BlastRadiusResult.totals`): a terminal table shows 50
    /// rows of each and summarizes the others, and building every row of a large answer was
    /// most of its cost. nil builds every row (JSON and every other format).
    let rowLimit: Int?
    /// Given the walk (its tens of thousands of paths) when the answer is built, to keep
    /// instead of freeing it: a process that exits right after answering passes a function
    /// that never releases it (the CLI's `ProcessLifetime.keep`), as freeing the paths one by
    /// one cost 1–2 % of a large question. nil frees it as usual.
    let keepWalk: ((Any) -> Void)?

    public init(reader: GraphReader, window: TimeWindow, includePaths: Bool = true, rowLimit: Int? = nil,
                keepWalk: ((Any) -> Void)? = nil) {
        self.reader = reader
        self.window = window
        self.includePaths = includePaths
        self.rowLimit = rowLimit
        self.keepWalk = keepWalk
    }

    public func run(_ subject: BlastRadiusSubject) throws -> BlastRadiusResult {
        let lap = Lap()
        // Memory-mapped reads: a large hop touches thousands of scattered edge pages, and
        // mapping them saves a read() and a copy per page (~10% on the benchmark graph).
        _ = try? reader.rows("PRAGMA mmap_size = 2147418112")
        let graph = GraphAccess(reader: reader)
        let walk = Traversal(graph: graph, window: window)
        let seeds = try SubjectResolver(graph: graph, window: window).resolve(subject)

        lap.mark("resolve")
        var collector = PathCollector(walk: walk)
        collector.add(seeds: seeds)
        try collector.followContainers(of: seeds.packages)
        lap.mark("containers")
        try collector.followProducts()
        try collector.expandArtifacts()
        lap.mark("expand")
        if subject.reachesProducers { try collector.followProducers() }
        lap.mark("producers")
        try collector.followWorkloads()
        lap.mark("workloads")
        collector.add(workloadPaths: seeds.workloads)

        var result = BlastRadiusResult(
            subject: .init(kind: subject.kindName, key: subject.key, matched: seeds.matched.map(\.ref.key).sorted()),
            window: .init(from: window.from?.rfc3339, to: window.to?.rfc3339, at: window.at?.rfc3339))
        try collector.fill(&result, notAffected: seeds.notAffected, includePaths: includePaths, rowLimit: rowLimit)
        lap.mark("fill")
        keepWalk?(collector)
        return result
    }
}

/// Stage timings on standard error when `CUSTODY_TIMINGS=1` (thread CPU time, which a
/// loaded machine does not inflate); used by benchmarks/query to see where time goes.
final class Lap {
    private let enabled = ProcessInfo.processInfo.environment["CUSTODY_TIMINGS"] == "1"
    private var last = Lap.cpu()

    static func cpu() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) * 1000 + Double(spec.tv_nsec) / 1e6
    }

    func mark(_ name: String) {
        guard enabled else { return }
        let now = Lap.cpu()
        FileHandle.standardError.write(Data("\(name) \(String(format: "%.1f", now - last))ms ".utf8))
        last = Lap.cpu()
    }
}
