import CustodyCore
import CustodyStore

/// Builds the rows both blast-radius and trace answer with (runs, artifacts, workloads,
/// paths with their evidence), so the two commands describe the same thing the same way.
struct ResultRows {
    let graph: GraphAccess
    let window: TimeWindow

    typealias Result = BlastRadiusResult

    func run(_ node: Node, certainty: Certainty) -> Result.Run {
        let attributes = node.attributes
        return Result.Run(key: node.ref.key, provider: attributes["provider"], repository: attributes["repository"],
                          run_id: attributes["run_id"], attempt: attributes["attempt"].flatMap { Int($0) },
                          started_at: attributes["started_at"], certainty: certainty.rawValue,
                          completed_at: attributes["completed_at"])
    }

    /// Artifact rows with their repositories, the tags that pointed to them in the window, and
    /// their lifetime over every push, tag, production and run of the digest (two reads in all).
    /// - Parameter knownRan: every `ran` edge into these artifacts, when the caller already read
    ///   them all (an unbounded blast radius); nil to read them here.
    func artifacts(_ certainties: [Int64: Certainty], knownRan: [Edge]? = nil) throws -> [Result.Artifact] {
        let ids = Array(certainties.keys)
        var repositories: [Int64: Set<String>] = [:]
        for edge in try graph.edges(.outgoing, of: ids, kinds: [.storedIn]) {
            if let key = graph.nodes[edge.target]?.ref.key { repositories[edge.source, default: []].insert(key) }
        }
        var tags: [Int64: Set<String>] = [:]
        var first: [Int64: Timestamp] = [:]
        var last: [Int64: Timestamp] = [:]
        var running: Set<Int64> = []
        let kinds: [EdgeKind] = knownRan == nil ? [.pointsTo, .pushed, .produced, .ran] : [.pointsTo, .pushed, .produced]
        for edge in try graph.edges(.incoming, of: ids, kinds: kinds) + (knownRan ?? []) {
            let id = edge.target
            if edge.kind == .pointsTo, window.admits(edge), let key = graph.nodes[edge.source]?.ref.key {
                tags[id, default: []].insert(key)
            }
            if let time = edge.firstSeen { first[id] = min(first[id] ?? time, time) }
            if let time = edge.lastSeen ?? edge.firstSeen { last[id] = max(last[id] ?? time, time) }
            if edge.kind == .ran, edge.isRunning { running.insert(id) }
        }
        return ids.compactMap { id -> Result.Artifact? in
            guard let node = graph.nodes[id] else { return nil }
            let isRunning = running.contains(id)
            return Result.Artifact(digest: node.ref.key, media_type: node.attributes["mediaType"],
                                   repositories: (repositories[id] ?? []).sorted(), tags: (tags[id] ?? []).sorted(),
                                   first_seen: first[id]?.rfc3339, last_seen: isRunning ? nil : last[id]?.rfc3339,
                                   certainty: (certainties[id] ?? .recorded).rawValue, running: isRunning)
        }.sorted { $0.digest < $1.digest }
    }

    /// A workload row from its `ran` edge (DESIGN.md §3: first_seen = start, last_seen = end or
    /// null while running, last_seen_tight = the first replacement pod's start when known).
    func workload(_ ran: Edge, certainty: Certainty) -> Result.Workload? {
        guard let workload = graph.nodes[ran.source], let digest = graph.nodes[ran.target] else { return nil }
        let parts = workload.ref.key.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 4 else { return nil }
        let attributes = ran.attributes
        let running = attributes["running"] == "true"
        return Result.Workload(cluster: parts[0], namespace: parts[1], kind: parts[2], name: parts[3],
                               digest: digest.ref.key, first_seen: ran.firstSeen?.rfc3339,
                               last_seen: running ? nil : ran.lastSeen?.rfc3339,
                               last_seen_tight: attributes["last_seen_tight"], running: running,
                               certainty: certainty.rawValue)
    }

    /// Workload rows by workload, digest and start (keys built once: thousands of rows).
    static func sorted(_ rows: [Result.Workload]) -> [Result.Workload] {
        rows.map { (row: $0, key: "\($0.workloadKey)\u{0}\($0.digest)\u{0}\($0.first_seen ?? "")") }
            .sorted { $0.key < $1.key }.map(\.row)
    }

    /// The secrets in reach of `holders` (runs: `couldRead`; workloads: `mounts`), whatever the
    /// window: a run or workload in the answer could read them while it ran.
    func secrets(of holders: [Int64]) throws -> [Result.Secret] {
        var reached: [String: Set<String>] = [:]
        for (source, key) in try graph.targets(of: holders, kinds: [.couldRead, .mounts], targetKind: .secret) {
            guard let holder = graph.nodes[source] else { continue }
            reached[key, default: []].insert(holder.ref.key)
        }
        return reached.map { Result.Secret(key: $0.key, reached_by: $0.value.sorted()) }.sorted { $0.key < $1.key }
    }

    /// Paths as node/edge alternations, with every edge's documents (one read for all).
    func render(_ paths: [GraphPath]) throws -> (paths: [[Result.PathElement]], evidence: [Result.Evidence]) {
        let links = try graph.evidence(edges: Set(paths.flatMap { $0.edges.map(\.id) }))
        var evidence: [String: Result.Evidence] = [:]
        var rendered: [[Result.PathElement]] = []
        rendered.reserveCapacity(paths.count)
        // Paths share most of their edges (every workload of a digest repeats its prefix).
        var edgeElements: [Int64: Result.PathElement] = [:]
        for path in paths {
            var elements: [Result.PathElement] = []
            elements.reserveCapacity(path.steps.count * 2)
            for step in path.steps {
                if let edge = step.edge {
                    if let element = edgeElements[edge.id] {
                        elements.append(element)
                    } else {
                        let documents = links[edge.id] ?? []
                        for link in documents where evidence[link.sha256] == nil {
                            evidence[link.sha256] = Result.Evidence(sha256: link.sha256, format: link.format, source: link.source)
                        }
                        let element = Result.PathElement(edge: edge.kind.rawValue, first_seen: edge.firstSeen?.rfc3339,
                                                         last_seen: edge.lastSeen?.rfc3339, certainty: edge.certainty.rawValue,
                                                         evidence: documents.map(\.sha256))
                        edgeElements[edge.id] = element
                        elements.append(element)
                    }
                } else if let link = step.link {
                    elements.append(Result.PathElement(edge: link, certainty: Certainty.recorded.rawValue, evidence: []))
                }
                elements.append(.node(kind: step.node.kind.rawValue, key: step.node.key))
            }
            rendered.append(elements)
        }
        return (rendered, evidence.values.sorted { $0.sha256 < $1.sha256 })
    }
}
