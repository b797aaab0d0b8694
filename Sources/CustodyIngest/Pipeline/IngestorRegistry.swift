import CustodyCore

/// Every ingestor custody has, one line each, sorted by id. Adding a format means adding a
/// folder under `Formats/` and one line here — no registration by side effect.
public struct IngestorRegistry: Sendable {
    public let ingestors: [any Ingestor]

    public init(ingestors: [any Ingestor]) {
        self.ingestors = ingestors.sorted { $0.descriptor.id < $1.descriptor.id }
    }

    public static let standard = IngestorRegistry(ingestors: [
        CycloneDXJSONIngestor(),
        CycloneDXXMLIngestor(),
        GitHubAPIIngestor(),
        GitHubJobLogIngestor(),
        GitHubLogArchiveIngestor(),
        WorkflowFileIngestor(),
        GitLabJobIngestor(),
        GitLabTraceIngestor(),
        JenkinsConsoleIngestor(),
        KubernetesAuditIngestor(),
        KubernetesJSONIngestor(),
        KubernetesYAMLIngestor(),
        SPDX3JSONLDIngestor(),
        SPDXJSONIngestor(),
        SPDXTagValueIngestor(),
    ])

    public func ingestor(id: String) -> (any Ingestor)? {
        ingestors.first { $0.descriptor.id == id }
    }

    /// The ingestor whose detector is most confident, or a rejection naming what was tried.
    public func detect(_ sample: DetectionSample, source: String) throws -> any Ingestor {
        let scored = ingestors.map { ($0, $0.detect(sample)) }.filter { $0.1 > .none }
        guard let best = scored.max(by: { $0.1 < $1.1 }) else {
            throw CustodyError.rejected(
                "unrecognized format: none of the \(ingestors.count) ingestors (\(ingestors.map(\.descriptor.id).joined(separator: ", "))) recognized it; pass --format ID if you know it (custody ingestors lists them)",
                at: SourceLocation(path: source))
        }
        let tied = scored.filter { $0.1 == best.1 }
        if tied.count > 1 {
            throw CustodyError.rejected(
                "ambiguous format: \(tied.map(\.0.descriptor.id).joined(separator: " and ")) both match; pass --format ID",
                at: SourceLocation(path: source))
        }
        return best.0
    }
}
