/// The node kinds of the provenance graph (DESIGN.md §2). The raw value is what the database
/// stores and what JSON output shows; never rename one.
public enum NodeKind: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case repository
    case commit
    case workflow
    case run
    case job
    case action
    case builder
    case remoteScript = "remote-script"
    case artifact
    case imageRepository = "image-repository"
    case tag
    /// An image reference written by a document without a digest (`app:1.4.2` in an SBOM):
    /// kept so that a later digest for the same tag can link it.
    case imageReference = "image-reference"
    case package
    case vulnerability
    case attestation
    case identity
    case secret
    case cluster
    case namespace
    case workload
    /// An SBOM document as a thing in the graph (its serial number / namespace), so that
    /// "which SBOM described this digest" is a graph question.
    case sbom

    public static func < (a: NodeKind, b: NodeKind) -> Bool { a.rawValue < b.rawValue }
}
