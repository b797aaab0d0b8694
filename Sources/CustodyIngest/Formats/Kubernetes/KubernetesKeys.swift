import CustodyCore

/// Node keys of the Kubernetes part of the graph (docs/GRAPH.md): cluster `prod-eu`, namespace
/// `prod-eu/payments`, workload `prod-eu/payments/Deployment/payments-api`, service account
/// `k8s-sa:prod-eu/payments/api`, secret `k8s:prod-eu/payments/db-creds`.
///
/// Intermediate controllers (a ReplicaSet under a Deployment, a Job under a CronJob) are
/// workload nodes too, with their own kind in the key: per document only the immediate owner
/// is known, and the `ran` derivation resolves the top controller through `controlledBy`.
enum KubernetesKeys {
    static func namespace(_ cluster: String, _ namespace: String) -> String { "\(cluster)/\(namespace)" }

    static func workload(_ cluster: String, _ namespace: String, _ kind: String, _ name: String) -> String {
        "\(cluster)/\(namespace)/\(kind)/\(name)"
    }

    static func serviceAccount(_ cluster: String, _ namespace: String, _ name: String) -> String {
        "k8s-sa:\(cluster)/\(namespace)/\(name)"
    }

    static func secret(_ cluster: String, _ namespace: String, _ name: String) -> String {
        "k8s:\(cluster)/\(namespace)/\(name)"
    }

    /// Snapshot qualifier of `observed` edges: one distinct edge per capture time.
    static func snapshotQualifier(_ time: Timestamp) -> String { "snapshot:\(time.rfc3339)" }

    /// Object names are DNS subdomains or labels; anything else (slashes, spaces, control
    /// characters) would corrupt keys, so such a document is rejected.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 253 && name.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
        }
    }

    /// Kinds are CamelCase identifiers (`ReplicaSet`, a CRD's `Rollout`).
    static func isValidKind(_ kind: String) -> Bool {
        !kind.isEmpty && kind.utf8.count <= 63 && kind.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
    }
}

/// The controller a ReplicaSet or Job most likely belongs to when its own object is not in
/// the evidence, from Kubernetes naming conventions (FORMATS.md §5.1). Always `inferred`.
enum KubernetesOwnerInference {
    /// A Deployment's ReplicaSets are `<deployment>-<pod-template-hash>` and their pods carry
    /// the `pod-template-hash` label: the name is the Deployment's when the label matches.
    static func deployment(replicaSet: String, podTemplateHash: String?) -> String? {
        guard let hash = podTemplateHash, !hash.isEmpty, replicaSet.hasSuffix("-" + hash) else { return nil }
        let name = String(replicaSet.dropLast(hash.count + 1))
        return name.isEmpty ? nil : name
    }

    /// A CronJob's Jobs are `<cronjob>-<scheduled time in minutes since the epoch>`. The suffix
    /// alone would also match a hand-made `migrate-20250101`, so it must also read as a
    /// schedule time at most a day before the pod (or Job) was created.
    static func cronJob(job: String, createdAt: Timestamp?) -> String? {
        guard let createdAt, let dash = job.lastIndex(of: "-") else { return nil }
        let suffix = job[job.index(after: dash)...]
        guard (6...12).contains(suffix.count), suffix.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              let minutes = Int64(suffix) else { return nil }
        let scheduled = Timestamp(epochSeconds: minutes * 60)
        let lag = createdAt.nanosecondsSinceEpoch - scheduled.nanosecondsSinceEpoch
        guard lag >= -60 * 1_000_000_000, lag <= 86_400 * 1_000_000_000 else { return nil }
        let name = String(job[..<dash])
        return name.isEmpty ? nil : name
    }
}
