import CustodyCore

/// A walk from the subject to a result: nodes joined by the stored edges that were followed
/// (in either direction: a package is reached from the artifact that `contains` it). A path is
/// only as certain as its weakest edge.
///
/// Steps hold ids, not values: a large blast radius builds tens of thousands of paths that
/// share a few thousand nodes and edges, and copying a step used to retain three strings.
/// Nodes and edges live once in the query's `GraphAccess` (`nodes`, `edge(at:)`).
struct GraphPath {
    struct Step {
        var nodeID: Int64
        var nodeKind: NodeKind
        /// The edge followed to reach the node (nil for the first step and for `link` steps):
        /// its id (the order paths are compared in), kind and slot in `GraphAccess.edge(at:)`.
        var edgeID: Int64?
        var edgeKind: EdgeKind?
        var edgeSlot: Int32
        /// A step the engine made without a stored edge.
        var link: PathLink?
    }

    let graph: GraphAccess
    private(set) var steps: [Step]
    /// The weakest certainty of the path's edges, kept as steps are added (read for every
    /// result row and every comparison of paths).
    private(set) var certainty: Certainty = .recorded

    init(start: Node, in graph: GraphAccess) {
        self.graph = graph
        steps = [Step(nodeID: start.id, nodeKind: start.ref.kind, edgeID: nil, edgeKind: nil, edgeSlot: -1, link: nil)]
    }

    func appending(_ node: Node, via edge: Edge) -> GraphPath {
        var copy = self
        copy.steps.reserveCapacity(steps.count + 2)
        copy.steps.append(Step(nodeID: node.id, nodeKind: node.ref.kind, edgeID: edge.id, edgeKind: edge.kind,
                               edgeSlot: graph.slot(for: edge), link: nil))
        copy.certainty = min(certainty, edge.certainty)
        return copy
    }

    func appending(_ node: Node, link: PathLink) -> GraphPath {
        var copy = self
        copy.steps.append(Step(nodeID: node.id, nodeKind: node.ref.kind, edgeID: nil, edgeKind: nil, edgeSlot: -1, link: link))
        return copy
    }

    var endKind: NodeKind { steps[steps.count - 1].nodeKind }
    var endID: Int64 { steps[steps.count - 1].nodeID }

    /// The stored edge a step followed.
    func edge(of step: Step) -> Edge? { step.edgeSlot >= 0 ? graph.edge(at: step.edgeSlot) : nil }

    /// The last step that followed a stored edge.
    var lastEdgeStep: Step? { steps.last { $0.edgeID != nil } }

    /// The last stored edge followed.
    var lastEdge: Edge? { lastEdgeStep.flatMap(edge(of:)) }

    func contains(_ id: Int64) -> Bool { steps.contains { $0.nodeID == id } }

    /// Recorded over inferred, then shorter, then the lower edge ids (deterministic output).
    func isBetter(than other: GraphPath) -> Bool {
        if certainty != other.certainty { return certainty > other.certainty }
        if steps.count != other.steps.count { return steps.count < other.steps.count }
        return steps.lazy.compactMap(\.edgeID).lexicographicallyPrecedes(other.steps.lazy.compactMap(\.edgeID))
    }
}

/// Steps the engine makes without a stored edge; the raw value is the path element's `edge`.
enum PathLink: String {
    /// From an advisory's versionless package to a version its range contains.
    case versionInRange
    /// From an advisory to the artifact a scanner found it in.
    case foundIn
}

extension GraphAccess {
    /// A one-node path from `node`, where walks start.
    func startPath(_ node: Node) -> GraphPath { GraphPath(start: node, in: self) }
}
