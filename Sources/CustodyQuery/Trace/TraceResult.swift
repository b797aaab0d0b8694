/// The answer of `custody trace`: DESIGN.md §5 `{"target", "chain", "attestations",
/// "signatures", "evidence"}` plus sections shaped like blast-radius ones (`runs`,
/// `artifacts`, `workloads`) and the gaps found on the way. Documented in docs/OUTPUT.md;
/// fields may be added, never renamed.
public struct TraceResult: Sendable, Codable, Equatable {
    public typealias Window = BlastRadiusResult.Window
    public typealias PathElement = BlastRadiusResult.PathElement
    public typealias Run = BlastRadiusResult.Run
    public typealias Artifact = BlastRadiusResult.Artifact
    public typealias Workload = BlastRadiusResult.Workload
    public typealias Evidence = BlastRadiusResult.Evidence

    /// What was traced: the workload, digest or image named, and the digests it resolved to.
    public struct Target: Sendable, Codable, Equatable {
        public var kind: String
        public var key: String
        public var matched: [String]
    }

    /// How a run that produced a traced digest was built: workflow, commit, repository, who
    /// triggered it.
    public struct Build: Sendable, Codable, Equatable {
        public var run: String
        public var digest: String
        public var workflow: String?
        public var commit: String?
        public var repository: String?
        public var triggered_by: [String]
        public var evidence: [String]
    }

    /// A registry push of a traced digest: who, when, and what else the event recorded
    /// (tag, source address, user agent) as written by the registry ingestor.
    public struct Push: Sendable, Codable, Equatable {
        public var digest: String
        public var identity: String
        public var at: String?
        public var attributes: [String: String]
        public var evidence: [String]
    }

    public struct Attestation: Sendable, Codable, Equatable {
        public var key: String
        public var digest: String
        public var predicate_type: String?
        public var builders: [String]
        public var commits: [String]
        public var runs: [String]
        public var evidence: [String]
    }

    /// A signature over an attestation: who signed it and what verification found. `verified`
    /// is null when no verification result was recorded (a claim, not a checked fact).
    public struct Signature: Sendable, Codable, Equatable {
        public var attestation: String
        public var digest: String
        public var signer: String
        public var verified: Bool?
        public var result: String?
        public var evidence: [String]

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(attestation, forKey: .attestation)
            try container.encode(digest, forKey: .digest)
            try container.encode(signer, forKey: .signer)
            try container.encode(verified, forKey: .verified)
            try container.encode(result, forKey: .result)
            try container.encode(evidence, forKey: .evidence)
        }
    }

    public struct SBOM: Sendable, Codable, Equatable {
        public var key: String
        public var digest: String
        public var packages: Int
        public var evidence: [String]
    }

    /// Another digest of the same image (`index`, `manifest`) or the image it was built on
    /// (`base-image`), and the traced digest it relates to.
    public struct Related: Sendable, Codable, Equatable {
        public var digest: String
        public var relation: String
        public var of: String
    }

    /// Something the evidence does not show; for a responder the gap is often the finding.
    public struct Gap: Sendable, Codable, Equatable {
        /// Stable identifier: `no-run`, `no-provenance`, `no-sbom`, `no-push`,
        /// `push-without-run`, `no-signature`, `unverified-signature`, `signature-failed`,
        /// `run-without-commit`, `provenance-run-mismatch`.
        public var kind: String
        /// The digest, run or attestation the gap is about.
        public var subject: String
        public var message: String
    }

    public var target: Target
    public var window: Window
    /// The chain of custody of the primary digest (the one running, else the latest).
    public var chain: [PathElement] = []
    /// Added: one chain per traced digest.
    public var chains: [[PathElement]] = []
    public var artifacts: [Artifact] = []
    public var runs: [Run] = []
    public var builds: [Build] = []
    public var pushes: [Push] = []
    public var attestations: [Attestation] = []
    public var signatures: [Signature] = []
    public var sboms: [SBOM] = []
    public var related: [Related] = []
    public var workloads: [Workload] = []
    public var gaps: [Gap] = []
    public var evidence: [Evidence] = []

    public init(target: Target, window: Window) {
        self.target = target
        self.window = window
    }

    public var isEmpty: Bool { artifacts.isEmpty }
}
