/// The documents behind the edges of an answer's paths: each document once, and each edge's
/// as positions in that list. A large answer renders ~10,000 edges backed by a handful of
/// documents; a dictionary of document arrays by edge id, and the documents then matched by
/// hash, cost a fourth of building its paths.
struct EdgeEvidence {
    /// Every document behind the edges, once each.
    let documents: [DocumentLink]
    /// Per edge (by its position in the list given), where its positions in `documents`
    /// start in `positions`; one more entry for the end of the last.
    private let starts: [Int]
    /// The edges' documents, edge after edge, each edge's sorted by hash.
    private let positions: [Int]

    /// The positions in `documents` of the documents of the edge at `index`, sorted by hash.
    func documents(ofEdgeAt index: Int) -> ArraySlice<Int> { positions[starts[index]..<starts[index + 1]] }

    fileprivate init(documents: [DocumentLink], perEdge: [[Int]]) {
        self.documents = documents
        var starts = [0]
        starts.reserveCapacity(perEdge.count + 1)
        var positions: [Int] = []
        for edge in perEdge {
            positions += edge
            starts.append(positions.count)
        }
        self.starts = starts
        self.positions = positions
    }

    fileprivate init(documents: [DocumentLink], single: [Int]) {
        self.documents = documents
        var starts = [0]
        starts.reserveCapacity(single.count + 1)
        var positions: [Int] = []
        positions.reserveCapacity(single.count)
        for position in single {
            if position >= 0 { positions.append(position) }
            starts.append(positions.count)
        }
        self.starts = starts
        self.positions = positions
    }
}

extension GraphAccess {
    /// The documents behind edges this query read, which carry their first document
    /// (`Edge.documentID`): only the further ones are read, from `edge_evidence_extra` (a
    /// large blast radius used to read every edge row of its paths a second time here).
    /// Locations are not read: answers show documents, not where in them. A link to a
    /// document that is not stored is left out.
    func evidence(of edges: [Edge]) throws -> EdgeEvidence {
        var extra: [(edge: Int, document: Int64)] = []
        if !edges.isEmpty, try hasExtraEvidence() {
            let index = Dictionary(edges.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
            try reader.forEachRow("SELECT edge_id, document_id FROM edge_evidence_extra WHERE edge_id IN (SELECT value FROM json_each(?))",
                                  [.text(Self.jsonList(edges.lazy.map(\.id)))]) { row in
                if let edge = row.int64(0).flatMap({ index[$0] }), let document = row.int64(1) { extra.append((edge, document)) }
            }
        }
        try loadDocuments(edges.lazy.compactMap(\.documentID) + extra.map(\.document))
        var documents: [DocumentLink] = []
        var position: [Int64: Int] = [:]
        /// The document's position in `documents`, nil if it is not stored.
        func place(_ id: Int64) -> Int? {
            if let known = position[id] { return known }
            guard let document = document(id) else { return nil }
            position[id] = documents.count
            documents.append(document)
            return documents.count - 1
        }
        let single = edges.map { edge in edge.documentID.flatMap(place) ?? -1 }
        guard !extra.isEmpty else { return EdgeEvidence(documents: documents, single: single) }
        var perEdge = single.map { $0 >= 0 ? [$0] : [] }
        for link in extra { if let at = place(link.document) { perEdge[link.edge].append(at) } }
        for index in perEdge.indices where perEdge[index].count > 1 {
            perEdge[index].sort { documents[$0].sha256 < documents[$1].sha256 }
        }
        return EdgeEvidence(documents: documents, perEdge: perEdge)
    }
}
