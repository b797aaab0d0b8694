import CustodyCore

/// Walks the graph forward from the seeds and remembers the best path to every result:
/// packages → what contains them; runs → what they produced; artifacts → the other manifests
/// of the same image and the images built on them; artifacts → the runs that produced them
/// (for subjects that name built things) and the workloads that ran them. Each stage reads
/// a whole frontier per hop (`Traversal`), so the cost grows with hops, not with fan-out.
struct PathCollector {
    let walk: Traversal

    private(set) var artifacts: [Int64: GraphPath] = [:]
    private(set) var containers: [Int64: GraphPath] = [:]
    private(set) var runs: [Int64: GraphPath] = [:]
    /// One path per `ran` edge (a workload can run a digest in several intervals), by edge id.
    private(set) var workloads: [Int64: GraphPath] = [:]
    /// Artifacts declared not affected (VEX); never recorded as results.
    var excluded: Set<Int64> = []

    init(walk: Traversal) {
        self.walk = walk
    }

    /// Records `path` when it reaches a new artifact or reaches a known one better.
    @discardableResult
    mutating func record(artifact path: GraphPath) -> Bool {
        guard path.endKind == .artifact, !excluded.contains(path.endID) else { return false }
        if let existing = artifacts[path.endID], !path.isBetter(than: existing) { return false }
        let isNew = artifacts[path.endID] == nil
        artifacts[path.endID] = path
        return isNew
    }

    mutating func record(run path: GraphPath) {
        guard path.endKind == .run else { return }
        if let existing = runs[path.endID], !path.isBetter(than: existing) { return }
        runs[path.endID] = path
    }

    mutating func record(workload path: GraphPath) {
        guard let step = path.lastEdgeStep, step.edgeKind == .ran, let id = step.edgeID else { return }
        if let existing = workloads[id], !path.isBetter(than: existing) { return }
        workloads[id] = path
    }

    /// Package → whatever contains it (artifacts; image references, applications and SBOMs
    /// known without a digest are `containers`), through containing packages, `maxDepth` hops.
    mutating func followContainers(of packages: [GraphPath], maxDepth: Int = 4) throws {
        var seen = Set(packages.map(\.endID))
        var frontier = packages
        for _ in 0..<maxDepth where !frontier.isEmpty {
            var best: [Int64: GraphPath] = [:]
            for path in try walk.hop(frontier, .incoming, [.contains]) where !seen.contains(path.endID) {
                if let existing = best[path.endID], !path.isBetter(than: existing) { continue }
                best[path.endID] = path
            }
            seen.formUnion(best.keys)
            frontier = []
            var references: [GraphPath] = []
            for path in best.values.sorted(by: { $0.endID < $1.endID }) {
                switch path.endKind {
                case .artifact: record(artifact: path)
                case .imageReference: references.append(path)
                case .package:
                    containers[path.endID] = path
                    frontier.append(path)
                default: containers[path.endID] = path
                }
            }
            // An image reference counts as the digests it is known to name; until one is known
            // it is reported as a container.
            let resolved = try walk.hop(references, .outgoing, [.refersTo]) { _, node in node.ref.kind == .artifact }
            for path in resolved { record(artifact: path) }
            for path in references where !resolved.contains(where: { $0.steps[$0.steps.count - 2].nodeID == path.endID }) {
                containers[path.endID] = path
            }
        }
    }

    /// Runs → the artifacts they pushed.
    mutating func followProducts() throws {
        for path in try walk.hop(Array(runs.values), .outgoing, [.produced]) { record(artifact: path) }
    }

    /// Artifacts → index ↔ platform manifests (the same image) and images built on them,
    /// until nothing new appears.
    mutating func expandArtifacts(maxRounds: Int = 8) throws {
        var frontier = Array(artifacts.values)
        for _ in 0..<maxRounds where !frontier.isEmpty {
            let next = try walk.hop(frontier, .outgoing, [.hasManifest]) + walk.hop(frontier, .incoming, [.hasManifest, .baseImage])
            frontier = []
            for path in next where record(artifact: path) { frontier.append(path) }
        }
    }

    /// Artifacts → the runs that produced them.
    mutating func followProducers() throws {
        for path in try walk.hop(Array(artifacts.values), .incoming, [.produced]) { record(run: path) }
    }

    /// Artifacts → the workloads that ran them, one path per interval.
    mutating func followWorkloads() throws {
        for path in try walk.hop(Array(artifacts.values), .incoming, [.ran]) { record(workload: path) }
    }

    mutating func add(seeds: Seeds) {
        excluded = Set(seeds.notAffected.keys)
        for path in seeds.runs { record(run: path) }
        for path in seeds.artifacts { record(artifact: path) }
    }

    /// Workloads reached directly (a mounted secret): their paths end at the digest after the
    /// `ran` edge; results read the workload and the digest from the edge, not the path's end.
    mutating func add(workloadPaths: [GraphPath]) {
        for path in workloadPaths { record(workload: path) }
    }
}
