import CustodyCore
import GRDB

/// Loads a large document into an empty graph: the first SBOM of a new case, which is also the
/// largest write custody makes (100,000 components, 400,000 edges).
///
/// Nothing can conflict with an empty graph and a `FactBatch` is already deduplicated, so the
/// rows are appended by one `INSERT … SELECT` per table from the batch tables (`BatchTable`)
/// in the order of the unique indexes (nodes by kind and key, edges by ends, kind and
/// qualifier), so that every insert appends to them; ids are chosen here, which spares a lookup
/// per edge end. The other indexes (`GraphIndexes`) are dropped first and rebuilt from the
/// loaded rows: SQLite builds an index by sorting, about three times cheaper than keeping it
/// up to date through half a million inserts in random order.
struct BulkLoader {
    /// Below this many facts the row path is as fast and no schema change is worth it.
    static let minimumFacts = 5_000

    let db: Database
    let tables: BatchTable.Pair

    /// True when `batch` is large and the graph holds no facts yet.
    static func applies(to batch: FactBatch, in db: Database) throws -> Bool {
        guard batch.nodes.count + batch.edges.count >= minimumFacts else { return false }
        let empty = try Bool.fetchOne(db, sql: """
            SELECT NOT EXISTS (SELECT 1 FROM nodes) AND NOT EXISTS (SELECT 1 FROM edges)
               AND NOT EXISTS (SELECT 1 FROM node_evidence_extra) AND NOT EXISTS (SELECT 1 FROM edge_evidence_extra)
            """)
        return empty ?? false
    }

    /// Appends every node and edge of `batch` as asserted by `documentID`; all of them are new.
    func load(_ batch: FactBatch, documentID: Int64, timer: inout PhaseTimer) throws {
        for index in GraphIndexes.rebuiltByBulkLoad { try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)") }
        let nodeOrder = WriteOrder.nodes(batch.nodes)
        var nodeIDs = [Int64](repeating: 0, count: batch.nodes.count)
        for (row, index) in nodeOrder.enumerated() { nodeIDs[Int(index)] = Int64(row) + 1 }
        timer.mark("sort nodes")
        try tables.nodes.withRows(NodeRows(batch.nodes, order: nodeOrder, documentID: documentID)) {
            try db.execute(sql: "INSERT INTO nodes(\(NodeRows.columns)) SELECT \(NodeRows.columns) FROM \(tables.nodes.name)")
        }
        timer.mark("nodes")
        let edgeOrder = WriteOrder.edges(batch.edges, nodeIDs: nodeIDs)
        timer.mark("sort edges")
        try tables.edges.withRows(EdgeRows(batch.edges, nodeIDs: nodeIDs, order: edgeOrder, firstID: 1, documentID: documentID)) {
            try db.execute(sql: "INSERT INTO edges(\(EdgeRows.columns)) SELECT \(EdgeRows.columns) FROM \(tables.edges.name)")
        }
        timer.mark("edges")
        for index in GraphIndexes.rebuiltByBulkLoad {
            try db.execute(sql: index.create)
            timer.mark(index.name)
        }
    }
}
