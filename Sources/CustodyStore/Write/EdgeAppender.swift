import CustodyCore
import GRDB

/// Inserts a batch's edges with one `INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING id`
/// over the batch table, rows in the order of `UNIQUE(src, kind, dst, qualifier)`: SQLite runs
/// one program over all rows (no reset and rebind per row) and consecutive inserts land on
/// neighbouring index pages. Edges that already existed are not returned; the caller merges
/// those one by one.
struct EdgeAppender {
    let db: Database
    let tables: BatchTable.Pair

    /// Inserts the edges that are new; returns, per edge of `edges`, its id if it was inserted
    /// and nil if it already existed.
    func append(_ edges: [EdgeFact], nodeIDs: [Int64], documentID: Int64?) throws -> [Int64?] {
        var inserted = [Int64?](repeating: nil, count: edges.count)
        guard !edges.isEmpty else { return inserted }
        // Ids are chosen here (row r gets firstID + r) so that a returned id names its row; an
        // edge that conflicts leaves its id unused.
        let firstID = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM edges") ?? 0) + 1
        let order = WriteOrder.edges(edges, nodeIDs: nodeIDs)
        // `WHERE true`: without it SQLite would read ON CONFLICT as a join constraint.
        let statement = try BulkStatement(db, """
            INSERT INTO edges(\(EdgeRows.columns)) SELECT \(EdgeRows.columns) FROM \(tables.edges.name) WHERE true
            ON CONFLICT(src, kind, dst, qualifier) DO NOTHING RETURNING id
            """)
        try tables.edges.withRows(EdgeRows(edges, nodeIDs: nodeIDs, order: order, firstID: firstID, documentID: documentID)) {
            try statement.eachRow(db) { row in
                let id = row.int64(0)
                inserted[Int(order[Int(id - firstID)])] = id
            }
        }
        return inserted
    }
}
