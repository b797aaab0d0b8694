import CustodyCore

extension PathCollector {
    /// Turns what was reached into the result sections, sorted for stable output.
    func fill(_ result: inout BlastRadiusResult, notAffected: [Int64: GraphPath], includePaths: Bool = true) throws {
        let rows = ResultRows(graph: walk.graph, window: walk.window)
        var paths: [GraphPath] = []
        let lap = Lap()

        // Unwindowed, every `ran` edge into the artifacts was read by `followWorkloads`.
        let knownRan = walk.window.isUnbounded ? workloads.values.compactMap { $0.lastEdge }.filter { artifacts[$0.target] != nil } : nil
        result.artifacts = try rows.artifacts(artifacts.mapValues(\.certainty), knownRan: knownRan)
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
        for path in workloads.values {
            guard let ran = path.lastEdge, let row = rows.workload(ran, certainty: path.certainty) else { continue }
            result.workloads.append(row)
            holders.insert(ran.source)
            paths.append(path)
        }
        lap.mark("f.workloads")
        result.secrets = try rows.secrets(of: Array(holders))
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
        result.workloads = ResultRows.sorted(result.workloads)
        result.not_affected.sort { ($0.digest, $0.vulnerability) < ($1.digest, $1.vulnerability) }

        lap.mark("f.sort")
        guard includePaths else { return }
        // Sorted by what each path reaches; keys computed once (tens of thousands of paths).
        let keyed = paths.map { path in
            (path: path, key: (path.end.kind.rawValue, path.end.key, path.steps.count, path.steps.last?.edge?.id ?? 0))
        }
        (result.paths, result.evidence) = try rows.render(keyed.sorted { $0.key < $1.key }.map(\.path))
        lap.mark("f.paths")
    }
}
