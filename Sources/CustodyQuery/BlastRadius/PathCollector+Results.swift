import CustodyCore

extension PathCollector {
    /// Turns what was reached into the result sections, sorted for stable output.
    /// - Parameter rowLimit: build only the first rows of artifacts, workloads and secrets and
    ///   count the others (`BlastRadiusEngine.rowLimit`).
    func fill(_ result: inout BlastRadiusResult, notAffected: [Int64: GraphPath], includePaths: Bool = true, rowLimit: Int? = nil) throws {
        let rows = ResultRows(graph: walk.graph, window: walk.window)
        var paths: [GraphPath] = []
        var totals = BlastRadiusResult.Totals(artifacts: 0, workloads: 0, secrets: 0)
        defer { if rowLimit != nil { result.totals = totals } }
        let lap = Lap()

        // Unwindowed, every `ran` edge into the artifacts was read by `followWorkloads`.
        let knownRan = walk.window.isUnbounded ? workloads.values.compactMap { $0.lastEdge }.filter { artifacts[$0.target] != nil } : nil
        if let rowLimit {
            // The first artifacts by digest; only theirs are read (tags, pushes, lifetimes).
            let named = artifacts.keys.compactMap { id in walk.graph.nodes[id].map { (id: id, key: $0.ref.key) } }
            let shown = Set(named.sorted { $0.key < $1.key }.prefix(rowLimit).map(\.id))
            result.artifacts = try rows.artifacts(artifacts.filter { shown.contains($0.key) }.mapValues(\.certainty),
                                                  knownRan: knownRan?.filter { shown.contains($0.target) })
            totals.artifacts = named.count
        } else {
            result.artifacts = try rows.artifacts(artifacts.mapValues(\.certainty), knownRan: knownRan)
        }
        paths += artifacts.values
        lap.mark("f.artifacts")

        try walk.graph.load(containers.keys)
        var describing: [Int64: [String]] = [:]
        for edge in try walk.graph.edges(.incoming, of: containers.keys, kinds: [.describes]) {
            if let key = walk.graph.nodes[edge.source]?.ref.key { describing[edge.target, default: []].append(key) }
        }
        for (id, path) in containers {
            guard let node = walk.graph.nodes[id] else { continue }
            let sboms = describing[id] ?? []
            result.containers.append(.init(kind: node.ref.kind.rawValue, key: node.ref.key, sboms: Array(Set(sboms)).sorted()))
            paths.append(path)
        }

        for (id, path) in runs {
            guard let node = walk.graph.nodes[id] else { continue }
            result.runs.append(rows.run(node, certainty: path.certainty))
            paths.append(path)
        }

        lap.mark("f.runs")
        var holders = Set(runs.keys)
        // The intervals that make a row (`ResultRows.workload` is nil for the others), in
        // output order; rows are built for the first `rowLimit` of them only.
        var intervals: [(ran: Edge, certainty: Certainty)] = []
        intervals.reserveCapacity(workloads.count)
        for path in workloads.values {
            guard let ran = path.lastEdge else { continue }
            // `canDescribe` caches its answer per workload (`WorkloadKeys`).
            guard rows.canDescribe(workload: ran.source), walk.graph.nodes[ran.target] != nil else { continue }
            intervals.append((ran, path.certainty))
            holders.insert(ran.source)
            paths.append(path)
        }
        // Workload rows, the secrets' holders and the path ends are ordered by the keys of
        // mostly the same nodes (workloads, digests, runs): they are ranked once for all.
        var ranked: [Int64] = []
        ranked.reserveCapacity(intervals.count * 2 + runs.count + (includePaths ? artifacts.count + workloads.count : 0))
        for interval in intervals { ranked.append(interval.ran.source); ranked.append(interval.ran.target) }
        let ranksHolders = rowLimit == nil || includePaths
        if ranksHolders { ranked += runs.keys }
        if includePaths {
            ranked += artifacts.keys
            ranked += containers.keys
            ranked += workloads.values.lazy.map(\.endID)
            ranked += notAffected.values.lazy.map(\.endID)
        }
        let keys = KeyRanks(ranked, in: walk.graph)
        result.workloads = rows.workloads(intervals, limit: rowLimit, keys: keys)
        totals.workloads = intervals.count
        lap.mark("f.workloads")
        (result.secrets, totals.secrets) = try rows.secrets(of: Array(holders), limit: rowLimit, keys: ranksHolders ? keys : nil)
        lap.mark("f.secrets")

        for (id, path) in notAffected {
            guard let edge = path.lastEdge, let digest = walk.graph.nodes[id] else { continue }
            let attributes = edge.attributes
            result.not_affected.append(.init(digest: digest.ref.key, vulnerability: walk.graph.nodes[edge.target]?.ref.key ?? "",
                                             status: attributes["status"], justification: attributes["justification"]))
            paths.append(path)
        }

        result.containers.sort { ($0.kind, $0.key) < ($1.kind, $1.key) }
        result.runs.sort { $0.key < $1.key }
        result.not_affected.sort { ($0.digest, $0.vulnerability) < ($1.digest, $1.vulnerability) }

        lap.mark("f.sort")
        guard includePaths else { return }
        (result.paths, result.evidence) = try rows.render(Self.sorted(paths, keys: keys))
        lap.mark("f.paths")
    }
}

extension PathCollector {
    /// Node kinds in the order of their names (the first sort key of paths).
    private static let kindOrder = Dictionary(uniqueKeysWithValues: NodeKind.allCases.sorted { $0.rawValue < $1.rawValue }
        .enumerated().map { ($1, $0) })

    /// Paths by what each reaches (its end node's kind and key), then length, then last edge.
    /// End keys are ranked once (`KeyRanks`, per kind) rather than compared per pair: tens of
    /// thousands of paths end at a few thousand nodes. Every path ends at a node of the query's
    /// cache (`GraphAccess` builds nodes only there and never drops them), so every end is ranked.
    /// - Parameter ranks: ranks of (at least) every path's end node.
    static func sorted(_ paths: [GraphPath], keys ranks: KeyRanks) -> [GraphPath] {
        let keys = paths.map { path in
            (kindOrder[path.endKind] ?? -1, ranks[path.endID] ?? -1, path.steps.count, path.steps.last?.edgeID ?? 0)
        }
        return Array(paths.indices).sorted { keys[$0] < keys[$1] }.map { paths[$0] }
    }
}
