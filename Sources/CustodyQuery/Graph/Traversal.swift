import CustodyCore

/// One hop of a breadth-first walk: extends every path of a frontier along the edges of some
/// kinds, in one batched read, keeping only edges the window admits and never revisiting a
/// node already on the path.
struct Traversal {
    let graph: GraphAccess
    let window: TimeWindow

    func hop(_ paths: [GraphPath], _ direction: Direction, _ kinds: [EdgeKind],
             where keep: (Edge, Node) -> Bool = { _, _ in true }) throws -> [GraphPath] {
        guard !paths.isEmpty else { return [] }
        var byEnd: [Int64: [GraphPath]] = [:]
        for path in paths { byEnd[path.endID, default: []].append(path) }
        var out: [GraphPath] = []
        for edge in try graph.edges(direction, of: byEnd.keys, kinds: kinds) where window.admits(edge) {
            let (near, far) = direction == .outgoing ? (edge.source, edge.target) : (edge.target, edge.source)
            guard let node = graph.nodes[far], keep(edge, node) else { continue }
            for path in byEnd[near] ?? [] where !path.contains(far) {
                out.append(path.appending(node, via: edge))
            }
        }
        return out
    }

    /// Both directions of a symmetric relation (`aliasOf`, `hasManifest`), repeated until no new
    /// node appears or `rounds` hops were made. Returns the best path to every node reached,
    /// the starting ones included.
    func closure(_ start: [GraphPath], _ kinds: [EdgeKind], rounds: Int = 4) throws -> [Int64: GraphPath] {
        var best: [Int64: GraphPath] = [:]
        for path in start where best[path.endID].map({ path.isBetter(than: $0) }) ?? true { best[path.endID] = path }
        var frontier = Array(best.values)
        for _ in 0..<rounds where !frontier.isEmpty {
            let next = try hop(frontier, .outgoing, kinds) + hop(frontier, .incoming, kinds)
            frontier = []
            for path in next where best[path.endID] == nil {
                best[path.endID] = path
                frontier.append(path)
            }
        }
        return best
    }
}
