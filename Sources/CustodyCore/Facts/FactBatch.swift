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

    /// Where `publish` hands the facts added so far, for a writer that stores them while the
    /// document is still being read; nil for an ordinary batch.
    public var stream: FactStream?
    /// How many nodes and edges (the first ones) were published.
    public private(set) var publishedNodes = 0
    public private(set) var publishedEdges = 0
    /// Indexes of published facts that a later assertion merged into (attributes, location,
    /// interval): the writer rewrites them from the finished batch. Repeats possible.
    public private(set) var changedAfterPublishing: (nodes: [Int], edges: [Int]) = ([], [])

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
            if index < publishedNodes,
               !attributes.isEmpty || (nodes[index].location.isNone && location != nil) || (nodes[index].package == nil && package != nil) {
                changedAfterPublishing.nodes.append(index)
            }
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
            if existing < publishedEdges { changedAfterPublishing.edges.append(existing) }
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


    /// Hands the nodes and edges added since the last call to `stream` (nothing without one,
    /// or once its writer stopped listening). The batch stays complete: it is still returned
    /// and written as a whole, by which time the writer has stored what was published.
    public mutating func publish() {
        guard let stream else { return }
        guard stream.isListening else {
            self.stream = nil
            return
        }
        guard nodes.count > publishedNodes || edges.count > publishedEdges else { return }
        stream.send(unpublished)
        publishedNodes = nodes.count
        publishedEdges = edges.count
    }

    /// The facts not published yet, as a chunk: what the writer stores after the last
    /// published chunk, once the batch is finished.
    public var unpublished: FactChunk {
        var text = LocationText()
        // A component's node and its `contains` edge, a dependency entry's edges: one location.
        var last = (from: LocationRange.none, to: LocationRange.none)
        func copy(_ range: LocationRange) -> LocationRange {
            if range != last.from { last = (range, text.append(range, of: locations)) }
            return last.to
        }
        var newNodes = Array(nodes[publishedNodes...])
        for index in newNodes.indices { newNodes[index].location = copy(newNodes[index].location) }
        var newEdges = Array(edges[publishedEdges...])
        for index in newEdges.indices { newEdges[index].location = copy(newEdges[index].location) }
        return FactChunk(nodeStart: publishedNodes, edgeStart: publishedEdges, nodes: newNodes, edges: newEdges, locations: text)
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
