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
        let graph = try WorkloadGraph(reader: reader)
        var facts = DerivedFacts()
        guard !graph.observations.isEmpty || !graph.ownedEdges.isEmpty else { return facts }
        let resolver = WorkloadResolver(controllers: graph.controllers)

        // Group observations by top controller and snapshot; merge those of sibling owners.
        var timelines: [String: [Timestamp: [WorkloadObservation]]] = [:]
        var chains: [String: (certainty: Certainty, evidence: Set<String>)] = [:]
        // An owner shows up once per snapshot: resolve its chain (and merge the chain's
        // evidence, the same every time) once per distinct owner and uid.
        struct OwnerRef: Hashable { var owner: String; var uid: String? }
        var tops: [OwnerRef: String] = [:]
        for observation in graph.observations {
            let ref = OwnerRef(owner: observation.owner, uid: observation.ownerUID)
            let topKey: String
            if let known = tops[ref] {
                topKey = known
            } else {
                let top = resolver.top(of: observation.owner, uid: observation.ownerUID)
                var chain = chains[top.key] ?? (.recorded, [])
                chain.certainty = min(chain.certainty, top.certainty)
                chain.evidence.formUnion(top.evidence)
                chains[top.key] = chain
                tops[ref] = top.key
                topKey = top.key
            }
            timelines[topKey, default: [:]][observation.time, default: []].append(observation.value)
        }

        for workload in timelines.keys.sorted() {
            guard let byTime = timelines[workload], let cluster = workload.split(separator: "/").first.map(String.init) else { continue }
            let clusterSnapshots = graph.snapshots[cluster] ?? [:]
            let times = Set(clusterSnapshots.keys).union(byTime.keys).sorted()
            let timeline = WorkloadTimeline(snapshots: times, snapshotEvidence: clusterSnapshots,
                                            observations: byTime.mapValues(Self.mergeSiblings))
            let chain = chains[workload] ?? (.recorded, [])
            for interval in WorkloadIntervals.compute(timeline) {
                var attributes = ["running": interval.running ? "true" : "false"]
                if let tight = interval.tightEnd { attributes["last_seen_tight"] = tight.rfc3339 }
                facts.edge(.ran, from: NodeRef(.workload, workload), to: NodeRef(.artifact, interval.digest),
                           derivation: id, qualifier: interval.start.rfc3339, firstSeen: interval.start, lastSeen: interval.end,
                           certainty: chain.certainty, attributes: attributes,
                           evidence: Array(Set(interval.evidence).union(chain.evidence)).sorted())
            }
        }
        lift(graph.ownedEdges, resolver: resolver, into: &facts)
        return facts
    }

    /// Observations of one image by several owners of the same workload in one snapshot (two
    /// ReplicaSets during a rollout) count as one.
    static func mergeSiblings(_ observations: [WorkloadObservation]) -> [WorkloadObservation] {
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
    private func lift(_ edges: [WorkloadGraph.OwnedEdge], resolver: WorkloadResolver, into facts: inout DerivedFacts) {
        struct Key: Hashable { var top: String; var kind: EdgeKind; var target: NodeRef }
        var lifted: [Key: WorkloadGraph.OwnedEdge] = [:]
        for edge in edges {
            let top = resolver.top(of: edge.owner, uid: nil)
            guard top.key != edge.owner else { continue }
            let key = Key(top: top.key, kind: edge.kind, target: edge.target)
            var merged = lifted[key] ?? WorkloadGraph.OwnedEdge(owner: top.key, kind: edge.kind, target: edge.target,
                                                                firstSeen: edge.firstSeen, lastSeen: edge.lastSeen,
                                                                certainty: .recorded, attributesJSON: edge.attributesJSON,
                                                                evidence: [])
            merged.firstSeen = merged.firstSeen.earliest(edge.firstSeen)
            merged.lastSeen = merged.lastSeen.latest(edge.lastSeen)
            merged.certainty = min(merged.certainty, edge.certainty, top.certainty)
            merged.evidence += edge.evidence + top.evidence
            lifted[key] = merged
        }
        for key in lifted.keys.sorted(by: { ($0.top, $0.kind, $0.target) < ($1.top, $1.kind, $1.target) }) {
            guard let edge = lifted[key] else { continue }
            var attributes: [String: String] = [:]
            if edge.kind == .mounts, let via = Self.attribute("via", in: edge.attributesJSON) { attributes["via"] = via }
            facts.edge(edge.kind, from: NodeRef(.workload, key.top), to: edge.target, derivation: id,
                       firstSeen: edge.firstSeen, lastSeen: edge.lastSeen, certainty: edge.certainty,
                       attributes: attributes, evidence: Array(Set(edge.evidence)).sorted())
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
        var evidence: [String]
    }

    func top(of owner: String, uid: String?) -> Top {
        var current = owner
        var currentUID = uid
        var certainty = Certainty.recorded
        var evidence: [String] = []
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
