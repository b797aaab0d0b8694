import CustodyCore
import GRDB
import GRDBSQLite

/// Writes a group of facts (`GroupFacts`) set-based, each step one SQL statement over a batch
/// table (`BatchTable`) in index order:
///
/// 1. look up which nodes are stored already (skipped on an empty graph), insert the others
///    with ids chosen here;
/// 2. the same for edges, looking up only those whose two ends were stored before (an edge to
///    a new node cannot exist yet: in a fleet of SBOMs, every `contains` edge of the new image);
/// 3. merge into stored facts what the group adds to them (`StoredFactMerges`, only when
///    something changes), and link them, and every later assertion, to their documents.
///
/// Into an empty graph with many facts (the first SBOM of a case, the first group of a
/// fleet), the secondary indexes are dropped first and rebuilt by sorting afterwards
/// (`GraphIndexes`): about three times cheaper than maintaining them through half a million
/// inserts in random order. When more documents follow in the same run, the rebuild waits for
/// the end of the run (`CaseDatabase.restoreIndexes`): the writes never read those indexes.
/// The unique indexes are the identity of facts and stay; rows are inserted in their order.
struct FactWriter {
    /// Below this many facts, keeping the indexes is as fast and no schema change is worth it.
    static let bulkMinimumFacts = 5_000

    let db: Database
    let tables: BatchTable.Pair

    /// Stored ids of the group's facts, and which of them this write added.
    struct Written {
        var nodeIDs: [Int64]
        var edgeIDs: [Int64]
        var nodeAdded: [Bool]
        var edgeAdded: [Bool]
    }

    /// Writes `facts` without an edge cache (derived facts, tests).
    func write(_ facts: GroupFacts, deferIndexes: Bool = false, timer: inout PhaseTimer) throws -> Written {
        var none = EdgeIdentityCache()
        return try write(facts, deferIndexes: deferIndexes, edgeCache: &none, timer: &timer)
    }

    /// - Parameters:
    ///   - deferIndexes: leave dropped indexes for `CaseDatabase.restoreIndexes`.
    ///   - edgeCache: edges of the run known already; updated with what this write stores.
    func write(_ facts: GroupFacts, deferIndexes: Bool = false, edgeCache: inout EdgeIdentityCache,
               timer: inout PhaseTimer) throws -> Written {
        let empty = try Self.graphIsEmpty(db)
        if empty {
            // Nothing stored: from here, every edge this run records is every edge there is.
            if edgeCache.recording { edgeCache.startComplete() } else { edgeCache.removeAll() }
        }
        let bulk = empty && facts.nodes.count + facts.edges.count >= Self.bulkMinimumFacts
        if bulk {
            try GraphIndexes.dropRebuilt(db)
        }
        var merges = try StoredFactMerges(db: db)
        let nodeOrder = WriteOrder.nodes(facts.nodes)
        let edgeOrder = empty ? Self.orderEdgesAside(facts.edges, nodeOrder: nodeOrder) : nil
        let nodes = try writeNodes(facts, order: nodeOrder, lookUp: !empty, merges: &merges)
        timer.mark("nodes")
        let edges = try writeEdges(facts, nodeIDs: nodes.ids, nodeAdded: nodes.added, lookUp: !empty, merges: &merges,
                                   edgeCache: &edgeCache, presorted: edgeOrder, timer: &timer)
        try link(facts.nodes.count, facts.nodeDocuments, facts.nodeOccurrences, ids: nodes.ids, added: nodes.added,
                 locations: facts.locations, location: { facts.nodes[$0].location },
                 into: "node_evidence_extra(node_id, document_id, location)")
        timer.mark("node evidence")
        try link(facts.edges.count, facts.edgeDocuments, facts.edgeOccurrences, ids: edges.ids, added: edges.added,
                 locations: facts.locations, location: { facts.edges[$0].location },
                 into: "edge_evidence_extra(edge_id, document_id, location)")
        timer.mark("edge evidence")
        if bulk, !deferIndexes { try GraphIndexes.createRebuilt(db, timer: &timer) }
        return Written(nodeIDs: nodes.ids, edgeIDs: edges.ids, nodeAdded: nodes.added, edgeAdded: edges.added)
    }

    /// Into an empty graph, node `order[r]` gets the id `r + 1`: the edges' write order,
    /// which depends on those ids, is worked out on the other core while the nodes are
    /// written. `writeEdges` uses it only if the nodes did get those ids.
    private static func orderEdgesAside(_ edges: [EdgeFact], nodeOrder: [Int32])
        -> (order: Background<[Int32]>, nodeIDs: [Int64])? {
        guard edges.count >= bulkMinimumFacts else { return nil }
        var ids = [Int64](repeating: 0, count: nodeOrder.count)
        for (row, index) in nodeOrder.enumerated() { ids[Int(index)] = Int64(row) + 1 }
        return (Background { [ids] in WriteOrder.edges(edges, nodeIDs: ids) }, ids)
    }

    /// No node, edge or evidence link stored (documents may be: they can assert nothing).
    static func graphIsEmpty(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: """
            SELECT NOT EXISTS (SELECT 1 FROM nodes) AND NOT EXISTS (SELECT 1 FROM edges)
               AND NOT EXISTS (SELECT 1 FROM node_evidence_extra) AND NOT EXISTS (SELECT 1 FROM edge_evidence_extra)
            """) ?? false
    }

    /// Finds the stored nodes, merges attributes into them, inserts the rest.
    /// `order`: the nodes in `WriteOrder.nodes` order.
    private func writeNodes(_ facts: GroupFacts, order: [Int32], lookUp: Bool, merges: inout StoredFactMerges) throws
        -> (ids: [Int64], added: [Bool]) {
        var ids = [Int64](repeating: 0, count: facts.nodes.count)
        if lookUp {
            // The stored attributes only where there are new ones to merge: otherwise the
            // unique index answers alone (SQLite reads the row only for a column it lacks).
            let lookup = try BulkStatement(db, """
                SELECT b.id, n.id, CASE WHEN b.attrs IS NOT NULL THEN n.attrs END
                FROM \(tables.nodes.name) AS b CROSS JOIN nodes AS n ON n.kind = b.kind AND n.key = b.key
                """)
            var stored: [(index: Int, attributes: String?)] = []
            try tables.nodes.withRows(NodeRows(facts.nodes, locations: facts.locations, order: order, firstID: 0, documents: .none)) {
                try lookup.eachRow(db) { row in
                    let index = Int(order[Int(row.int64(0))])
                    ids[index] = row.int64(1)
                    stored.append((index, row.text(2)))
                }
            }
            for (index, attributes) in stored {
                try merges.mergeAttributes(of: ids[index], stored: attributes, with: facts.nodes[index].attributes)
            }
        }
        let newOrder = lookUp ? order.filter { ids[Int($0)] == 0 } : order
        var added = [Bool](repeating: false, count: facts.nodes.count)
        if !newOrder.isEmpty {
            let firstID = try nextID(in: "nodes")
            try append(NodeRows(facts.nodes, locations: facts.locations, order: newOrder, firstID: firstID,
                                documents: facts.nodeDocuments, appends: true))
            for (row, index) in newOrder.enumerated() {
                ids[Int(index)] = firstID + Int64(row)
                added[Int(index)] = true
            }
        }
        return (ids, added)
    }

    /// Finds the stored edges among those between stored nodes (in `edgeCache`, then in
    /// SQLite), widens them, inserts the rest.
    private func writeEdges(_ facts: GroupFacts, nodeIDs: [Int64], nodeAdded: [Bool], lookUp: Bool,
                            merges: inout StoredFactMerges, edgeCache: inout EdgeIdentityCache,
                            presorted: (order: Background<[Int32]>, nodeIDs: [Int64])?,
                            timer: inout PhaseTimer) throws -> (ids: [Int64], added: [Bool]) {
        var ids = [Int64](repeating: 0, count: facts.edges.count)
        func record(_ index: Int, id: Int64, state: StoredFactMerges.EdgeState) {
            let edge = facts.edges[index]
            edgeCache.record(src: nodeIDs[Int(edge.from)], kind: edge.kind, dst: nodeIDs[Int(edge.to)], qualifier: edge.qualifier,
                             id: id, state: state)
        }
        if lookUp {
            var candidates: [Int32] = []
            // `cached`: the state came from the cache (recorded again only if it changes).
            var stored: [(index: Int, state: StoredFactMerges.EdgeState, cached: Bool)] = []
            for (index, edge) in facts.edges.enumerated() where !nodeAdded[Int(edge.from)] && !nodeAdded[Int(edge.to)] {
                switch edgeCache.find(src: nodeIDs[Int(edge.from)], kind: edge.kind, dst: nodeIDs[Int(edge.to)], qualifier: edge.qualifier) {
                case let .stored(entry):
                    ids[index] = entry.id
                    stored.append((index, entry.state, true))
                case .new:
                    break
                case .unknown:
                    candidates.append(Int32(index))
                }
            }
            timer.mark("edge cache")
            if !candidates.isEmpty {
                let order = WriteOrder.edges(facts.edges, nodeIDs: nodeIDs, among: candidates)
                let lookup = try BulkStatement(db, """
                    SELECT b.id, e.id, e.first_seen, e.last_seen, e.certainty FROM \(tables.edges.name) AS b
                    CROSS JOIN edges AS e ON e.src = b.src AND e.kind = b.kind AND e.dst = b.dst AND e.qualifier = b.qualifier
                    """)
                try tables.edges.withRows(EdgeRows(facts.edges, locations: facts.locations, nodeIDs: nodeIDs, order: order, firstID: 0, documents: .none)) {
                    try lookup.eachRow(db) { row in
                        let index = Int(order[Int(row.int64(0))])
                        ids[index] = row.int64(1)
                        stored.append((index, .init(firstSeen: row.optionalInt64(2), lastSeen: row.optionalInt64(3), certainty: row.text(4)), false))
                    }
                }
                timer.mark("edge lookup")
            }
            if !stored.isEmpty {
                for (index, state, cached) in stored {
                    let after = try merges.widen(ids[index], stored: state, with: facts.edges[index])
                    if cached ? after != state : edgeCache.recording {
                        record(index, id: ids[index], state: after)
                    }
                }
                try merges.flushWidened(into: tables.widened)
                timer.mark("edge merges")
            }
        }
        var added = [Bool](repeating: false, count: facts.edges.count)
        let newEdges = lookUp ? facts.edges.indices.filter { ids[$0] == 0 }.map(Int32.init) : nil
        let order = if !lookUp, let presorted, presorted.nodeIDs == nodeIDs {
            presorted.order.wait()
        } else {
            WriteOrder.edges(facts.edges, nodeIDs: nodeIDs, among: newEdges)
        }
        if !order.isEmpty {
            let firstID = try nextID(in: "edges")
            try append(EdgeRows(facts.edges, locations: facts.locations, nodeIDs: nodeIDs, order: order, firstID: firstID,
                                documents: facts.edgeDocuments, appends: true))
            for (row, index) in order.enumerated() {
                ids[Int(index)] = firstID + Int64(row)
                added[Int(index)] = true
            }
        }
        timer.mark("edge inserts")
        // Also when not recording: an edge stored without being recorded ends completeness.
        if edgeCache.recording || edgeCache.complete, !order.isEmpty {
            for index in order {
                let edge = facts.edges[Int(index)]
                record(Int(index), id: ids[Int(index)], state: .init(firstSeen: edge.firstSeen?.nanosecondsSinceEpoch,
                                                                     lastSeen: edge.lastSeen?.nanosecondsSinceEpoch,
                                                                     certainty: edge.certainty.rawValue))
            }
            timer.mark("edge cache records")
        }
        return (ids, added)
    }

    /// Evidence links for facts that were stored before (their first document of this group)
    /// and for every later assertion in the group, sorted by the table's primary key.
    private func link(_ count: Int, _ documents: DocumentColumn, _ occurrences: [GroupFacts.Occurrence],
                      ids: [Int64], added: [Bool], locations: LocationText, location: (Int) -> LocationRange,
                      into table: String) throws {
        let links = EvidenceRows.Builder(capacity: occurrences.count + count, locations: locations)
        for index in 0..<count where !added[index] {
            if let documentID = documents[index] { links.append(subject: ids[index], documentID: documentID, location: location(index)) }
        }
        for occurrence in occurrences {
            links.append(subject: ids[Int(occurrence.fact)], documentID: occurrence.documentID, location: occurrence.location)
        }
        guard !links.isEmpty else { return }
        let rows = links.sorted()
        try tables.evidence.withRows(rows) {
            try db.execute(sql: "INSERT OR IGNORE INTO \(table) SELECT \(ListColumns.evidence) FROM \(tables.evidence.name)")
        }
    }

    /// Appends `rows` (numbered from their `firstID`, `FactRows.appends`) to `nodes`, and
    /// checks that SQLite numbered them so.
    func append(_ rows: NodeRows) throws {
        try tables.nodes.withRows(rows) {
            try db.cachedStatement(sql: "INSERT INTO nodes(\(NodeRows.columns)) SELECT \(NodeRows.columns) FROM \(tables.nodes.name)").execute()
        }
        try checkAppended(rows.rowCount, from: rows.firstID, to: "nodes")
    }

    /// `append` for `edges`.
    func append(_ rows: EdgeRows) throws {
        try tables.edges.withRows(rows) {
            try db.cachedStatement(sql: "INSERT INTO edges(\(EdgeRows.columns)) SELECT \(EdgeRows.columns) FROM \(tables.edges.name)").execute()
        }
        try checkAppended(rows.rowCount, from: rows.firstID, to: "edges")
    }

    /// Checks that SQLite numbered `count` appended rows `first`, `first + 1`, … as the ids
    /// already handed out assume (`FactRows.appends`); it always does for a table whose
    /// largest id was `first - 1`. A mismatch rolls the document back instead of storing
    /// evidence links to the wrong facts.
    private func checkAppended(_ count: Int, from first: Int64, to table: String) throws {
        let last = db.lastInsertedRowID
        guard last == first + Int64(count) - 1 else {
            throw CustodyError(.internalError, "\(table): SQLite numbered the new rows up to \(last), expected \(first + Int64(count) - 1)")
        }
    }

    /// The id the next appended row gets (ids are chosen here so that row `r` of a batch gets
    /// `first + r` and no id has to be read back).
    private func nextID(in table: String) throws -> Int64 {
        (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM \(table)") ?? 0) + 1
    }
}
