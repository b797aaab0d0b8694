import CustodyCore
import CustodyStore

/// Builds the rows both blast-radius and trace answer with (runs, artifacts, workloads,
/// paths with their evidence), so the two commands describe the same thing the same way.
struct ResultRows {
    let graph: GraphAccess
    let window: TimeWindow
    /// Workload rows repeat the same few thousand interval ends tens of thousands of times.
    let times = TimeTexts()
    /// …and the same workloads and `ran` attributes: each is split or decoded once.
    let workloadKeys = WorkloadKeys()

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
        // Lifetimes by position in `ids` (one lookup per edge, not four: ~9,000 `ran` edges).
        let position = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        var first = [Timestamp?](repeating: nil, count: ids.count)
        var last = [Timestamp?](repeating: nil, count: ids.count)
        var running = [Bool](repeating: false, count: ids.count)
        let kinds: [EdgeKind] = knownRan == nil ? [.pointsTo, .pushed, .produced, .ran] : [.pointsTo, .pushed, .produced]
        // The two lists are visited in turn, not concatenated (thousands of `ran` edges).
        func visit(_ edge: Edge) {
            let id = edge.target
            guard let index = position[id] else { return }
            if edge.kind == .pointsTo, window.admits(edge), let key = graph.nodes[edge.source]?.ref.key {
                tags[id, default: []].insert(key)
            }
            if let time = edge.firstSeen { first[index] = min(first[index] ?? time, time) }
            if let time = edge.lastSeen ?? edge.firstSeen { last[index] = max(last[index] ?? time, time) }
            if edge.kind == .ran, edge.isRunning { running[index] = true }
        }
        for edge in try graph.edges(.incoming, of: ids, kinds: kinds) { visit(edge) }
        for edge in knownRan ?? [] { visit(edge) }
        return ids.indices.compactMap { index -> Result.Artifact? in
            let id = ids[index]
            guard let node = graph.nodes[id] else { return nil }
            let isRunning = running[index]
            return Result.Artifact(digest: node.ref.key, media_type: node.attributes["mediaType"],
                                   repositories: (repositories[id] ?? []).sorted(), tags: (tags[id] ?? []).sorted(),
                                   first_seen: first[index]?.rfc3339, last_seen: isRunning ? nil : last[index]?.rfc3339,
                                   certainty: (certainties[id] ?? .recorded).rawValue, running: isRunning)
        }.sorted { $0.digest < $1.digest }
    }

    /// A workload row from its `ran` edge (DESIGN.md §3: first_seen = start, last_seen = end or
    /// null while running, last_seen_tight = the first replacement pod's start when known).
    func workload(_ ran: Edge, certainty: Certainty) -> Result.Workload? {
        guard let digest = graph.nodes[ran.target], let parts = workloadKeys.parts(of: ran.source, in: graph) else { return nil }
        let interval = workloadKeys.interval(ran.attributesJSON)
        return Result.Workload(cluster: parts[0], namespace: parts[1], kind: parts[2], name: parts[3],
                               digest: digest.ref.key, first_seen: ran.firstSeen.map(times.text),
                               last_seen: interval.running ? nil : ran.lastSeen.map(times.text),
                               last_seen_tight: interval.lastSeenTight, running: interval.running,
                               certainty: certainty.rawValue)
    }

    /// `cluster/namespace/kind/name` split at its first three slashes (the name may hold
    /// more); nil without three slashes. ASCII keys are scanned as bytes (`split` cost more
    /// than the rest of a row); others split by `Character`, as a "/" with a combining mark is
    /// not a separator.
    static func workloadParts(_ key: String) -> [String]? {
        var key = key
        // nil: not ASCII; else the parts, or an empty array without three slashes. The three
        // slash positions are kept in locals: ~5,000 keys per answer, and arrays to hold them
        // cost more than the scan.
        let ascii: [String]? = key.withUTF8 { bytes in
            var (first, second, third) = (-1, -1, -1)
            for index in 0..<bytes.count {
                let byte = bytes[index]
                if byte >= 0x80 { return nil }
                guard byte == UInt8(ascii: "/"), third < 0 else { continue }
                if first < 0 { first = index } else if second < 0 { second = index } else { third = index }
            }
            guard third >= 0 else { return [] }
            func part(_ start: Int, _ end: Int) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
            }
            return [part(0, first), part(first + 1, second), part(second + 1, third), part(third + 1, bytes.count)]
        }
        if let ascii { return ascii.isEmpty ? nil : ascii }
        let parts = key.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
        return parts.count == 4 ? parts : nil
    }

    /// Workload rows by the key `workload NUL digest NUL start`. Positions are sorted, not the
    /// rows, so that each swap moves an integer rather than a row of ten strings; and the key
    /// is compared as a tuple, the same order without building a string per row, unless some
    /// workload key itself holds a NUL (hostile input), where the joined key is kept.
    static func sorted(_ rows: [Result.Workload]) -> [Result.Workload] {
        let keys = rows.map { ($0.workloadKey, $0.digest, $0.first_seen ?? "") }
        if keys.contains(where: { $0.0.utf8.contains(0) }) {
            let joined = keys.map { "\($0.0)\u{0}\($0.1)\u{0}\($0.2)" }
            return Array(rows.indices).sorted { joined[$0] < joined[$1] }.map { rows[$0] }
        }
        return Array(rows.indices).sorted { keys[$0] < keys[$1] }.map { rows[$0] }
    }

    /// Whether `workload(_:certainty:)` can describe intervals of this workload node (it is
    /// cached and its key has the four parts of a workload key).
    func canDescribe(workload id: Int64) -> Bool {
        workloadKeys.parts(of: id, in: graph) != nil
    }

    /// The rows of `intervals` (each one `canDescribe`, its digest cached) in the order of
    /// `sorted(_:)`, only the first `limit` of them built. Ordered by the ranks of the workload
    /// and digest keys (`KeyRanks`), then by `first_seen` text within one workload and digest,
    /// without building the rows that are not shown.
    /// - Parameter keys: ranks of (at least) every interval's workload and digest, shared with
    ///   the other orderings of the answer; nil to rank them here.
    func workloads(_ intervals: [(ran: Edge, certainty: Certainty)], limit: Int?, keys: KeyRanks? = nil) -> [Result.Workload] {
        let keys = keys ?? KeyRanks(intervals.lazy.flatMap { [$0.ran.source, $0.ran.target] }, in: graph)
        guard !keys.anyKeyHoldsNUL else {
            // A key holding a NUL (hostile input) sorts by the joined key of `sorted(_:)`
            // (which compares as the ranks do unless a workload key holds it).
            let rows = intervals.compactMap { workload($0.ran, certainty: $0.certainty) }
            return Array(Self.sorted(rows).prefix(limit ?? Int.max))
        }
        let ranks = intervals.map { (keys[$0.ran.source] ?? -1, keys[$0.ran.target] ?? -1) }
        let order = Array(intervals.indices).sorted { a, b in
            if ranks[a] != ranks[b] { return ranks[a] < ranks[b] }
            return (intervals[a].ran.firstSeen.map(times.text) ?? "") < (intervals[b].ran.firstSeen.map(times.text) ?? "")
        }
        return order.prefix(limit ?? Int.max).compactMap { workload(intervals[$0].ran, certainty: intervals[$0].certainty) }
    }

    /// The secrets in reach of `holders` (runs: `couldRead`; workloads: `mounts`), whatever the
    /// window: a run or workload in the answer could read them while it ran. Sorted by key;
    /// only the first `limit` are built, `total` counts them all.
    /// - Parameter keys: ranks of (at least) every holder, shared with the other orderings of
    ///   the answer; nil to rank them here when needed.
    func secrets(of holders: [Int64], limit: Int? = nil, keys: KeyRanks? = nil) throws -> (rows: [Result.Secret], total: Int) {
        // Grouped by secret node, then by key: two nodes whose keys are equal as strings (one
        // precomposed, one not) are one secret, listed under the key met first, as when the
        // pairs were grouped by key directly.
        var reached: [(key: String, sources: [Int64])] = []
        let groups = try graph.sourcesByTarget(of: holders, kinds: [.couldRead, .mounts], targetKind: .secret)
        for group in KeyOrder.sortedIndices(groups.map(\.key)).lazy.map({ groups[$0] }) {
            if let last = reached.last, last.key == group.key {
                reached[reached.count - 1].sources += group.sources
            } else {
                reached.append(group)
            }
        }
        let shown = reached.prefix(limit ?? Int.max)
        // Two holders of different kinds could share a key: listed once, as before.
        guard shown.count > 100 else {
            let rows = shown.map { key, sources in
                var keys = Set(sources).compactMap { graph.nodes[$0]?.ref.key }.sorted()
                keys.removeDuplicatesInSorted()
                return Result.Secret(key: key, reached_by: keys)
            }
            return (rows, reached.count)
        }
        // Many secrets: the holders' keys are sorted once (`KeyRanks`) and each list by rank.
        let ranks = keys ?? KeyRanks(holders, in: graph)
        let rows = shown.map { key, sources in
            var order = sources.compactMap { ranks[$0] }
            order.sort()
            order.removeDuplicatesInSorted()
            return Result.Secret(key: key, reached_by: order.map { ranks.keys[Int($0)] })
        }
        return (rows, reached.count)
    }

    /// Paths as node/edge alternations, with every edge's documents (one read for all). Each
    /// distinct node, edge and link element is built once (`PathList`): paths share most of
    /// their edges (every workload of a digest repeats its prefix). Edge elements are found by
    /// the edge's slot (`GraphAccess.slot(for:)`, dense numbers) and the node after an edge by
    /// the same slot, rather than by hashing ids: a large answer has ~150,000 steps.
    func render(_ paths: [GraphPath]) throws -> (paths: PathList, evidence: [Result.Evidence]) {
        var slots: [Int32] = []
        var edgeSeen: [Bool] = []
        for path in paths {
            for step in path.steps where step.edgeSlot >= 0 {
                let slot = Int(step.edgeSlot)
                if slot >= edgeSeen.count { edgeSeen += repeatElement(false, count: slot + 1 - edgeSeen.count) }
                if !edgeSeen[slot] { edgeSeen[slot] = true; slots.append(step.edgeSlot) }
            }
        }
        let links = try graph.evidence(of: slots.map { graph.edge(at: $0) })
        /// Per edge slot, its position in `slots` (and in `links`).
        var positionOfSlot = [Int](repeating: -1, count: edgeSeen.count)
        for (position, slot) in slots.enumerated() { positionOfSlot[Int(slot)] = position }
        var evidence: [Result.Evidence] = []
        var documentListed = [Bool](repeating: false, count: links.documents.count)
        var list = PathList()
        /// Per edge slot: its element, and the element of the node a step reached through it
        /// (with that node's id: an edge may be followed in either direction), -1 until built.
        var edgeElements = [Int32](repeating: -1, count: edgeSeen.count)
        var nodesAfterEdge = [(node: Int64, element: Int32)](repeating: (0, -1), count: edgeSeen.count)
        var nodeElements: [Int64: Int32] = [:]
        var linkElements: [PathLink: Int32] = [:]
        func nodeElement(_ step: GraphPath.Step) -> Int32 {
            if let element = nodeElements[step.nodeID] { return element }
            let element = list.add(.node(kind: step.nodeKind.rawValue, key: graph.nodes[step.nodeID]?.ref.key ?? ""))
            nodeElements[step.nodeID] = element
            return element
        }
        for path in paths {
            var layout: [Int32] = []
            layout.reserveCapacity(path.steps.count * 2)
            for step in path.steps {
                if step.edgeSlot >= 0 {
                    let slot = Int(step.edgeSlot)
                    if edgeElements[slot] < 0 {
                        let edge = graph.edge(at: step.edgeSlot)
                        let documents = links.documents(ofEdgeAt: positionOfSlot[slot])
                        for document in documents where !documentListed[document] {
                            documentListed[document] = true
                            let link = links.documents[document]
                            evidence.append(Result.Evidence(sha256: link.sha256, format: link.format, source: link.source))
                        }
                        edgeElements[slot] = list.add(Result.PathElement(edge: edge.kind.rawValue, first_seen: edge.firstSeen.map(times.text),
                                                                         last_seen: edge.lastSeen.map(times.text), certainty: edge.certainty.rawValue,
                                                                         evidence: documents.map { links.documents[$0].sha256 }))
                    }
                    layout.append(edgeElements[slot])
                    let after = nodesAfterEdge[slot]
                    if after.element >= 0, after.node == step.nodeID {
                        layout.append(after.element)
                    } else {
                        let element = nodeElement(step)
                        nodesAfterEdge[slot] = (step.nodeID, element)
                        layout.append(element)
                    }
                    continue
                }
                if let link = step.link {
                    if let element = linkElements[link] {
                        layout.append(element)
                    } else {
                        let element = list.add(Result.PathElement(edge: link.rawValue, certainty: Certainty.recorded.rawValue, evidence: []))
                        linkElements[link] = element
                        layout.append(element)
                    }
                }
                layout.append(nodeElement(step))
            }
            list.append(layout: layout)
        }
        return (list, evidence.sorted { $0.sha256 < $1.sha256 })
    }
}

/// RFC 3339 text of timestamps, formatted once per distinct value and shared after that.
final class TimeTexts {
    private var texts: [Timestamp: String] = [:]

    func text(_ time: Timestamp) -> String {
        if let text = texts[time] { return text }
        let text = time.rfc3339
        texts[time] = text
        return text
    }
}

/// Workload keys split into their parts and `ran` attributes decoded, once per distinct one:
/// a large answer has ~9,000 intervals of ~6,000 workloads sharing a few hundred attribute texts.
final class WorkloadKeys {
    private var parts: [Int64: [String]?] = [:]
    private var intervals: [String: (running: Bool, lastSeenTight: String?)] = [:]

    /// `ResultRows.workloadParts` of the workload node's key; nil if it has none or is not cached.
    func parts(of workload: Int64, in graph: GraphAccess) -> [String]? {
        if let known = parts[workload] { return known }
        let split = graph.nodes[workload].flatMap { ResultRows.workloadParts($0.ref.key) }
        parts[workload] = .some(split)
        return split
    }

    /// What a `ran` edge's attributes say about its interval.
    func interval(_ json: String?) -> (running: Bool, lastSeenTight: String?) {
        guard let json else { return (false, nil) }
        if let known = intervals[json] { return known }
        let attributes = Attributes.decode(json)
        let interval = (running: attributes["running"] == "true", lastSeenTight: attributes["last_seen_tight"])
        intervals[json] = interval
        return interval
    }
}
