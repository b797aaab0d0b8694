import CustodyCore

extension KubernetesInventoryBuilder {
    /// Kinds whose objects are read, with where their pod template is.
    static let templatePaths: [String: [String]] = [
        "Deployment": ["spec", "template", "spec"],
        "ReplicaSet": ["spec", "template", "spec"],
        "StatefulSet": ["spec", "template", "spec"],
        "DaemonSet": ["spec", "template", "spec"],
        "Job": ["spec", "template", "spec"],
        "CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
        "ReplicationController": ["spec", "template", "spec"],
    ]

    /// A controller object (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob).
    ///
    /// Every controller becomes a workload node in its namespace. Its own controlling owner
    /// (a ReplicaSet's Deployment, a Job's CronJob) becomes a recorded `controlledBy` edge
    /// qualified by the child's uid, which is what pods point to. A controller that has no
    /// owner is a top controller: its template's images are `declares` edges and its service
    /// account and secrets are `runsAs`/`mounts`, dated at the capture time. ReplicaSets and Jobs
    /// under a controller add no such edges: old ReplicaSets keep old templates long after
    /// their last pod, and what pods really mounted comes from the pods.
    mutating func addController(_ item: KubeValue, kind: String) throws {
        guard let metadata = try item.object("metadata") else { throw item.reject("a \(kind) needs metadata") }
        guard let name = try metadata.string("name"), KubernetesKeys.isValidName(name) else {
            throw (metadata.member("name") ?? metadata).reject("a \(kind) needs a valid metadata.name")
        }
        let namespace = try metadata.string("namespace") ?? "default"
        guard KubernetesKeys.isValidName(namespace) else {
            throw (metadata.member("namespace") ?? metadata).reject("invalid namespace \(KubeValue.quote(namespace))")
        }
        let uid = try metadata.string("uid")
        let created = try metadata.time("creationTimestamp")
        let c = context.cluster
        let key = KubernetesKeys.workload(c, namespace, kind, name)
        let node = attachWorkload(key, namespace: namespace, since: created.map { min($0, time) }, at: item.pointer)

        if let owner = try KubernetesOwnerReference.controller(of: metadata), owner.kind != "Node" {
            let parent = attachWorkload(KubernetesKeys.workload(c, namespace, owner.kind, owner.name), namespace: namespace,
                                        since: nil, at: item.pointer)
            var attributes: [String: String] = [:]
            if let parentUID = owner.uid { attributes["owner_uid"] = parentUID }
            let qualifier = "uid:" + (uid?.isEmpty == false ? uid! : name)
            batch.edge(.controlledBy, from: node, to: parent, qualifier: qualifier, firstSeen: time, lastSeen: time,
                       attributes: attributes, at: metadata.pointer + "/ownerReferences")
            return
        }

        var template: KubeValue? = item
        for step in Self.templatePaths[kind] ?? [] { template = try template?.object(step) }
        guard let template else { return }
        let spec = try KubernetesPodSpec(template)
        addIdentityAndSecrets(spec, owner: node, namespace: namespace, since: time, at: template.pointer)
        for container in spec.containers {
            guard let image = container.image, !image.isEmpty else { continue }
            guard let reference = images.reference(image) else {
                batch.warn("\(kind) \(namespace)/\(name) container \(container.name): unreadable image reference \(KubeValue.quote(image))",
                           at: container.pointer)
                continue
            }
            let target: LocalNodeID?
            if let digest = reference.digest {
                target = batch.node(.artifact, digest.description, at: container.pointer)
            } else {
                target = imageReferenceNode(reference, at: container.pointer)
            }
            guard let target else { continue }
            batch.edge(.declares, from: node, to: target, firstSeen: time, lastSeen: time,
                       attributes: ["container": container.name, "image": image, "source": "template"], at: container.pointer)
        }
    }
}
