import CustodyCore
import Foundation

/// A walk from the subject to a result: nodes joined by the stored edges that were followed
/// (in either direction: a package is reached from the artifact that `contains` it). A path is
/// only as certain as its weakest edge.
struct GraphPath: Sendable {
    struct Step: Sendable {
        var node: NodeRef
        var nodeID: Int64
        /// The edge followed to reach `node` (nil for the first step and for `link` steps).
        var edge: Edge?
        /// A step the engine made without a stored edge, named: `versionInRange` from an
        /// advisory's versionless package to a version its range contains.
        var link: String?
    }

    private(set) var steps: [Step]

    init(start: Node) {
        steps = [Step(node: start.ref, nodeID: start.id, edge: nil, link: nil)]
    }

    func appending(_ node: Node, via edge: Edge) -> GraphPath {
        var copy = self
        copy.steps.append(Step(node: node.ref, nodeID: node.id, edge: edge, link: nil))
        return copy
    }

    func appending(_ node: Node, link: String) -> GraphPath {
        var copy = self
        copy.steps.append(Step(node: node.ref, nodeID: node.id, edge: nil, link: link))
        return copy
    }

    var end: NodeRef { steps[steps.count - 1].node }
    var endID: Int64 { steps[steps.count - 1].nodeID }

    /// The node before the end (the digest of a workload's `ran` step).
    var previous: NodeRef? { steps.count >= 2 ? steps[steps.count - 2].node : nil }

    var certainty: Certainty {
        steps.compactMap(\.edge?.certainty).min() ?? .recorded
    }

    var edges: [Edge] { steps.compactMap(\.edge) }

    func contains(_ id: Int64) -> Bool { steps.contains { $0.nodeID == id } }

    /// Recorded over inferred, then shorter, then the lower edge ids (deterministic output).
    func isBetter(than other: GraphPath) -> Bool {
        if certainty != other.certainty { return certainty > other.certainty }
        if steps.count != other.steps.count { return steps.count < other.steps.count }
        return edges.map(\.id).lexicographicallyPrecedes(other.edges.map(\.id))
    }
}

/// Attribute JSON of stored nodes and edges, decoded on demand (query results are small).
enum Attributes {
    static func decode(_ json: String?) -> [String: String] {
        guard let json, let data = json.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        var out: [String: String] = [:]
        for (key, value) in object {
            if let string = value as? String { out[key] = string } else { out[key] = "\(value)" }
        }
        return out
    }
}
