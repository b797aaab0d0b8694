/// Everything one document asserts, deduplicated in memory before the pipeline writes it in
/// one transaction. Ingestors build a batch and return it; they never touch the store.
///
/// Merging rules: a node seen twice keeps its first location and merges its attributes by
/// `NodeAttributes.merge` (it gains those it did not have); an edge seen twice widens its
/// interval and keeps the stronger certainty.
///
/// Memory: a 100,000-component SBOM's batch is alive beside the document and its JSON tape,
/// so facts are kept small: locations in one buffer (`locations`), indexes of positions
/// (`FactIndex`).
public struct FactBatch: Sendable {
    public private(set) var nodes: [NodeFact] = []
    public private(set) var edges: [EdgeFact] = []
    public private(set) var diagnostics: [Diagnostic] = []
    /// The text of the facts' locations (`location(of:)`).
    public private(set) var locations = LocationText()
    /// The document's own time (SBOM creation, snapshot capture), when it has one.
    public var observedAt: Timestamp?

    private var nodeIndex = FactIndex()
    private var edgeIndex: [EdgeKey: Int] = [:]
    /// Unqualified edges (nearly all of them) by the hash of one packed integer
    /// (`EdgeKind.packed`): hashing a struct holding a String was a third of the time of
    /// building a 300,000-edge batch.
    private var packedEdgeIndex = FactIndex()

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
        let hash = ref.hashValue
        if let index = nodeIndex.first(hash: hash, where: { nodes[$0].ref == ref }) {
            if !attributes.isEmpty { NodeAttributes.merge(attributes, into: &nodes[index].attributes) }
            if nodes[index].location.isNone { nodes[index].location = locations.append(location) }
            if nodes[index].package == nil { nodes[index].package = package }
            return LocalNodeID(index)
        }
        nodeIndex.insert(nodes.count, hash: hash)
        nodes.append(NodeFact(ref: ref, attributes: attributes, location: locations.append(location), package: package))
        return LocalNodeID(nodes.count - 1)
    }

    @discardableResult
    public mutating func node(_ kind: NodeKind, _ key: String, attributes: [String: String] = [:], at location: String? = nil,
                              package: PackageColumns? = nil) -> LocalNodeID {
        node(NodeRef(kind, key), attributes: attributes, at: location, package: package)
    }

    /// The local id of a node already in the batch.
    public func localID(of ref: NodeRef) -> LocalNodeID? {
        nodeIndex.first(hash: ref.hashValue) { nodes[$0].ref == ref }.map { LocalNodeID($0) }
    }

    /// Where the document asserted `node`, one of this batch's nodes.
    public func location(of node: NodeFact) -> String? { locations[node.location] }

    /// Where the document asserted `edge`, one of this batch's edges.
    public func location(of edge: EdgeFact) -> String? { locations[edge.location] }

    /// Adds (or merges into) an edge between two nodes of this batch.
    public mutating func edge(_ kind: EdgeKind, from: LocalNodeID, to: LocalNodeID, qualifier: String = "",
                              firstSeen: Timestamp? = nil, lastSeen: Timestamp? = nil,
                              certainty: Certainty = .recorded, attributes: [String: String] = [:],
                              at location: String? = nil) {
        let existingIndex: Int?
        let packedHash = qualifier.isEmpty ? kind.packed(from, to).hashValue : 0
        if qualifier.isEmpty {
            existingIndex = packedEdgeIndex.first(hash: packedHash) { position in
                // Only unqualified edges are in this index.
                edges[position].from == from && edges[position].to == to && edges[position].kind == kind
            }
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
            if edges[existing].location.isNone { edges[existing].location = locations.append(location) }
            return
        }
        if qualifier.isEmpty {
            packedEdgeIndex.insert(edges.count, hash: packedHash)
        } else {
            edgeIndex[EdgeKey(kind: kind, from: from, to: to, qualifier: qualifier)] = edges.count
        }
        edges.append(EdgeFact(kind: kind, from: from, to: to, qualifier: qualifier, firstSeen: firstSeen,
                              lastSeen: lastSeen, certainty: certainty, attributes: attributes,
                              location: locations.append(location)))
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
        nodeIndex.reserve(nodeCount)
        edges.reserveCapacity(edgeCount)
        packedEdgeIndex.reserve(edgeCount)
    }
}
