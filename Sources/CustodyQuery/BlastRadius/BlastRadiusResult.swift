/// The answer of `custody blast-radius`, shaped exactly as the JSON contract of DESIGN.md §5
/// (documented in docs/OUTPUT.md). Fields may be added, never renamed; property names here
/// are the JSON names.
public struct BlastRadiusResult: Sendable, Codable, Equatable {
    public struct Subject: Sendable, Codable, Equatable {
        public var kind: String
        public var key: String
        public var matched: [String]
    }

    public struct Window: Sendable, Codable, Equatable {
        public var from: String?
        public var to: String?
        public var at: String?

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(from, forKey: .from)
            try container.encode(to, forKey: .to)
            try container.encode(at, forKey: .at)
        }
    }

    public struct Run: Sendable, Codable, Equatable {
        public var key: String
        public var provider: String?
        public var repository: String?
        public var run_id: String?
        public var attempt: Int?
        public var started_at: String?
        public var certainty: String
    }

    public struct Artifact: Sendable, Codable, Equatable {
        public var digest: String
        public var media_type: String?
        public var repositories: [String]
        public var tags: [String]
        public var first_seen: String?
        public var last_seen: String?
    }

    /// Things found to contain the subject that are not digests: an SBOM subject known only by
    /// image reference or by purl (an application), or an SBOM with no subject. Added field.
    public struct Container: Sendable, Codable, Equatable {
        public var kind: String
        public var key: String
        public var sboms: [String]
    }

    public struct Workload: Sendable, Codable, Equatable {
        public var cluster: String
        public var namespace: String
        public var kind: String
        public var name: String
        public var digest: String
        public var first_seen: String?
        public var last_seen: String?
        public var last_seen_tight: String?
        public var running: Bool

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(cluster, forKey: .cluster)
            try container.encode(namespace, forKey: .namespace)
            try container.encode(kind, forKey: .kind)
            try container.encode(name, forKey: .name)
            try container.encode(digest, forKey: .digest)
            try container.encode(first_seen, forKey: .first_seen)
            try container.encode(last_seen, forKey: .last_seen)
            try container.encode(last_seen_tight, forKey: .last_seen_tight)
            try container.encode(running, forKey: .running)
        }
    }

    public struct Secret: Sendable, Codable, Equatable {
        public var key: String
        public var reached_by: [String]
    }

    /// One element of a path: a node (`kind`, `key`) or an edge (`edge`, times, evidence).
    public struct PathElement: Sendable, Codable, Equatable {
        public var kind: String?
        public var key: String?
        public var edge: String?
        public var first_seen: String?
        public var last_seen: String?
        public var certainty: String?
        public var evidence: [String]?
    }

    public struct Evidence: Sendable, Codable, Equatable {
        public var sha256: String
        public var format: String
        public var source: String
    }

    public var subject: Subject
    public var window: Window
    public var runs: [Run] = []
    public var artifacts: [Artifact] = []
    public var containers: [Container] = []
    public var workloads: [Workload] = []
    public var secrets: [Secret] = []
    public var paths: [[PathElement]] = []
    public var evidence: [Evidence] = []

    public var isEmpty: Bool {
        runs.isEmpty && artifacts.isEmpty && containers.isEmpty && workloads.isEmpty && secrets.isEmpty
    }
}
