import CustodyCore
import CustodyStore

/// A walk from the subject to a result: nodes joined by the stored edges that were followed.
/// A path is only as certain as its weakest edge.
struct GraphPath: Sendable {
    struct Step: Sendable {
        var node: NodeRef
        /// The edge followed to reach `node` (nil for the first step).
        var edge: StoredEdge?
    }

    private(set) var steps: [Step]

    init(start: NodeRef) {
        steps = [Step(node: start, edge: nil)]
    }

    func appending(_ node: NodeRef, via edge: StoredEdge) -> GraphPath {
        var copy = self
        copy.steps.append(Step(node: node, edge: edge))
        return copy
    }

    var end: NodeRef { steps[steps.count - 1].node }

    var certainty: Certainty {
        steps.compactMap(\.edge?.certainty).min() ?? .recorded
    }

    var edges: [StoredEdge] { steps.compactMap(\.edge) }

    /// Shorter paths, then recorded over inferred, are preferred when several reach a result.
    func isBetter(than other: GraphPath) -> Bool {
        if certainty != other.certainty { return certainty > other.certainty }
        return steps.count < other.steps.count
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

import Foundation
