import CustodyCore
import CustodyStore

/// Kubernetes workloads across snapshots: resolves each pod owner to its top controller and
/// computes the `ran` intervals (workload → artifact) that blast-radius and trace read.
///
/// Per document, the Kubernetes ingestors only know a pod's immediate owner; a ReplicaSet's
/// Deployment or a Job's CronJob is in another document (or nowhere). The owner chain is
/// resolved here from `controlledBy` edges: the link recorded for the exact owner uid the pods
/// named wins, then any recorded link of that owner name, then the `inferred` naming link
/// (`pod-template-hash`, CronJob schedule suffix), else the owner is its own top controller.
/// A `ran` edge is `inferred` when its chain used anything but recorded links for that uid.
///
/// Output (qualifier `derived:workloads[:…]`):
/// - `ran` W → D per interval (see `WorkloadIntervals`), attributes `running` and
///   `last_seen_tight`, evidence: the snapshots that show the start, the last sighting and the
///   end, and the documents of the owner chain;
/// - `runsAs`, `mounts` and `inNamespace` of intermediate controllers lifted to the top one.
public struct WorkloadDerivation: Derivation {
    public init() {}

    public var id: String { "workloads" }

    public func derive(from reader: GraphReader) throws -> DerivedFacts {
        var timer = PhaseTimer(label: "derive \(id)")
        defer { timer.report() }
        let graph = try WorkloadGraph(reader: reader)
        var facts = DerivedFacts()
        let resolver = WorkloadResolver(controllers: graph.controllers)

        // Resolve each (owner, uid) the pods named once, and group the owners by top
        // controller: the observations of one workload are then read together, one workload
        // at a time, however many snapshots there are.
        struct Group {
            var certainty = Certainty.recorded
            var evidence = Set<Int64>()
            var owners: [WorkloadGraph.OwnerRef] = []
        }
        var groups: [String: Group] = [:]
        for owner in try graph.observedOwners() {
            let top = resolver.top(of: owner.key, uid: owner.uid)
            func add(to group: inout Group) {
                group.certainty = min(group.certainty, top.certainty)
                group.evidence.formUnion(top.evidence)
                group.owners.append(owner)
            }
            add(to: &groups[top.key, default: Group()])
        }
        timer.mark("owners")

        var clusterTimes: [String: [Timestamp]] = [:]
        for workload in groups.keys.sorted() {
            guard let group = groups[workload], let cluster = workload.split(separator: "/").first.map(String.init) else { continue }
            var byTime: [Timestamp: [WorkloadObservation]] = [:]
            var starts: [String: [Timestamp]] = [:]
            for owner in group.owners {
                try graph.observations(of: owner, starts: &starts) { byTime[$0.time, default: []].append($0.value) }
            }
            guard !byTime.isEmpty else { continue }
            let clusterSnapshots = graph.snapshots[cluster] ?? [:]
            if clusterTimes[cluster] == nil { clusterTimes[cluster] = clusterSnapshots.keys.sorted() }
            var times = clusterTimes[cluster]!
            if byTime.keys.contains(where: { clusterSnapshots[$0] == nil }) {
                times = Set(times).union(byTime.keys).sorted()
            }
            let timeline = WorkloadTimeline(snapshots: times, snapshotEvidence: clusterSnapshots,
                                            observations: byTime.mapValues(Self.mergeSiblings))
            for interval in WorkloadIntervals.compute(timeline) {
                var attributes = ["running": interval.running ? "true" : "false"]
                if let tight = interval.tightEnd { attributes["last_seen_tight"] = tight.rfc3339 }
                facts.edge(.ran, from: NodeRef(.workload, workload), to: NodeRef(.artifact, interval.digest),
                           derivation: id, qualifier: interval.start.rfc3339, firstSeen: interval.start, lastSeen: interval.end,
                           certainty: group.certainty, attributes: attributes,
                           evidenceDocuments: Array(group.evidence) + interval.evidence)
            }
        }
        timer.mark("ran")
        try lift(graph, resolver: resolver, into: &facts)
        timer.mark("lift")
        return facts
    }

    /// Observations of one image by several owners of the same workload in one snapshot (two
    /// ReplicaSets during a rollout) count as one.
    static func mergeSiblings(_ observations: [WorkloadObservation]) -> [WorkloadObservation] {
        // Almost always one owner showed the image in a snapshot: nothing to merge.
        guard observations.count > 1 else { return observations }
        var merged: [NodeRef: WorkloadObservation] = [:]
        var order: [NodeRef] = []
        for observation in observations {
            if var existing = merged[observation.target] {
                existing.firstStart = existing.firstStart.earliest(observation.firstStart)
                existing.live = existing.live || observation.live
                existing.starts += observation.starts
                existing.evidence += observation.evidence
                merged[observation.target] = existing
            } else {
                merged[observation.target] = observation
                order.append(observation.target)
            }
        }
        return order.compactMap { merged[$0] }
    }

    /// Copies the service accounts, secrets and namespace of ReplicaSets and Jobs to the
    /// workload they belong to, one edge per (workload, kind, target) with the widest interval.
    private func lift(_ graph: WorkloadGraph, resolver: WorkloadResolver, into facts: inout DerivedFacts) throws {
        struct Key: Hashable { var top: String; var kind: EdgeKind; var target: NodeRef }
        struct Lifted {
            var firstSeen: Timestamp?
            var lastSeen: Timestamp?
            var certainty: Certainty
            var attributesJSON: String?
            /// Document ids with repeats (every owned edge of a workload cites the same
            /// snapshots): the writer removes them once instead of a set insert per id.
            var evidence: [Int64]
        }
        var lifted: [Key: Lifted] = [:]
        var tops: [String: WorkloadResolver.Top] = [:]
        try graph.forEachOwnedEdge { edge in
            let top = tops[edge.owner] ?? resolver.top(of: edge.owner, uid: nil)
            tops[edge.owner] = top
            guard top.key != edge.owner else { return }
            func merge(into merged: inout Lifted) {
                merged.firstSeen = merged.firstSeen.earliest(edge.firstSeen)
                merged.lastSeen = merged.lastSeen.latest(edge.lastSeen)
                merged.certainty = min(merged.certainty, edge.certainty, top.certainty)
                merged.evidence += edge.evidence
                merged.evidence += top.evidence
            }
            // The first edge of a key gives the attributes (`via`), as before.
            merge(into: &lifted[Key(top: top.key, kind: edge.kind, target: edge.target),
                                 default: Lifted(firstSeen: edge.firstSeen, lastSeen: edge.lastSeen, certainty: .recorded,
                                                 attributesJSON: edge.attributesJSON, evidence: [])])
        }
        for key in lifted.keys.sorted(by: { ($0.top, $0.kind, $0.target) < ($1.top, $1.kind, $1.target) }) {
            guard let edge = lifted[key] else { continue }
            var attributes: [String: String] = [:]
            if key.kind == .mounts, let via = Self.attribute("via", in: edge.attributesJSON) { attributes["via"] = via }
            facts.edge(key.kind, from: NodeRef(.workload, key.top), to: key.target, derivation: id,
                       firstSeen: edge.firstSeen, lastSeen: edge.lastSeen, certainty: edge.certainty,
                       attributes: attributes, evidenceDocuments: edge.evidence)
        }
    }

    /// A string attribute from the stored compact JSON (`{"via":"volume"}`).
    private static func attribute(_ name: String, in json: String?) -> String? {
        guard let json, let range = json.range(of: "\"\(name)\":\"") else { return nil }
        let rest = json[range.upperBound...]
        guard let close = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<close])
    }
}

/// Owner → top controller, following `controlledBy` links (at most 8 levels, cycles cut).
struct WorkloadResolver {
    let controllers: [String: [WorkloadGraph.ControllerLink]]

    struct Top {
        var key: String
        var certainty: Certainty
        /// Document ids of the links followed.
        var evidence: [Int64]
    }

    func top(of owner: String, uid: String?) -> Top {
        var current = owner
        var currentUID = uid
        var certainty = Certainty.recorded
        var evidence: [Int64] = []
        var visited: Set<String> = [owner]
        for _ in 0..<8 {
            guard let links = controllers[current], let (link, linkCertainty) = Self.pick(links, uid: currentUID) else { break }
            guard visited.insert(link.parent).inserted else { break }
            certainty = min(certainty, linkCertainty)
            evidence += link.evidence
            current = link.parent
            currentUID = nil
        }
        return Top(key: current, certainty: certainty, evidence: evidence)
    }

    /// The link recorded for this uid; else a recorded one for the name (inferred when the
    /// pods named another uid: same name, possibly another object); else the naming inference.
    static func pick(_ links: [WorkloadGraph.ControllerLink], uid: String?) -> (WorkloadGraph.ControllerLink, Certainty)? {
        let recorded = links.filter { $0.certainty == .recorded }.sorted { $0.qualifier < $1.qualifier }
        if let uid, let exact = recorded.first(where: { $0.qualifier == "uid:" + uid }) { return (exact, .recorded) }
        if let any = recorded.first { return (any, uid == nil ? .recorded : .inferred) }
        if let inferred = links.filter({ $0.certainty == .inferred }).sorted(by: { $0.parent < $1.parent }).first {
            return (inferred, .inferred)
        }
        return nil
    }
}
