/// The answer of `custody blast-radius`, shaped exactly as the JSON contract of DESIGN.md §5
/// (documented in docs/OUTPUT.md). Fields may be added, never renamed; property names here
/// are the JSON names. Contract fields are always present (null when unknown); the encoders
/// are written out because synthesized ones drop nil fields.
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
        /// Added: when the run ended, if known.
        public var completed_at: String?

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(key, forKey: .key)
            try container.encode(provider, forKey: .provider)
            try container.encode(repository, forKey: .repository)
            try container.encode(run_id, forKey: .run_id)
            try container.encode(attempt, forKey: .attempt)
            try container.encode(started_at, forKey: .started_at)
            try container.encode(certainty, forKey: .certainty)
            try container.encode(completed_at, forKey: .completed_at)
        }
    }

    public struct Artifact: Sendable, Codable, Equatable {
        public var digest: String
        public var media_type: String?
        public var repositories: [String]
        public var tags: [String]
        /// Earliest push, tag, production or run of the digest; latest likewise (null while a
        /// workload still runs it).
        public var first_seen: String?
        public var last_seen: String?
        /// Added: the weakest certainty on the path that reached it.
        public var certainty: String
        /// Added: some workload still runs it (in the latest snapshot of its cluster).
        public var running: Bool

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(digest, forKey: .digest)
            try container.encode(media_type, forKey: .media_type)
            try container.encode(repositories, forKey: .repositories)
            try container.encode(tags, forKey: .tags)
            try container.encode(first_seen, forKey: .first_seen)
            try container.encode(last_seen, forKey: .last_seen)
            try container.encode(certainty, forKey: .certainty)
            try container.encode(running, forKey: .running)
        }
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
        /// Added: the weakest certainty on the path that reached it.
        public var certainty: String

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
            try container.encode(certainty, forKey: .certainty)
        }

        /// `cluster/namespace/kind/name`, the workload node key.
        public var workloadKey: String { "\(cluster)/\(namespace)/\(kind)/\(name)" }
    }

    public struct Secret: Sendable, Codable, Equatable {
        public var key: String
        public var reached_by: [String]
    }

    /// Added: artifacts a VEX statement declares not affected by the subject advisory; they
    /// are left out of `artifacts` and of everything reached through them.
    public struct NotAffected: Sendable, Codable, Equatable {
        public var digest: String
        public var vulnerability: String
        public var status: String?
        public var justification: String?
    }

    /// One element of a path: a node (`kind`, `key`) or an edge (`edge`, times, certainty,
    /// evidence). Edges are stored facts; `edge: "versionInRange"` / `"foundIn"` are steps the
    /// engine made (an advisory's range containing a version) and carry no evidence of their own.
    public struct PathElement: Sendable, Codable, Hashable {
        public var kind: String?
        public var key: String?
        public var edge: String?
        public var first_seen: String?
        public var last_seen: String?
        public var certainty: String?
        public var evidence: [String]?

        public static func node(kind: String, key: String) -> PathElement { PathElement(kind: kind, key: key) }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            if let edge {
                try container.encode(edge, forKey: .edge)
                try container.encode(first_seen, forKey: .first_seen)
                try container.encode(last_seen, forKey: .last_seen)
                try container.encode(certainty, forKey: .certainty)
                try container.encode(evidence ?? [], forKey: .evidence)
            } else {
                try container.encode(kind, forKey: .kind)
                try container.encode(key, forKey: .key)
            }
        }
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
    public var not_affected: [NotAffected] = []
    public var paths: PathList = []
    public var evidence: [Evidence] = []
    /// How many rows the large sections hold when only their first ones were built (a
    /// terminal table: `BlastRadiusEngine(rowLimit:)`); nil when every row is present. Not
    /// part of the JSON contract, never encoded.
    public var totals: Totals? = nil

    /// Row counts of the sections a row limit cuts.
    public struct Totals: Sendable, Equatable {
        public var artifacts: Int
        public var workloads: Int
        public var secrets: Int
    }

    private enum CodingKeys: String, CodingKey {
        case subject, window, runs, artifacts, containers, workloads, secrets, not_affected, paths, evidence
    }

    public init(subject: Subject, window: Window) {
        self.subject = subject
        self.window = window
    }

    public var isEmpty: Bool {
        runs.isEmpty && artifacts.isEmpty && containers.isEmpty && workloads.isEmpty && secrets.isEmpty
    }
}
