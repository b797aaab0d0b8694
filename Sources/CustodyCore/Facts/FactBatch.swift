/// Everything one document asserts, deduplicated in memory before the pipeline writes it in
/// one transaction. Ingestors build a batch and return it; they never touch the store.
///
/// Merging rules: a node seen twice keeps its first location and gains attributes it did not
/// have; an edge seen twice widens its interval and keeps the stronger certainty.
public struct FactBatch: Sendable {
    public private(set) var nodes: [NodeFact] = []
    public private(set) var edges: [EdgeFact] = []
    public private(set) var diagnostics: [Diagnostic] = []
    /// The document's own time (SBOM creation, snapshot capture), when it has one.
    public var observedAt: Timestamp?

    private var nodeIndex: [NodeRef: LocalNodeID] = [:]
    private var edgeIndex: [EdgeKey: Int] = [:]
    /// Unqualified edges (nearly all of them) keyed by one packed integer: hashing a struct
    /// holding a String was a third of the time of building a 300,000-edge batch
    /// (`EdgeKind.packed`: local ids stay below 2^28, a document has far fewer facts).
    private var packedEdgeIndex: [UInt64: Int] = [:]

    private struct EdgeKey: Hashable {
        var kind: EdgeKind
        var from: LocalNodeID
        var to: LocalNodeID
        var qualifier: String
    }

    public init() {}

    public var isEmpty: Bool { nodes.isEmpty && edges.isEmpty }

    /// Adds (or merges into) the node `ref` and returns its local id.
    /// `package`: the purl parts when `ref` is a package whose purl the caller parsed.
    @discardableResult
    public mutating func node(_ ref: NodeRef, attributes: [String: String] = [:], at location: String? = nil,
                              package: PackageColumns? = nil) -> LocalNodeID {
        if let existing = nodeIndex[ref] {
            let index = Int(existing)
            if !attributes.isEmpty {
                nodes[index].attributes.merge(attributes) { old, _ in old }
            }
            if nodes[index].location == nil { nodes[index].location = location }
            if nodes[index].package == nil { nodes[index].package = package }
            return existing
        }
        let id = LocalNodeID(nodes.count)
        nodes.append(NodeFact(ref: ref, attributes: attributes, location: location, package: package))
        nodeIndex[ref] = id
        return id
    }

    @discardableResult
    public mutating func node(_ kind: NodeKind, _ key: String, attributes: [String: String] = [:], at location: String? = nil,
                              package: PackageColumns? = nil) -> LocalNodeID {
        node(NodeRef(kind, key), attributes: attributes, at: location, package: package)
    }

    /// The local id of a node already in the batch.
    public func localID(of ref: NodeRef) -> LocalNodeID? { nodeIndex[ref] }

    /// Adds (or merges into) an edge between two nodes of this batch.
    public mutating func edge(_ kind: EdgeKind, from: LocalNodeID, to: LocalNodeID, qualifier: String = "",
                              firstSeen: Timestamp? = nil, lastSeen: Timestamp? = nil,
                              certainty: Certainty = .recorded, attributes: [String: String] = [:],
                              at location: String? = nil) {
        let existingIndex: Int?
        if qualifier.isEmpty {
            existingIndex = packedEdgeIndex[kind.packed(from, to)]
        } else {
            existingIndex = edgeIndex[EdgeKey(kind: kind, from: from, to: to, qualifier: qualifier)]
        }
        if let existing = existingIndex {
            edges[existing].firstSeen = edges[existing].firstSeen.earliest(firstSeen)
            edges[existing].lastSeen = edges[existing].lastSeen.latest(lastSeen)
            edges[existing].certainty = max(edges[existing].certainty, certainty)
            if !attributes.isEmpty {
                edges[existing].attributes.merge(attributes) { old, _ in old }
            }
            if edges[existing].location == nil { edges[existing].location = location }
            return
        }
        if qualifier.isEmpty {
            packedEdgeIndex[kind.packed(from, to)] = edges.count
        } else {
            edgeIndex[EdgeKey(kind: kind, from: from, to: to, qualifier: qualifier)] = edges.count
        }
        edges.append(EdgeFact(kind: kind, from: from, to: to, qualifier: qualifier, firstSeen: firstSeen,
                              lastSeen: lastSeen, certainty: certainty, attributes: attributes, location: location))
    }


    public mutating func diagnose(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    public mutating func warn(_ message: String, at location: String? = nil) {
        diagnostics.append(Diagnostic(.warning, message, at: location))
    }

    public func ref(_ id: LocalNodeID) -> NodeRef { nodes[Int(id)].ref }

    /// Reserves room for a document whose size is known (a 100,000-component SBOM).
    public mutating func reserve(nodes nodeCount: Int, edges edgeCount: Int) {
        nodes.reserveCapacity(nodeCount)
        nodeIndex.reserveCapacity(nodeCount)
        edges.reserveCapacity(edgeCount)
        packedEdgeIndex.reserveCapacity(edgeCount)
    }
}
