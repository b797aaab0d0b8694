import CustodyCore

/// The facts of several documents merged in memory before one write (`GroupWriter`): a node or
/// edge that many documents assert — the same base-image packages in a fleet of SBOMs, the same
/// Deployment in every snapshot — is looked up and written once per group instead of once per
/// document, and its rows reach SQLite sorted together, so each index page is touched once.
///
/// A merged fact keeps the values the first document gave it (its location is that document's,
/// its inline evidence if it is new) and merges the later ones by `FactBatch`'s rules: node
/// attributes by `NodeAttributes.merge`, intervals widen, `recorded` wins. Each later assertion is kept as an
/// `Occurrence`, which becomes an evidence link. Merging in document order gives exactly what
/// writing the documents one after the other would.
struct GroupFacts: Sendable {
    /// Where a fact was asserted, beyond its first document: an evidence link to write.
    struct Occurrence {
        var fact: Int32
        var documentID: Int64
        /// In `locations`.
        var location: LocationRange
    }

    /// The text of the locations of `nodes`, `edges` and the occurrences.
    var locations = LocationText()
    var nodes: [NodeFact] = []
    /// The first asserting document of each node; `nil` for all of them (derived facts) or
    /// for none.
    var nodeDocuments = DocumentColumn.none
    var nodeOccurrences: [Occurrence] = []
    /// Edges whose `from`/`to` index `nodes`.
    var edges: [EdgeFact] = []
    var edgeDocuments = DocumentColumn.none
    var edgeOccurrences: [Occurrence] = []

    /// One document's facts as they are (a `FactBatch` is deduplicated already).
    init(batch: FactBatch, documentID: Int64) {
        locations = batch.locations
        nodes = batch.nodes
        edges = batch.edges
        nodeDocuments = .all(documentID)
        edgeDocuments = .all(documentID)
    }

    /// Derived facts: no node evidence; each edge cites the documents it was derived from, all
    /// as evidence links (no inline document).
    init(derived batch: FactBatch, edgeEvidence: [[Int64]], location: String) {
        locations = batch.locations
        nodes = batch.nodes
        edges = batch.edges
        edgeOccurrences.reserveCapacity(edgeEvidence.reduce(0) { $0 + $1.count })
        let location = locations.append(location)
        for (index, documents) in edgeEvidence.enumerated() {
            for documentID in documents {
                edgeOccurrences.append(Occurrence(fact: Int32(index), documentID: documentID, location: location))
            }
        }
    }

    /// Several documents' facts, merged; `documents[i]` asserted `batches[i]` (stored ids, or
    /// positions in the group to be replaced by `resolvingDocuments`). One document's batch
    /// is taken as it is.
    static func merging(_ batches: [FactBatch], documents: [Int64]) -> GroupFacts {
        precondition(batches.count == documents.count)
        return batches.count == 1 ? GroupFacts(batch: batches[0], documentID: documents[0])
            : GroupFacts(mergingSeveral: batches, documents: documents)
    }

    private init(mergingSeveral batches: [FactBatch], documents: [Int64]) {
        var firstNodeDocuments: [Int64] = []
        var firstEdgeDocuments: [Int64] = []
        var nodeIndex: [NodeRef: Int32] = [:]
        var edgeIndex: [EdgeIdentity: Int32] = [:]
        var packedEdgeIndex: [UInt64: Int32] = [:]
        for (batch, documentID) in zip(batches, documents) {
            var local = [Int32]()
            local.reserveCapacity(batch.nodes.count)
            for node in batch.nodes {
                if let index = nodeIndex[node.ref] {
                    if !node.attributes.isEmpty { NodeAttributes.merge(node.attributes, into: &nodes[Int(index)].attributes) }
                    if nodes[Int(index)].package == nil { nodes[Int(index)].package = node.package }
                    nodeOccurrences.append(Occurrence(fact: index, documentID: documentID,
                                                      location: locations.append(node.location, of: batch.locations)))
                    local.append(index)
                } else {
                    let index = Int32(nodes.count)
                    nodeIndex[node.ref] = index
                    var node = node
                    node.location = locations.append(node.location, of: batch.locations)
                    nodes.append(node)
                    firstNodeDocuments.append(documentID)
                    local.append(index)
                }
            }
            // Field by field, not `for edge in batch.edges`: most edges repeat, and a copy of
            // each would retain and release its strings and attributes for nothing.
            for position in batch.edges.indices {
                let from = local[Int(batch.edges[position].from)], to = local[Int(batch.edges[position].to)]
                let kind = batch.edges[position].kind
                // Unqualified edges (nearly all) by one packed integer, like `FactBatch`.
                let packed = batch.edges[position].qualifier.isEmpty && from < 1 << 28 && to < 1 << 28
                let key = packed ? kind.packed(from, to) : 0
                let identity = packed ? nil : EdgeIdentity(from: from, to: to, kind: kind, qualifier: batch.edges[position].qualifier)
                if let index = packed ? packedEdgeIndex[key] : edgeIndex[identity!] {
                    edges[Int(index)].widen(with: batch.edges[position])
                    edgeOccurrences.append(Occurrence(fact: index, documentID: documentID,
                                                      location: locations.append(batch.edges[position].location, of: batch.locations)))
                } else {
                    if let identity { edgeIndex[identity] = Int32(edges.count) } else { packedEdgeIndex[key] = Int32(edges.count) }
                    var edge = batch.edges[position]
                    edge.from = from
                    edge.to = to
                    edge.location = locations.append(edge.location, of: batch.locations)
                    edges.append(edge)
                    firstEdgeDocuments.append(documentID)
                }
            }
        }
        nodeDocuments = .each(firstNodeDocuments)
        edgeDocuments = .each(firstEdgeDocuments)
    }

    /// The same facts with document `i` (a position given to `merging(_:documents:)`)
    /// replaced by `ids[i]`.
    func resolvingDocuments(_ ids: [Int64]) -> GroupFacts {
        var resolved = self
        resolved.nodeDocuments = nodeDocuments.mapping(ids)
        resolved.edgeDocuments = edgeDocuments.mapping(ids)
        for index in resolved.nodeOccurrences.indices {
            resolved.nodeOccurrences[index].documentID = ids[Int(nodeOccurrences[index].documentID)]
        }
        for index in resolved.edgeOccurrences.indices {
            resolved.edgeOccurrences[index].documentID = ids[Int(edgeOccurrences[index].documentID)]
        }
        return resolved
    }


    /// An edge's identity within the group: ends (group node indexes), kind and qualifier.
    private struct EdgeIdentity: Hashable {
        var ends: UInt64
        var kind: EdgeKind
        var qualifier: String

        init(from: Int32, to: Int32, kind: EdgeKind, qualifier: String) {
            ends = UInt64(UInt32(bitPattern: from)) << 32 | UInt64(UInt32(bitPattern: to))
            self.kind = kind
            self.qualifier = qualifier
        }
    }
}

/// The document id column of batch rows: the same for every row, or one per fact.
enum DocumentColumn: Sendable {
    case none
    case all(Int64)
    case each([Int64])

    subscript(index: Int) -> Int64? {
        switch self {
        case .none: nil
        case let .all(id): id
        case let .each(ids): ids[index]
        }
    }

    /// Position `i` replaced by `ids[i]`.
    func mapping(_ ids: [Int64]) -> DocumentColumn {
        switch self {
        case .none: .none
        case let .all(position): .all(ids[Int(position)])
        case let .each(positions): .each(positions.map { ids[Int($0)] })
        }
    }
}

/// Facts of several documents merged ahead of their write (on the thread that prepares the
/// documents, while the previous group is written): `WriteSession.ingest(group:merged:)`.
public struct MergedFacts: Sendable {
    let facts: GroupFacts
    /// The sha256 of the documents merged, in order.
    let documents: [String]

    /// Merges the facts `batches[i]` of the document with sha256 `documents[i]`.
    public init(merging batches: [FactBatch], documents: [String]) {
        precondition(batches.count == documents.count)
        self.documents = documents
        facts = GroupFacts.merging(batches, documents: batches.indices.map(Int64.init))
    }
}

extension EdgeFact {
    /// Merges a later assertion of the same edge into this one (`FactBatch`'s rules).
    mutating func widen(with later: EdgeFact) {
        firstSeen = firstSeen.earliest(later.firstSeen)
        lastSeen = lastSeen.latest(later.lastSeen)
        certainty = max(certainty, later.certainty)
        if !later.attributes.isEmpty {
            attributes.merge(later.attributes) { old, _ in old }
        }
    }
}
