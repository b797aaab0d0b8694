/// The edge kinds of the provenance graph (DESIGN.md §2). Direction is source → target as
/// written in the comment. The raw value is stored in the database; never rename one.
public enum EdgeKind: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    /// commit → repository
    case inRepository
    /// workflow → repository
    case definedIn
    /// run → workflow
    case ranWorkflow
    /// run → commit
    case builtFrom
    /// run → identity
    case triggeredBy
    /// run → action (attribute `ref`: the ref as written)
    case usedAction
    /// run → secret
    case couldRead
    /// run → artifact
    case produced
    /// run → remote-script
    case fetched
    /// job → run
    case partOf
    /// attestation → artifact
    case attests
    /// attestation → builder
    case claimsBuilder
    /// attestation → commit
    case claimsCommit
    /// attestation → run
    case claimsRun
    /// attestation → identity (with verification result)
    case signedBy
    /// artifact → package, sbom → package
    case contains
    /// package → package
    case dependsOn
    /// sbom → artifact / image-reference / package (the SBOM's subject)
    case describes
    /// artifact(index) → artifact(manifest)
    case hasManifest
    /// artifact → artifact
    case baseImage
    /// tag → artifact (interval = tag history)
    case pointsTo
    /// image-reference → tag or artifact (what a written reference names)
    case refersTo
    /// artifact → image-repository, tag → image-repository
    case storedIn
    /// identity → artifact
    case pushed
    /// identity → artifact
    case deleted
    /// workload → artifact (interval: where did it run)
    case ran
    /// workload → namespace, namespace → cluster
    case inNamespace
    case inCluster
    /// workload → identity
    case runsAs
    /// workload → secret
    case mounts
    /// vulnerability → package
    case affects
    /// vulnerability → vulnerability
    case aliasOf
    /// artifact → vulnerability (VEX)
    case notAffected
    /// package → vulnerability (a scanner finding, scoped to the scanned artifact)
    case affectedBy
    /// workload → workload: a ReplicaSet or Job and the controller that owns it (Deployment,
    /// CronJob), from `ownerReferences` (qualifier `uid:<child uid>`) or from naming (`inferred`)
    case controlledBy
    /// workload → artifact / image-reference, cluster → itself: what one inventory snapshot
    /// saw (qualifier `snapshot:<capture time>`); raw input of the `ran` derivation
    case observed
    /// workload → image-reference / artifact: an image a workload's spec asks for
    case declares

    public static func < (a: EdgeKind, b: EdgeKind) -> Bool { a.rawValue < b.rawValue }

    /// Position in `allCases`, for compact keys.
    static let ordinals: [EdgeKind: Int] = Dictionary(uniqueKeysWithValues: allCases.enumerated().map { ($1, $0) })

    /// The case's position, for packed integer keys: a payload-free enum is stored as its case
    /// index, read here instead of hashing the raw value (a String) through `ordinals`.
    @inline(__always)
    public var ordinal: UInt8 {
        if MemoryLayout<EdgeKind>.size == 1 { return withUnsafeBytes(of: self) { $0[0] } }
        return UInt8(truncatingIfNeeded: Self.ordinals[self] ?? 255)
    }

    /// An unqualified edge of this kind in one integer: the ordinal (8 bits) and both ends
    /// (28 bits each; callers keep ids below 2^28). The key of the packed edge indexes
    /// (`FactBatch`, the store's `GroupFacts` and `EdgeIdentityCache`).
    @inline(__always)
    public func packed(_ from: Int32, _ to: Int32) -> UInt64 {
        UInt64(ordinal) << 56 | UInt64(UInt32(bitPattern: from)) << 28 | UInt64(UInt32(bitPattern: to))
    }
}
