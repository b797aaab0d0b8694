import CustodyCore
import CustodyStore

extension PathCollector {
    /// Turns what was reached into the result sections, sorted for stable output.
    func fill(_ result: inout BlastRadiusResult) throws {
        var paths: [GraphPath] = []
        var evidenceEdges: [Int64] = []

        for (id, path) in artifacts {
            guard let node = try reader.node(id: id) else { continue }
            let attributes = Attributes.decode(node.attributesJSON)
            let repositories = try reader.outgoing(id, kinds: [.storedIn]).map(\.other.key)
            let tags = try reader.incoming(id, kinds: [.pointsTo]).filter { window.admits(first: $0.firstSeen, last: $0.lastSeen) }
                .map(\.other.key)
            let times = path.edges.last
            result.artifacts.append(.init(digest: node.ref.key, media_type: attributes["mediaType"],
                                          repositories: Array(Set(repositories)).sorted(), tags: Array(Set(tags)).sorted(),
                                          first_seen: times?.firstSeen?.rfc3339, last_seen: times?.lastSeen?.rfc3339))
            paths.append(path)
        }
        for (_, entry) in containers {
            let sboms = try reader.incoming(entry.node.id, kinds: [.describes]).map(\.other.key)
            result.containers.append(.init(kind: entry.node.ref.kind.rawValue, key: entry.node.ref.key, sboms: sboms.sorted()))
            paths.append(entry.path)
        }
        for (id, path) in runs {
            guard let node = try reader.node(id: id) else { continue }
            let attributes = Attributes.decode(node.attributesJSON)
            result.runs.append(.init(key: node.ref.key, provider: attributes["provider"], repository: attributes["repository"],
                                     run_id: attributes["run_id"], attempt: attributes["attempt"].flatMap { Int($0) },
                                     started_at: attributes["started_at"], certainty: path.certainty.rawValue))
            paths.append(path)
        }
        var reachers: [Int64: String] = [:]
        for (id, _) in runs { reachers[id] = try reader.node(id: id)?.ref.key }
        for (id, entries) in workloads {
            guard let node = try reader.node(id: id) else { continue }
            reachers[id] = node.ref.key
            let parts = node.ref.key.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 4 else { continue }
            for (edge, path) in entries {
                let attributes = Attributes.decode(edge.attributesJSON)
                let running = attributes["running"] == "true"
                result.workloads.append(.init(cluster: parts[0], namespace: parts[1], kind: parts[2], name: parts[3],
                                              digest: path.steps[path.steps.count - 2].node.key,
                                              first_seen: edge.firstSeen?.rfc3339,
                                              last_seen: running ? nil : edge.lastSeen?.rfc3339,
                                              last_seen_tight: attributes["last_seen_tight"], running: running))
                paths.append(path)
            }
        }
        var secrets: [String: Set<String>] = [:]
        for (id, key) in reachers {
            for edge in try reader.outgoing(id, kinds: [.couldRead, .mounts]) where edge.other.kind == .secret {
                secrets[edge.other.key, default: []].insert(key)
            }
        }
        result.secrets = secrets.map { .init(key: $0.key, reached_by: $0.value.sorted()) }

        result.artifacts.sort { $0.digest < $1.digest }
        result.containers.sort { ($0.kind, $0.key) < ($1.kind, $1.key) }
        result.runs.sort { $0.key < $1.key }
        result.workloads.sort { ($0.cluster, $0.namespace, $0.kind, $0.name, $0.digest) < ($1.cluster, $1.namespace, $1.kind, $1.name, $1.digest) }
        result.secrets.sort { $0.key < $1.key }

        var evidence: [String: BlastRadiusResult.Evidence] = [:]
        var rendered: [[BlastRadiusResult.PathElement]] = []
        for path in paths {
            var elements: [BlastRadiusResult.PathElement] = []
            for step in path.steps {
                if let edge = step.edge {
                    let links = try reader.evidence(edge: edge.id)
                    for link in links { evidence[link.sha256] = .init(sha256: link.sha256, format: link.format, source: link.source) }
                    evidenceEdges.append(edge.id)
                    elements.append(.init(edge: edge.kind.rawValue, first_seen: edge.firstSeen?.rfc3339,
                                          last_seen: edge.lastSeen?.rfc3339, certainty: edge.certainty.rawValue,
                                          evidence: links.map(\.sha256)))
                }
                elements.append(.init(kind: step.node.kind.rawValue, key: step.node.key))
            }
            rendered.append(elements)
        }
        result.paths = rendered.sorted { ($0.last?.key ?? "", $0.count) < ($1.last?.key ?? "", $1.count) }
        result.evidence = evidence.values.sorted { $0.sha256 < $1.sha256 }
    }
}
