import CustodyCore

/// What a blast-radius question starts from (DESIGN.md §1–2), one case per CLI flag.
public enum BlastRadiusSubject: Sendable, Equatable {
    /// A package by purl; without a version any version matches; with `versions` a `vers:` range.
    case package(purl: String, versions: String?)
    /// An advisory id; aliases are followed both ways.
    case vulnerability(String)
    /// `owner/repo` (any version, resolved or not) or `owner/repo@<sha|sha prefix|ref>`.
    case action(String)
    /// A URL a run fetched and executed; prefix match.
    case fetched(String)
    /// A full commit SHA or a unique prefix.
    case commit(String)
    /// `owner/repo`, `host/owner/repo` or a clone URL.
    case repository(String)
    /// A workflow file: `owner/repo/.github/workflows/x.yml`, with or without the host.
    case workflow(String)
    /// A builder id from provenance; a prefix matches every version of it.
    case builder(String)
    /// A signing identity (`key:…`, `oidc:<issuer>:<subject>`, or the subject alone).
    case signer(String)
    /// A registry or CI account name (`billing-ci`) or a full identity key.
    case actor(String)
    /// `sha256:<hex>`.
    case digest(String)
    /// `repo:tag` (or `repo@digest`).
    case image(String)
    /// A secret key (`github:acme/app:NAME`, `k8s:cluster/ns/name`) or a bare name.
    case secret(String)

    public var kindName: String {
        switch self {
        case .package: "package"
        case .vulnerability: "vulnerability"
        case .action: "action"
        case .fetched: "remote-script"
        case .commit: "commit"
        case .repository: "repository"
        case .workflow: "workflow"
        case .builder: "builder"
        case .signer: "signer"
        case .actor: "actor"
        case .digest: "artifact"
        case .image: "image"
        case .secret: "secret"
        }
    }

    public var key: String {
        switch self {
        case let .package(purl, versions): versions.map { "\(purl) \($0)" } ?? purl
        case let .vulnerability(text), let .action(text), let .fetched(text), let .commit(text), let .repository(text),
             let .workflow(text), let .builder(text), let .signer(text), let .actor(text), let .digest(text),
             let .image(text), let .secret(text):
            text
        }
    }

    /// Subjects that name things built (digests, contents, pushes, attestations): the runs in
    /// the answer are the ones that produced what was found. For the others (an action, a
    /// script, a commit…) the runs are the ones that used the subject.
    var reachesProducers: Bool {
        switch self {
        case .package, .vulnerability, .digest, .image, .actor, .signer, .builder: true
        case .action, .fetched, .commit, .repository, .workflow, .secret: false
        }
    }
}
