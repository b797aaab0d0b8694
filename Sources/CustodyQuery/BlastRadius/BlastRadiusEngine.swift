import CustodyCore
import CustodyStore

/// Answers "what does this compromise reach": resolves the subject to graph nodes, then
/// follows the graph forward — containers of a package, the artifacts they are, and what
/// those artifacts reach (see `ArtifactExpansion`). Every result keeps the path that reached
/// it and the evidence behind each edge of that path.
public struct BlastRadiusEngine {
    let reader: GraphReader
    let window: TimeWindow

    public init(reader: GraphReader, window: TimeWindow) {
        self.reader = reader
        self.window = window
    }

    public func run(_ subject: BlastRadiusSubject) throws -> BlastRadiusResult {
        var collector = PathCollector(reader: reader, window: window)
        let matched: [StoredNode]
        switch subject {
        case let .package(purl, versions):
            matched = try PackageMatcher(reader: reader).match(purl: purl, versions: versions)
            for package in matched {
                try collector.followContainers(of: package)
            }
        }
        try collector.expandArtifacts()
        var result = BlastRadiusResult(
            subject: .init(kind: subject.kindName, key: subject.key, matched: matched.map(\.ref.key).sorted()),
            window: .init(from: window.from?.rfc3339, to: window.to?.rfc3339, at: window.at?.rfc3339))
        try collector.fill(&result)
        return result
    }
}
