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

    public init(reader: GraphReader, window: TimeWindow) {
        self.reader = reader
        self.window = window
    }

    public func run(_ subject: BlastRadiusSubject) throws -> BlastRadiusResult {
        let clock = ContinuousClock()
        var mark = clock.now
        func lap(_ name: String) {
            if ProcessInfo.processInfo.environment["CUSTODY_PROFILE"] != nil {
                FileHandle.standardError.write(Data("\(name): \(clock.now - mark)\n".utf8))
            }
            mark = clock.now
        }
        if ProcessInfo.processInfo.environment["CUSTODY_MMAP"] != nil { _ = try? reader.rows("PRAGMA mmap_size = 4294967296") }
        let graph = GraphAccess(reader: reader)
        let walk = Traversal(graph: graph, window: window)
        let seeds = try SubjectResolver(graph: graph, window: window).resolve(subject)

        lap("resolve")
        var collector = PathCollector(walk: walk)
        collector.add(seeds: seeds)
        try collector.followContainers(of: seeds.packages)
        lap("containers")
        try collector.followProducts()
        try collector.expandArtifacts()
        lap("expand")
        if subject.reachesProducers { try collector.followProducers() }
        lap("producers")
        try collector.followWorkloads()
        lap("workloads")
        collector.add(workloadPaths: seeds.workloads)

        var result = BlastRadiusResult(
            subject: .init(kind: subject.kindName, key: subject.key, matched: seeds.matched.map(\.ref.key).sorted()),
            window: .init(from: window.from?.rfc3339, to: window.to?.rfc3339, at: window.at?.rfc3339))
        try collector.fill(&result, notAffected: seeds.notAffected)
        lap("fill")
        return result
    }
}
