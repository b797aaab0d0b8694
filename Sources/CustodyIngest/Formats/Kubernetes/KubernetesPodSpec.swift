import CustodyCore

/// What a pod spec (or a controller's pod template) says: containers with their images, the
/// service account and the secrets in reach.
///
/// Secrets in reach are Secret volumes, `secret` sources of projected volumes, and
/// `secretKeyRef`/`secretRef` of `env`/`envFrom` in every container (init and ephemeral ones
/// too). A projected `serviceAccountToken` is not a secret (it is the service account, an
/// identity); a legacy `<sa>-token-xxxxx` Secret volume is one. `imagePullSecrets` are read by
/// the kubelet, not by the pod, so they are not in the pod's reach.
struct KubernetesPodSpec {
    struct Container {
        var name: String
        /// The image as written (`registry.example/app:1.4`), nil when absent.
        var image: String?
        /// `containers`, `initContainers` or `ephemeralContainers`.
        var list: String
        /// The container object, for its JSON pointer when a fact or an error needs it.
        var at: KubeValue
        var pointer: String { at.pointer }
    }

    struct SecretUse: Hashable {
        var name: String
        /// `volume`, `projected`, `env` or `envFrom`.
        var via: String
    }

    var containers: [Container] = []
    /// Position of each container name's first container, for a spec with many containers
    /// (nil for the usual handful, which a linear search serves best).
    private var positions: [String: Int]?
    var serviceAccount: String?
    var secrets: [SecretUse] = []

    static let containerLists = ["initContainers", "containers", "ephemeralContainers"]

    init(_ spec: KubeValue?) throws {
        guard let spec else { return }
        serviceAccount = try spec.string("serviceAccountName") ?? spec.string("serviceAccount")
        if let account = serviceAccount, account.isEmpty || !KubernetesKeys.isValidName(account) {
            throw spec.member("serviceAccountName")?.reject("invalid service account name \(KubeValue.quote(account))")
                ?? spec.reject("invalid service account name \(KubeValue.quote(account))")
        }
        // Each secret once, in the order first named (a handful per pod; many in a hostile one).
        var seen = SmallSet<SecretUse>()
        func add(_ name: String?, _ via: String, _ at: KubeValue) throws {
            guard let name, !name.isEmpty else { return }
            guard KubernetesKeys.isValidName(name) else { throw at.reject("invalid secret name \(KubeValue.quote(name))") }
            seen.insert(SecretUse(name: name, via: via))
        }
        try spec.forEachObject("volumes") { volume in
            if let secret = try volume.object("secret") { try add(secret.string("secretName"), "volume", secret) }
            if let projected = try volume.object("projected") {
                try projected.forEachObject("sources") { source in
                    if let secret = try source.object("secret") { try add(secret.string("name"), "projected", secret) }
                }
            }
        }
        for list in Self.containerLists {
            try spec.forEachObject(list) { container in
                let name = try container.string("name") ?? ""
                containers.append(Container(name: name, image: try container.string("image"), list: list, at: container))
                try container.forEachObject("env") { variable in
                    if let ref = try variable.object("valueFrom")?.object("secretKeyRef") {
                        try add(ref.string("name"), "env", ref)
                    }
                }
                try container.forEachObject("envFrom") { source in
                    if let ref = try source.object("secretRef") { try add(ref.string("name"), "envFrom", ref) }
                }
            }
        }
        secrets = seen.elements
        if containers.count > 16 {
            var positions: [String: Int] = [:]
            for (index, container) in containers.enumerated() where positions[container.name] == nil {
                positions[container.name] = index
            }
            self.positions = positions
        }
    }

    /// The spec image of the container called `name` (names are unique across the lists).
    func image(of name: String) -> String? {
        if let positions { return positions[name].flatMap { containers[$0].image } }
        return containers.first { $0.name == name }?.image
    }
}

/// A controller reference from `metadata.ownerReferences` (the entry with `controller: true`).
struct KubernetesOwnerReference {
    var kind: String
    var name: String
    var uid: String?

    /// The controlling owner of an object, nil when it has none (a bare pod, a top controller).
    static func controller(of metadata: KubeValue) throws -> KubernetesOwnerReference? {
        var found: KubernetesOwnerReference?
        try metadata.forEachObject("ownerReferences") { reference in
            guard found == nil, try reference.bool("controller") == true else { return }
            guard let kind = try reference.string("kind"), KubernetesKeys.isValidKind(kind) else {
                throw reference.reject("ownerReferences entry needs a valid kind")
            }
            guard let name = try reference.string("name"), KubernetesKeys.isValidName(name) else {
                throw reference.reject("ownerReferences entry needs a valid name")
            }
            let uid = try reference.string("uid")
            found = KubernetesOwnerReference(kind: kind, name: name, uid: uid?.isEmpty == false ? uid : nil)
        }
        return found
    }
}
