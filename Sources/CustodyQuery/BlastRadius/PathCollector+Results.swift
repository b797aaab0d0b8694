import CustodyCore

extension PathCollector {
    /// Turns what was reached into the result sections, sorted for stable output.
    func fill(_ result: inout BlastRadiusResult, notAffected: [Int64: GraphPath]) throws {
        let rows = ResultRows(graph: walk.graph, window: walk.window)
        var paths: [GraphPath] = []

        result.artifacts = try rows.artifacts(artifacts.mapValues(\.certainty))
        paths += artifacts.values

        try walk.graph.load(containers.keys)
        let describing = try walk.graph.edges(.incoming, of: containers.keys, kinds: [.describes])
        for (id, path) in containers {
            guard let node = walk.graph.nodes[id] else { continue }
            let sboms = describing.filter { $0.target == id }.compactMap { walk.graph.nodes[$0.source]?.ref.key }
            result.containers.append(.init(kind: node.ref.kind.rawValue, key: node.ref.key, sboms: Array(Set(sboms)).sorted()))
            paths.append(path)
        }

        for (id, path) in runs {
            guard let node = walk.graph.nodes[id] else { continue }
            result.runs.append(rows.run(node, certainty: path.certainty))
            paths.append(path)
        }

        var holders = Array(runs.keys)
        for path in workloads.values {
            guard let ran = path.edges.last, let row = rows.workload(ran, certainty: path.certainty) else { continue }
            result.workloads.append(row)
            holders.append(ran.source)
            paths.append(path)
        }
        result.secrets = try rows.secrets(of: holders)

        for (id, path) in notAffected {
            guard let edge = path.edges.last, let digest = walk.graph.nodes[id] else { continue }
            let attributes = edge.attributes
            result.not_affected.append(.init(digest: digest.ref.key, vulnerability: walk.graph.nodes[edge.target]?.ref.key ?? "",
                                             status: attributes["status"], justification: attributes["justification"]))
            paths.append(path)
        }

        result.containers.sort { ($0.kind, $0.key) < ($1.kind, $1.key) }
        result.runs.sort { $0.key < $1.key }
        result.workloads.sort {
            ($0.workloadKey, $0.digest, $0.first_seen ?? "") < ($1.workloadKey, $1.digest, $1.first_seen ?? "")
        }
        result.not_affected.sort { ($0.digest, $0.vulnerability) < ($1.digest, $1.vulnerability) }

        paths.sort { a, b in
            (a.end.kind.rawValue, a.end.key, a.steps.count, a.edges.map(\.id).last ?? 0)
                < (b.end.kind.rawValue, b.end.key, b.steps.count, b.edges.map(\.id).last ?? 0)
        }
        (result.paths, result.evidence) = try rows.render(paths)
    }
}
