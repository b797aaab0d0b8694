import CustodyCore

/// Turns the objects of one kubectl document (one snapshot of one cluster) into facts.
///
/// Per pod, everything is attached to its *immediate* owner (the ReplicaSet, Job, StatefulSet,
/// DaemonSet, or the pod itself when bare): the top controller of a ReplicaSet is in another
/// document (`replicasets-<time>.json`), so it is resolved later by `WorkloadDerivation`.
/// What the pods of one owner ran is aggregated into one `observed` edge per (owner, digest)
/// and snapshot, carrying what the interval computation needs (earliest and all start times,
/// whether a pod is still live). See docs/GRAPH.md "Kubernetes inventories".
struct KubernetesInventoryBuilder {
    let context: KubernetesSnapshotContext
    var batch = FactBatch()
    private(set) var podCount = 0
    private var observations: [ObservationKey: Observation] = [:]
    private var ownerSpans: [String: (first: Timestamp?, location: String)] = [:]
    var images = KubernetesImageCache()
    /// Per-document aggregates written once by `finish` (a ReplicaSet's pods repeat them).
    private var owners: [String: LocalNodeID] = [:]
    private var identities: [PairKey: (since: Timestamp, location: String, via: String?)] = [:]
    private var placements: [PairKey: (since: Timestamp, location: String, kind: EdgeKind)] = [:]

    private struct PairKey: Hashable {
        var from: LocalNodeID
        var to: LocalNodeID
    }
    private let cluster: LocalNodeID

    private struct ObservationKey: Hashable {
        var owner: String
        var target: NodeRef
    }

    /// What the pods of one owner showed for one image in this snapshot.
    private struct Observation {
        var firstStart: Timestamp?
        var starts = Set<Int64>()
        var live = false
        var pods = 0
        var containers = Set<String>()
        var image: String?
        var ownerUID: String?
        var configDigest: String?
        var location: String
    }

    init(context: KubernetesSnapshotContext) {
        self.context = context
        cluster = batch.node(.cluster, context.cluster, at: "")
        batch.observedAt = context.capturedAt
        if let conflict = context.conflict { batch.warn(conflict) }
    }

    var time: Timestamp { context.capturedAt }

    mutating func note(_ message: String) {
        batch.diagnose(Diagnostic(.info, message))
    }

    // MARK: - Pods

    mutating func addPod(_ item: KubeValue) throws {
        var diagnostics: [Diagnostic] = []
        let pod = try KubernetesPod(item, cache: &images, diagnostics: &diagnostics)
        diagnostics.forEach { batch.diagnose($0) }
        podCount += 1
        let c = context.cluster
        let ownerKind = pod.owner?.kind ?? "Pod"
        let ownerName = pod.owner?.name ?? pod.name
        let ownerKey = KubernetesKeys.workload(c, pod.namespace, ownerKind, ownerName)
        let owner: LocalNodeID
        if let known = owners[ownerKey] {
            owner = known
            noteSpan(ownerKey, since: pod.startedAt, at: pod.pointer)
        } else {
            owner = attachWorkload(ownerKey, namespace: pod.namespace, since: pod.startedAt, at: pod.pointer)
            owners[ownerKey] = owner
            inferParent(of: pod, ownerKey: ownerKey, owner: owner)
        }
        let since = pod.startedAt ?? time
        addIdentityAndSecrets(pod.spec, owner: owner, namespace: pod.namespace, since: since, at: pod.pointer + "/spec")

        var seenTargets = Set<NodeRef>()
        for container in pod.containers {
            let reference = container.specImage.flatMap { images.reference($0) }
            if container.specImage != nil, reference == nil {
                batch.warn("pod \(pod.namespace)/\(pod.name) container \(container.name): unreadable image reference \(KubeValue.quote(container.specImage ?? ""))", at: container.pointer)
            }
            let target: NodeRef
            var configDigest: String?
            switch container.running {
            case let .digest(digest, repository):
                target = NodeRef(.artifact, digest.description)
                let artifact = batch.node(target, at: container.pointer)
                if let repository {
                    let repo = batch.node(.imageRepository, repository, at: container.pointer)
                    place(.storedIn, from: artifact, to: repo, since: since, at: container.pointer)
                }
                if let reference, reference.digest == nil, let tagRef = imageReferenceNode(reference, at: container.pointer) {
                    // A claim: the node resolved this tag to the digest when it pulled it.
                    place(.refersTo, from: tagRef, to: artifact, since: since, at: container.pointer)
                }
            case let .configDigest(digest):
                configDigest = digest.description
                fallthrough
            case .unknown:
                guard let reference, let ref = imageReferenceNode(reference, at: container.pointer) else { continue }
                target = batch.ref(ref)
            }
            let key = ObservationKey(owner: ownerKey, target: target)
            var observation = observations[key] ?? Observation(location: container.pointer)
            if seenTargets.insert(target).inserted {
                observation.pods += 1
                observation.live = observation.live || pod.isLive
                if let start = pod.startedAt {
                    observation.starts.insert(start.nanosecondsSinceEpoch)
                    observation.firstStart = observation.firstStart.earliest(start)
                }
            }
            observation.containers.insert(container.name)
            if observation.image == nil { observation.image = container.specImage }
            if observation.ownerUID == nil { observation.ownerUID = pod.owner?.uid }
            if observation.configDigest == nil { observation.configDigest = configDigest }
            observations[key] = observation
        }
    }

    /// `pod-template-hash` naming (ReplicaSet → Deployment) and CronJob schedule naming
    /// (Job → CronJob): `inferred` links that a ReplicaSet or Job document can confirm.
    private mutating func inferParent(of pod: KubernetesPod, ownerKey: String, owner: LocalNodeID) {
        guard let reference = pod.owner else { return }
        var parent: (kind: String, name: String)?
        if reference.kind == "ReplicaSet",
           let name = KubernetesOwnerInference.deployment(replicaSet: reference.name, podTemplateHash: pod.podTemplateHash) {
            parent = ("Deployment", name)
        } else if reference.kind == "Job",
                  let name = KubernetesOwnerInference.cronJob(job: reference.name, createdAt: pod.createdAt ?? pod.startedAt) {
            parent = ("CronJob", name)
        }
        guard let parent else { return }
        let parentKey = KubernetesKeys.workload(context.cluster, pod.namespace, parent.kind, parent.name)
        let parentNode = attachWorkload(parentKey, namespace: pod.namespace, since: nil, at: pod.pointer)
        batch.edge(.controlledBy, from: owner, to: parentNode, qualifier: "name", firstSeen: time, lastSeen: time,
                   certainty: .inferred, attributes: ["basis": reference.kind == "Job" ? "job-name-schedule" : "pod-template-hash"],
                   at: pod.pointer + "/metadata/ownerReferences")
    }

    // MARK: - Shared pieces

    /// The workload node, its namespace and the namespace's cluster.
    mutating func attachWorkload(_ key: String, namespace: String, since: Timestamp?, at location: String) -> LocalNodeID {
        let node = batch.node(.workload, key, at: location)
        noteSpan(key, since: since, at: location)
        let namespaceNode = batch.node(.namespace, KubernetesKeys.namespace(context.cluster, namespace), at: location)
        batch.edge(.inCluster, from: namespaceNode, to: cluster, firstSeen: time, lastSeen: time, at: location)
        return node
    }

    private mutating func noteSpan(_ key: String, since: Timestamp?, at location: String) {
        var span = ownerSpans[key] ?? (first: nil, location: location)
        span.first = span.first.earliest(since)
        ownerSpans[key] = span
    }

    /// Service account (`runsAs`) and secrets (`mounts`), written by `finish` with the
    /// earliest start of the pods that had them.
    mutating func addIdentityAndSecrets(_ spec: KubernetesPodSpec, owner: LocalNodeID, namespace: String,
                                        since: Timestamp, at location: String) {
        let c = context.cluster
        if let account = spec.serviceAccount {
            let identity = batch.node(.identity, KubernetesKeys.serviceAccount(c, namespace, account), at: location)
            remember(PairKey(from: owner, to: identity), since: since, at: location, via: nil)
        }
        for use in spec.secrets {
            let secret = batch.node(.secret, KubernetesKeys.secret(c, namespace, use.name), at: location)
            remember(PairKey(from: owner, to: secret), since: since, at: location, via: use.via)
        }
    }

    private mutating func remember(_ key: PairKey, since: Timestamp, at location: String, via: String?) {
        if let known = identities[key], known.since <= since { return }
        identities[key] = (since, identities[key]?.location ?? location, via ?? identities[key]?.via)
    }

    private mutating func place(_ kind: EdgeKind, from: LocalNodeID, to: LocalNodeID, since: Timestamp, at location: String) {
        let key = PairKey(from: from, to: to)
        if let known = placements[key], known.since <= since { return }
        placements[key] = (since, placements[key]?.location ?? location, kind)
    }

    /// `repository:tag` (an implied tag is `latest`, as the kubelet pulls it) with its repository.
    mutating func imageReferenceNode(_ reference: ImageReference, at location: String) -> LocalNodeID? {
        guard reference.digest == nil || reference.tag != nil else { return nil }
        // No storedIn edge: the key already names the repository, and every snapshot would
        // repeat it for every image.
        return batch.node(.imageReference, "\(reference.repository):\(reference.tag ?? "latest")", at: location)
    }

    // MARK: - Finish

    /// Writes the aggregated observations, the owners' namespace edges and, for a pod
    /// snapshot, the snapshot marker (which is what lets an empty snapshot end intervals).
    mutating func finish(isPodSnapshot: Bool) -> FactBatch {
        let c = context.cluster
        if isPodSnapshot {
            batch.edge(.observed, from: cluster, to: cluster, qualifier: KubernetesKeys.snapshotQualifier(time),
                       firstSeen: time, lastSeen: time, attributes: ["pods": String(podCount)], at: "")
        }
        for (key, span) in ownerSpans.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 4, let owner = batch.localID(of: NodeRef(.workload, key)),
                  let namespace = batch.localID(of: NodeRef(.namespace, KubernetesKeys.namespace(c, String(parts[1])))) else { continue }
            batch.edge(.inNamespace, from: owner, to: namespace, firstSeen: span.first ?? time, lastSeen: time, at: span.location)
        }
        for (key, use) in identities.sorted(by: { ($0.key.from, $0.key.to) < ($1.key.from, $1.key.to) }) {
            let isSecret = batch.ref(key.to).kind == .secret
            batch.edge(isSecret ? .mounts : .runsAs, from: key.from, to: key.to, firstSeen: use.since, lastSeen: time,
                       attributes: use.via.map { ["via": $0] } ?? [:], at: use.location)
        }
        for (key, placement) in placements.sorted(by: { ($0.key.from, $0.key.to) < ($1.key.from, $1.key.to) }) {
            batch.edge(placement.kind, from: key.from, to: key.to, firstSeen: placement.since, lastSeen: time,
                       certainty: placement.kind == .refersTo ? .inferred : .recorded,
                       attributes: placement.kind == .refersTo ? ["source": "kubernetes"] : [:], at: placement.location)
        }
        let qualifier = KubernetesKeys.snapshotQualifier(time)
        for (key, observation) in observations.sorted(by: { ($0.key.owner, $0.key.target) < ($1.key.owner, $1.key.target) }) {
            guard let owner = batch.localID(of: NodeRef(.workload, key.owner)), let target = batch.localID(of: key.target) else { continue }
            var attributes = [
                "live": observation.live ? "true" : "false",
                "pods": String(observation.pods),
                "containers": observation.containers.sorted().joined(separator: ","),
                "starts": observation.starts.sorted().map { Timestamp(nanosecondsSinceEpoch: $0).rfc3339 }.joined(separator: " "),
            ]
            if let image = observation.image { attributes["image"] = image }
            if let uid = observation.ownerUID { attributes["owner_uid"] = uid }
            if let config = observation.configDigest { attributes["configDigest"] = config }
            batch.edge(.observed, from: owner, to: target, qualifier: qualifier, firstSeen: observation.firstStart,
                       lastSeen: time, attributes: attributes, at: observation.location)
        }
        return batch
    }
}
