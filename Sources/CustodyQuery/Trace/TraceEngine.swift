import CustodyCore
import CustodyStore
import Foundation

/// What `custody trace` starts from.
public enum TraceTarget: Sendable, Equatable {
    /// `cluster/namespace/Kind/name`.
    case workload(String)
    case digest(String)
    /// `repo:tag` (or `repo@digest`).
    case image(String)

    var kindName: String {
        switch self {
        case .workload: "workload"
        case .digest: "artifact"
        case .image: "image"
        }
    }

    var key: String {
        switch self {
        case let .workload(text), let .digest(text), let .image(text): text
        }
    }
}

/// The chain of custody backwards (DESIGN.md §1): workload ← digest ← push (who, when) ← run
/// ← workflow and commit ← repository, with attestations, signatures and SBOMs, and every
/// gap in that chain reported as a finding. The window selects which digests a workload ran
/// or a tag pointed to; what lies behind a digest (how it was built) is not windowed.
public struct TraceEngine {
    let reader: GraphReader
    let window: TimeWindow

    public init(reader: GraphReader, window: TimeWindow) {
        self.reader = reader
        self.window = window
    }

    public func run(_ target: TraceTarget) throws -> TraceResult {
        let lap = Lap()
        let graph = GraphAccess(reader: reader)
        let (matched, starts) = try resolve(target, graph: graph)
        lap.mark("resolve")
        var result = TraceResult(
            target: .init(kind: target.kindName, key: target.key, matched: matched.map(\.ref.key).sorted()),
            window: .init(from: window.from?.rfc3339, to: window.to?.rfc3339, at: window.at?.rfc3339))
        guard !starts.isEmpty else { return result }
        var custody = CustodyCollector(graph: graph, window: window, starts: starts)
        try custody.collect()
        lap.mark("collect")
        try custody.fill(&result)
        lap.mark("fill")
        return result
    }

    /// The target node(s) and one path per digest to trace, ending at that digest.
    private func resolve(_ target: TraceTarget, graph: GraphAccess) throws -> (matched: [Node], starts: [GraphPath]) {
        let walk = Traversal(graph: graph, window: window)
        switch target {
        case let .digest(text):
            let key: String
            do {
                key = try Digest(parsing: text.trimmingCharacters(in: .whitespaces)).description
            } catch {
                throw CustodyError.usage("--digest: \(text) is not a digest; example: sha256:0137dfe9…(64 hex digits)")
            }
            let nodes = try graph.nodes(kind: .artifact, keys: [key])
            return (nodes, nodes.map(graph.startPath))
        case let .workload(text):
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 4, !parts.contains(where: \.isEmpty) else {
                throw CustodyError.usage("--workload: \(text) is not CLUSTER/NAMESPACE/KIND/NAME; example: prod-eu/payments/Deployment/payments-api")
            }
            var nodes = try graph.nodes(kind: .workload, keys: [text])
            if nodes.isEmpty { nodes = try graph.nodes(kind: .workload, like: SubjectText.like(text)) }
            return (nodes, try walk.hop(nodes.map(graph.startPath), .outgoing, [.ran]))
        case let .image(text):
            let reference: ImageReference
            do {
                reference = try ImageReference(parsing: text.trimmingCharacters(in: .whitespaces))
            } catch {
                throw CustodyError.usage("--image: \(text) is not an image reference (\(error)); example: ghcr.io/acme/app:1.4.2")
            }
            if let digest = reference.digest { return try resolve(.digest(digest.description), graph: graph) }
            let key = "\(reference.repository):\(reference.tag ?? "latest")"
            let tags = try graph.nodes(kind: .tag, keys: [key])
            let references = try graph.nodes(kind: .imageReference, keys: [key])
            let starts = try walk.hop(tags.map(graph.startPath), .outgoing, [.pointsTo])
                + walk.hop(references.map(graph.startPath), .outgoing, [.refersTo]) { _, node in node.ref.kind == .artifact }
            return (tags + references, starts)
        }
    }
}
