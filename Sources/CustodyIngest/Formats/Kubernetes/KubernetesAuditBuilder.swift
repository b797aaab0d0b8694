import CustodyCore

/// Facts from deduplicated, successful audit events (see `KubernetesAuditIngestor`).
struct KubernetesAuditBuilder {
    let cluster: String
    let source: String
    private(set) var batch = FactBatch()
    private var seen = Set<String>()
    private var skipped: [String: Int] = [:]

    static let workloadResources: [String: String] = [
        "deployments": "Deployment", "statefulsets": "StatefulSet", "daemonsets": "DaemonSet",
        "replicasets": "ReplicaSet", "jobs": "Job", "cronjobs": "CronJob",
    ]

    init(cluster: String, source: String) {
        self.cluster = cluster
        self.source = source
    }

    mutating func add(_ event: KubeValue) throws {
        guard try event.string("apiVersion")?.hasPrefix("audit.k8s.io/") == true, try event.string("kind") == "Event" else {
            throw event.reject("not an audit.k8s.io Event")
        }
        let auditID = try event.string("auditID") ?? ""
        let stage = try event.string("stage") ?? ""
        guard seen.insert(auditID + "\u{0}" + stage).inserted || auditID.isEmpty else { return count("duplicate (auditID, stage)") }
        guard stage == "ResponseComplete" else { return count("stage \(stage.isEmpty ? "(none)" : stage) (outcome not known yet)") }
        if let code = try event.object("responseStatus")?.member("code")?.value.int64, !(200..<300).contains(code) {
            return count("unsuccessful (HTTP \(code))")
        }
        guard let ref = try event.object("objectRef"), let resource = try ref.string("resource"),
              let verb = try event.string("verb") else { return count("no objectRef") }
        let subresource = try ref.string("subresource")
        let time = try event.time("stageTimestamp") ?? event.time("requestReceivedTimestamp")
        guard let time else { throw event.reject("an audit event needs stageTimestamp or requestReceivedTimestamp") }
        let user = try event.object("user")?.string("username") ?? ""
        var facts = ["source": "audit", "verb": verb, "user": user]
        if !auditID.isEmpty { facts["auditID"] = auditID }
        let namespace = try ref.string("namespace") ?? "default"
        guard KubernetesKeys.isValidName(namespace) else { throw ref.reject("invalid namespace \(KubeValue.quote(namespace))") }
        let object = try event.object("responseObject").flatMap { $0.member("metadata") != nil ? $0 : nil }
            ?? (verb == "create" || verb == "update" ? event.object("requestObject") : nil)

        if resource == "pods", subresource == nil || subresource == "ephemeralcontainers" {
            guard let object, object.member("spec") != nil || verb == "delete" else { return count("pod event without an object body") }
            try addPod(object, namespace: namespace, verb: verb, subresource: subresource, time: time, facts: facts)
        } else if let kind = Self.workloadResources[resource], subresource == nil, ["create", "update", "patch"].contains(verb) {
            guard let name = try ref.string("name") ?? object?.object("metadata")?.string("name"), KubernetesKeys.isValidName(name) else {
                return count("workload event without a name")
            }
            let node = workload(namespace, kind, name, time: time)
            if let object {
                var template: KubeValue? = object
                for step in KubernetesInventoryBuilder.templatePaths[kind] ?? [] { template = try template?.object(step) }
                for container in try KubernetesPodSpec(template).containers {
                    declare(node, image: container.image, container: container.name, time: time, facts: facts, at: container.pointer)
                }
            } else if verb == "patch", let patch = event.member("requestObject") {
                for (container, image) in try Self.patchedImages(patch) {
                    declare(node, image: image, container: container, time: time, facts: facts, at: patch.pointer)
                }
            }
        } else {
            count("not a workload change (\(resource)\(subresource.map { "/" + $0 } ?? "") \(verb))")
        }
    }

    private mutating func addPod(_ object: KubeValue, namespace: String, verb: String, subresource: String?,
                                 time: Timestamp, facts: [String: String]) throws {
        guard let metadata = try object.object("metadata") else { return count("pod event without metadata") }
        let name = try metadata.string("name") ?? ""
        guard KubernetesKeys.isValidName(name) else { return count("pod event without a name") }
        let owner = try KubernetesOwnerReference.controller(of: metadata).flatMap { $0.kind == "Node" ? nil : $0 }
        let node = workload(namespace, owner?.kind ?? "Pod", owner?.name ?? name, time: time)
        var facts = facts
        facts["pod"] = name
        if verb == "delete" {
            let namespaceNode = batch.node(.namespace, KubernetesKeys.namespace(cluster, namespace))
            batch.edge(.observed, from: node, to: namespaceNode, qualifier: "audit:\(facts["auditID"] ?? time.rfc3339)",
                       firstSeen: time, lastSeen: time, attributes: facts.merging(["event": "deleted"]) { a, _ in a })
            return
        }
        if let owner, owner.kind == "ReplicaSet",
           let deployment = KubernetesOwnerInference.deployment(replicaSet: owner.name,
                                                                podTemplateHash: try metadata.stringMap("labels")["pod-template-hash"]) {
            let parent = workload(namespace, "Deployment", deployment, time: time)
            batch.edge(.controlledBy, from: node, to: parent, qualifier: "name", firstSeen: time, lastSeen: time,
                       certainty: .inferred, attributes: ["basis": "pod-template-hash"])
        }
        let spec = try KubernetesPodSpec(try object.object("spec"))
        if subresource == nil {
            if let account = spec.serviceAccount {
                let identity = batch.node(.identity, KubernetesKeys.serviceAccount(cluster, namespace, account))
                batch.edge(.runsAs, from: node, to: identity, firstSeen: time, lastSeen: time)
            }
            for use in spec.secrets {
                let secret = batch.node(.secret, KubernetesKeys.secret(cluster, namespace, use.name))
                batch.edge(.mounts, from: node, to: secret, firstSeen: time, lastSeen: time, attributes: ["via": use.via])
            }
        }
        for container in spec.containers where subresource == nil || container.list == "ephemeralContainers" {
            declare(node, image: container.image, container: container.name, time: time, facts: facts, at: container.pointer)
        }
    }

    /// Images set by a patch body: strategic merge (`spec.template.spec.containers[].image`,
    /// containers matched by name) or JSON patch (`{"op":"replace","path":".../containers/0/image"}`).
    static func patchedImages(_ patch: KubeValue) throws -> [(container: String, image: String)] {
        if patch.value.isArray {
            var out: [(String, String)] = []
            for operation in try KubeValue(value: patch.value, pointer: patch.pointer, origin: patch.origin).elements() {
                guard let path = try operation.string("path"), path.hasSuffix("/image"), path.contains("ontainers/"),
                      let image = try operation.string("value") else { continue }
                out.append(("", image))
            }
            return out
        }
        guard patch.value.isObject else { return [] }
        var template: KubeValue? = patch
        for step in ["spec", "template", "spec"] { template = try template?.object(step) }
        return try KubernetesPodSpec(template).containers.compactMap { container in
            container.image.map { (container.name, $0) }
        }
    }

    private mutating func workload(_ namespace: String, _ kind: String, _ name: String, time: Timestamp) -> LocalNodeID {
        let clusterNode = batch.node(.cluster, cluster)
        let namespaceNode = batch.node(.namespace, KubernetesKeys.namespace(cluster, namespace))
        batch.edge(.inCluster, from: namespaceNode, to: clusterNode, firstSeen: time, lastSeen: time)
        let node = batch.node(.workload, KubernetesKeys.workload(cluster, namespace, kind, name))
        batch.edge(.inNamespace, from: node, to: namespaceNode, firstSeen: time, lastSeen: time)
        return node
    }

    private mutating func declare(_ node: LocalNodeID, image: String?, container: String, time: Timestamp,
                                  facts: [String: String], at location: String) {
        guard let image, !image.isEmpty, let reference = try? ImageReference(parsing: image) else { return }
        let target: LocalNodeID
        if let digest = reference.digest {
            target = batch.node(.artifact, digest.description)
        } else {
            target = batch.node(.imageReference, "\(reference.repository):\(reference.tag ?? "latest")")
        }
        var attributes = facts
        attributes["image"] = image
        if !container.isEmpty { attributes["container"] = container }
        batch.edge(.declares, from: node, to: target, qualifier: "audit:\(facts["auditID"] ?? time.rfc3339)",
                   firstSeen: time, lastSeen: time, attributes: attributes, at: location)
    }

    private mutating func count(_ reason: String) {
        skipped[reason, default: 0] += 1
    }

    mutating func finish() -> FactBatch {
        if !skipped.isEmpty {
            let summary = skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: "; ")
            batch.diagnose(Diagnostic(.info, "audit events without inventory facts: \(summary)"))
        }
        return batch
    }
}
