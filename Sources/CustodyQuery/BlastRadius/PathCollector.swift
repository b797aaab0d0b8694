import CustodyCore
import CustodyStore

/// Walks the graph from matched subject nodes and remembers the best path to every result.
struct PathCollector {
    let reader: GraphReader
    let window: TimeWindow

    private(set) var artifacts: [Int64: GraphPath] = [:]
    private(set) var containers: [Int64: (node: StoredNode, path: GraphPath)] = [:]
    private(set) var runs: [Int64: GraphPath] = [:]
    private(set) var workloads: [Int64: [(edge: StoredEdge, path: GraphPath)]] = [:]

    init(reader: GraphReader, window: TimeWindow) {
        self.reader = reader
        self.window = window
    }

    private func admitted(_ edges: [StoredEdge]) -> [StoredEdge] {
        edges.filter { window.admits(first: $0.firstSeen, last: $0.lastSeen) }
    }

    /// Package → whatever contains it (artifacts, image references, applications, SBOMs),
    /// transitively through containing packages, up to `maxDepth` hops.
    mutating func followContainers(of package: StoredNode, maxDepth: Int = 4) throws {
        var frontier: [(Int64, GraphPath)] = [(package.id, GraphPath(start: package.ref))]
        var seen: Set<Int64> = [package.id]
        for _ in 0..<maxDepth where !frontier.isEmpty {
            var next: [(Int64, GraphPath)] = []
            for (nodeID, path) in frontier {
                for edge in admitted(try reader.incoming(nodeID, kinds: [.contains])) {
                    guard seen.insert(edge.source).inserted else { continue }
                    let reached = path.appending(edge.other, via: edge)
                    switch edge.other.kind {
                    case .artifact:
                        record(artifact: edge.source, reached)
                    case .imageReference:
                        try recordImageReference(edge.source, reached)
                    default:
                        if let node = try reader.node(id: edge.source) { containers[edge.source] = (node, reached) }
                        if edge.other.kind == .package { next.append((edge.source, reached)) }
                    }
                }
            }
            frontier = next
        }
    }

    /// An image reference counts as the digests it is known to refer to; until one is known
    /// it is reported as a container.
    private mutating func recordImageReference(_ id: Int64, _ path: GraphPath) throws {
        let targets = admitted(try reader.outgoing(id, kinds: [.refersTo])).filter { $0.other.kind == .artifact }
        if targets.isEmpty, let node = try reader.node(id: id) {
            containers[id] = (node, path)
        }
        for edge in targets {
            record(artifact: edge.target, path.appending(edge.other, via: edge))
        }
    }

    mutating func record(artifact id: Int64, _ path: GraphPath) {
        if let existing = artifacts[id], !path.isBetter(than: existing) { return }
        artifacts[id] = path
    }

    /// Artifacts → the other manifests of the same image (index ↔ platform manifest), the
    /// runs that produced them and the workloads that ran them.
    mutating func expandArtifacts() throws {
        for (id, path) in artifacts {
            for edge in admitted(try reader.outgoing(id, kinds: [.hasManifest]) + reader.incoming(id, kinds: [.hasManifest])) {
                let other = edge.source == id ? edge.target : edge.source
                if artifacts[other] == nil { record(artifact: other, path.appending(edge.other, via: edge)) }
            }
        }
        for (id, path) in artifacts {
            for edge in admitted(try reader.incoming(id, kinds: [.produced])) {
                let reached = path.appending(edge.other, via: edge)
                if let existing = runs[edge.source], !reached.isBetter(than: existing) { continue }
                runs[edge.source] = reached
            }
            for edge in admitted(try reader.incoming(id, kinds: [.ran])) {
                workloads[edge.source, default: []].append((edge, path.appending(edge.other, via: edge)))
            }
        }
    }
}
