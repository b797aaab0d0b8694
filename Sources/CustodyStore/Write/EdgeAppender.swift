import CustodyCore
import GRDB

/// Inserts a document's edges into a graph that already holds facts with one
/// `INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING id` over the batch table, rows in the
/// order of `UNIQUE(src, kind, dst, qualifier)`: SQLite runs one program over all rows
/// (no reset and rebind per row) and consecutive inserts land on neighbouring index pages.
/// Edges that already existed are not returned; the caller merges those one by one.
struct EdgeAppender {
    let db: Database
    let tables: BatchTable.Pair

    /// Inserts the edges that are new; returns, per edge of `edges`, whether it was inserted.
    func append(_ edges: [EdgeFact], nodeIDs: [Int64], documentID: Int64) throws -> [Bool] {
        var inserted = [Bool](repeating: false, count: edges.count)
        guard !edges.isEmpty else { return inserted }
        // Ids are chosen here (row r gets firstID + r) so that a returned id names its row; an
        // edge that conflicts leaves its id unused.
        let firstID = (try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM edges") ?? 0) + 1
        let order = WriteOrder.edges(edges, storedIDs: nodeIDs)
        // `WHERE true`: without it SQLite would read ON CONFLICT as a join constraint.
        let statement = try BulkStatement(db, """
            INSERT INTO edges(id, kind, src, dst, qualifier, first_seen, last_seen, certainty, attrs, document_id, location)
            SELECT id, kind, src, dst, qualifier, first_seen, last_seen, certainty, attrs, document_id, location
            FROM \(tables.edges.name) WHERE true
            ON CONFLICT(src, kind, dst, qualifier) DO NOTHING RETURNING id
            """)
        try tables.edges.withRows(EdgeRows(edges, nodeIDs: .table(nodeIDs), only: order, firstID: firstID, documentID: documentID)) {
            try statement.eachRow(db) { row in
                inserted[Int(order[Int(row.int64(0) - firstID)])] = true
            }
        }
        return inserted
    }
}
