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
    private var observations: [PairKey: Observation] = [:]
    /// Every workload of the document by key, for its `inNamespace` edge (`finish`).
    private var ownerSpans: [String: OwnerSpan] = [:]
    var images = KubernetesImageCache()
    /// Per-document aggregates written once by `finish` (a ReplicaSet's pods repeat them).
    private var owners: [String: LocalNodeID] = [:]
    private var identities: [PairKey: (since: Timestamp, location: String, via: String?)] = [:]
    private var placements: [PairKey: (since: Timestamp, location: String, kind: EdgeKind)] = [:]
    /// What the previous pods resolved to, so that a ReplicaSet's replicas (consecutive in
    /// kubectl's output, and identical but for names and times) skip building node keys.
    private var lastOwner: (namespace: String, kind: String, name: String, key: String, id: LocalNodeID)?
    private var ownerSpecs: [LocalNodeID: (spec: KubernetesPodSpec, targets: [(LocalNodeID, via: String?)])] = [:]
    private var resolvedImages: [ImageKey: ResolvedImage] = [:]
    private var lastResolved: (key: ImageKey, value: ResolvedImage)?

    /// A workload's node and its namespace's (both known when it is attached, so `finish`
    /// need not find them again from the key), with the earliest start of its pods.
    private struct OwnerSpan {
        var workload: LocalNodeID
        var namespace: LocalNodeID
        var first: Timestamp?
        /// Where the workload was first met.
        var location: String
    }

    private struct PairKey: Hashable {
        var from: LocalNodeID
        var to: LocalNodeID
    }
    private let cluster: LocalNodeID

    /// A container's spec image and status imageID: everything its facts depend on.
    private struct ImageKey: Hashable {
        var specImage: String?
        var imageID: String
    }

    /// The nodes one `ImageKey` stands for in this batch.
    private struct ResolvedImage {
        /// The `observed` target: the artifact, or the image reference when no registry digest is known.
        var target: LocalNodeID?
        var artifact: LocalNodeID?
        var repository: LocalNodeID?
        /// The tag a registry digest was pulled by (`refersTo`).
        var tagReference: LocalNodeID?
        var configDigest: String?
    }

    /// What the pods of one owner showed for one image in this snapshot.
    private struct Observation {
        /// The owner's workload key, for the order of `finish`.
        var ownerKey: String
        var firstStart: Timestamp?
        var starts = Set<Int64>()
        var live = false
        var pods = 0
        var containers = Set<String>()
        var image: String?
        var ownerUID: String?
        var configDigest: String?
        var location: String

        init(ownerKey: String, location: String) {
            self.ownerKey = ownerKey
            self.location = location
        }

        mutating func add(_ container: KubernetesPod.Container, of pod: KubernetesPod, firstForPod: Bool, configDigest: String?) {
            if firstForPod {
                pods += 1
                live = live || pod.isLive
                if let start = pod.startedAt {
                    starts.insert(start.nanosecondsSinceEpoch)
                    firstStart = firstStart.earliest(start)
                }
            }
            containers.insert(container.name)
            if image == nil { image = container.specImage }
            if ownerUID == nil { ownerUID = pod.owner?.uid }
            if self.configDigest == nil { self.configDigest = configDigest }
        }
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
        let (ownerKey, owner) = ownerNode(of: pod)
        let since = pod.startedAt ?? time
        addPodIdentityAndSecrets(pod, owner: owner, since: since)

        var seenTargets = SmallSet<LocalNodeID>()
        for container in pod.containers {
            let resolved = resolve(container, of: pod)
            guard let target = resolved.target else { continue }
            if let artifact = resolved.artifact {
                if let repository = resolved.repository {
                    place(.storedIn, from: artifact, to: repository, since: since, at: container.pointer)
                }
                if let tagReference = resolved.tagReference {
                    // A claim: the node resolved this tag to the digest when it pulled it.
                    place(.refersTo, from: tagReference, to: artifact, since: since, at: container.pointer)
                }
            }
            let key = PairKey(from: owner, to: target)
            let firstForPod = seenTargets.insert(target)
            // Modified in place: copying an observation out would copy its sets on every pod.
            observations[key, default: Observation(ownerKey: ownerKey, location: container.pointer)].add(
                container, of: pod, firstForPod: firstForPod, configDigest: resolved.configDigest)
        }
    }

    /// The workload node of the pod's immediate owner (created, with its inferred parent, on
    /// the owner's first pod) and its key.
    private mutating func ownerNode(of pod: KubernetesPod) -> (String, LocalNodeID) {
        let ownerKind = pod.owner?.kind ?? "Pod"
        let ownerName = pod.owner?.name ?? pod.name
        if let last = lastOwner, last.name == ownerName, last.namespace == pod.namespace, last.kind == ownerKind {
            noteSpan(last.key, since: pod.startedAt)
            return (last.key, last.id)
        }
        let ownerKey = KubernetesKeys.workload(context.cluster, pod.namespace, ownerKind, ownerName)
        let owner: LocalNodeID
        if let known = owners[ownerKey] {
            owner = known
            noteSpan(ownerKey, since: pod.startedAt)
        } else {
            owner = attachWorkload(ownerKey, namespace: pod.namespace, since: pod.startedAt, at: pod.pointer)
            owners[ownerKey] = owner
            inferParent(of: pod, ownerKey: ownerKey, owner: owner)
        }
        lastOwner = (pod.namespace, ownerKind, ownerName, ownerKey, owner)
        return (ownerKey, owner)
    }

    /// `addIdentityAndSecrets` for a pod, reusing the nodes found for an earlier pod of the
    /// same owner when its spec names the same service account and secrets.
    private mutating func addPodIdentityAndSecrets(_ pod: KubernetesPod, owner: LocalNodeID, since: Timestamp) {
        if let known = ownerSpecs[owner], known.spec.serviceAccount == pod.spec.serviceAccount,
           known.spec.secrets == pod.spec.secrets {
            for (target, via) in known.targets {
                remember(PairKey(from: owner, to: target), since: since, at: pod.pointer + "/spec", via: via)
            }
            return
        }
        let targets = addIdentityAndSecrets(pod.spec, owner: owner, namespace: pod.namespace, since: since,
                                            at: pod.pointer + "/spec")
        ownerSpecs[owner] = (pod.spec, targets)
    }

    /// The nodes of a container's image, from the previous container's when they match.
    private mutating func resolve(_ container: KubernetesPod.Container, of pod: KubernetesPod) -> ResolvedImage {
        let key = ImageKey(specImage: container.specImage, imageID: container.imageID)
        if let last = lastResolved, last.key == key {
            warnIfUnreadable(last.value, container, of: pod)
            return last.value
        }
        let value: ResolvedImage
        if let known = resolvedImages[key] {
            value = known
        } else {
            value = resolveNew(container)
            resolvedImages[key] = value
        }
        lastResolved = (key, value)
        warnIfUnreadable(value, container, of: pod)
        return value
    }

    private mutating func warnIfUnreadable(_ resolved: ResolvedImage, _ container: KubernetesPod.Container, of pod: KubernetesPod) {
        guard let image = container.specImage, images.reference(image) == nil else { return }
        batch.warn("pod \(pod.namespace)/\(pod.name) container \(container.name): unreadable image reference \(KubeValue.quote(image))", at: container.pointer)
    }

    private mutating func resolveNew(_ container: KubernetesPod.Container) -> ResolvedImage {
        let reference = container.specImage.flatMap { images.reference($0) }
        var resolved = ResolvedImage()
        switch container.running {
        case let .digest(digest, repository):
            let artifact = batch.node(.artifact, digest.description, at: container.pointer)
            resolved.artifact = artifact
            resolved.target = artifact
            if let repository {
                resolved.repository = batch.node(.imageRepository, repository, at: container.pointer)
            }
            if let reference, reference.digest == nil {
                resolved.tagReference = imageReferenceNode(reference, at: container.pointer)
            }
        case let .configDigest(digest):
            resolved.configDigest = digest.description
            resolved.target = reference.flatMap { imageReferenceNode($0, at: container.pointer) }
        case .unknown:
            resolved.target = reference.flatMap { imageReferenceNode($0, at: container.pointer) }
        }
        return resolved
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
        let namespaceNode = batch.node(.namespace, KubernetesKeys.namespace(context.cluster, namespace), at: location)
        batch.edge(.inCluster, from: namespaceNode, to: cluster, firstSeen: time, lastSeen: time, at: location)
        if ownerSpans[key] == nil {
            ownerSpans[key] = OwnerSpan(workload: node, namespace: namespaceNode, first: nil, location: location)
        }
        noteSpan(key, since: since)
        return node
    }

    /// Widens the span of a workload already attached by the start of one more of its pods.
    private mutating func noteSpan(_ key: String, since: Timestamp?) {
        guard let span = ownerSpans[key] else { return }
        ownerSpans[key]?.first = span.first.earliest(since) ?? since
    }

    /// Service account (`runsAs`) and secrets (`mounts`), written by `finish` with the
    /// earliest start of the pods that had them. Returns the nodes with their `via`.
    @discardableResult
    mutating func addIdentityAndSecrets(_ spec: KubernetesPodSpec, owner: LocalNodeID, namespace: String,
                                        since: Timestamp, at location: String) -> [(LocalNodeID, via: String?)] {
        let c = context.cluster
        var targets: [(LocalNodeID, via: String?)] = []
        if let account = spec.serviceAccount {
            let identity = batch.node(.identity, KubernetesKeys.serviceAccount(c, namespace, account), at: location)
            remember(PairKey(from: owner, to: identity), since: since, at: location, via: nil)
            targets.append((identity, nil))
        }
        for use in spec.secrets {
            let secret = batch.node(.secret, KubernetesKeys.secret(c, namespace, use.name), at: location)
            remember(PairKey(from: owner, to: secret), since: since, at: location, via: use.via)
            targets.append((secret, use.via))
        }
        return targets
    }

    /// Locations are autoclosures: they are built only for a pair seen for the first time.
    private mutating func remember(_ key: PairKey, since: Timestamp, at location: @autoclosure () -> String, via: String?) {
        if let known = identities[key] {
            if known.since <= since { return }
            identities[key] = (since, known.location, via ?? known.via)
        } else {
            identities[key] = (since, location(), via)
        }
    }

    private mutating func place(_ kind: EdgeKind, from: LocalNodeID, to: LocalNodeID, since: Timestamp,
                                at location: @autoclosure () -> String) {
        let key = PairKey(from: from, to: to)
        if let known = placements[key] {
            if known.since <= since { return }
            placements[key] = (since, known.location, kind)
        } else {
            placements[key] = (since, location(), kind)
        }
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
        if isPodSnapshot {
            batch.edge(.observed, from: cluster, to: cluster, qualifier: KubernetesKeys.snapshotQualifier(time),
                       firstSeen: time, lastSeen: time, attributes: ["pods": String(podCount)], at: "")
        }
        for (_, span) in ownerSpans.sorted(by: { $0.key < $1.key }) {
            batch.edge(.inNamespace, from: span.workload, to: span.namespace, firstSeen: span.first ?? time, lastSeen: time,
                       at: span.location)
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
        let ordered = observations.map { (key: $0.key, ownerKey: $0.value.ownerKey, target: batch.ref($0.key.to)) }
            .sorted { ($0.ownerKey, $0.target) < ($1.ownerKey, $1.target) }
        for (key, _, _) in ordered {
            guard let observation = observations[key] else { continue }
            let owner = key.from
            let target = key.to
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
