import GRDB
import GRDBSQLite

/// Rows that a `BatchTable` shows to SQL: Swift arrays read in place, no staging copy. A class
/// (not a protocol) so that a cursor can call it through an unretained reference: SQLite asks
/// for a million column values on a large load.
class BatchRows {
    /// Number of rows.
    var rowCount: Int { 0 }

    /// Sets the result of `column` of `row` on `context` (`sqlite3_result_*`).
    func result(row: Int, column: Int32, context: OpaquePointer) {}
}

/// Facts as batch rows (`NodeRows`, `EdgeRows`): row `r` is fact `order[r]` and gets the id
/// `firstID + r`, so the caller picks the order in which SQLite sees the rows and knows each
/// row's id.
class FactRows: BatchRows {
    let order: [Int32]
    let firstID: Int64
    /// The asserting document of each fact (by fact index); none for derived facts, which
    /// then get no inline evidence.
    let documents: DocumentColumn
    /// Rows appended after the table's last id: the id column reads NULL and SQLite numbers
    /// the rows itself, which gives the same ids (`firstID` is the largest id + 1) without a
    /// search of the table for each given id (~1,300 instructions a row). The writer checks
    /// the last id afterwards (`FactWriter.checkAppended`).
    let appends: Bool

    init(order: [Int32], firstID: Int64, documents: DocumentColumn, appends: Bool) {
        self.order = order
        self.firstID = firstID
        self.documents = documents
        self.appends = appends
    }

    override var rowCount: Int { order.count }

    /// Column 0: the row's id (or its position, for lookups).
    final func resultID(row: Int, context: OpaquePointer) {
        if appends { sqlite3_result_null(context) } else { sqlite3_result_int64(context, firstID + Int64(row)) }
    }
}

/// An eponymous virtual table over Swift rows, so that a whole batch is written by one
/// `INSERT INTO nodes SELECT … FROM <table>`: SQLite keeps its cursors open and its program
/// running across rows, where a prepared `INSERT` per row opens and closes a cursor on the
/// table and each index every time (half the cost of appending 400,000 edges).
///
/// Registered once per writing connection (`Pair.register`), empty except while `withRows`
/// runs; the rows are read on the connection's own thread only.
final class BatchTable: @unchecked Sendable {
    let name: String
    let schema: String
    private var rows: BatchRows?

    private init(name: String, schema: String) {
        self.name = name
        self.schema = schema
    }

    /// The batch tables of one connection: `custody_batch_nodes`, `custody_batch_edges`,
    /// `custody_batch_evidence` and `custody_batch_widened`.
    struct Pair: Sendable {
        let nodes = BatchTable(name: "custody_batch_nodes", schema: NodeRows.schema)
        let edges = BatchTable(name: "custody_batch_edges", schema: EdgeRows.schema)
        let evidence = BatchTable(name: "custody_batch_evidence", schema: "CREATE TABLE x(\(ListColumns.evidence))")
        let widened = BatchTable(name: "custody_batch_widened", schema: "CREATE TABLE x(\(ListColumns.widened))")

        /// Adds the tables to a new connection (from `Configuration.prepareDatabase`).
        func register(on connection: OpaquePointer?) throws {
            for table in [nodes, edges, evidence, widened] {
                let owner = Unmanaged.passRetained(table)
                let code = sqlite3_create_module_v2(connection, table.name, BatchTable.module, owner.toOpaque()) { aux in
                    aux.map { Unmanaged<BatchTable>.fromOpaque($0).release() }
                }
                guard code == SQLITE_OK else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "cannot register \(table.name)")
                }
            }
        }
    }

    /// Shows `rows` while `body` runs (the SQL in `body` reads them from the table).
    func withRows<T>(_ rows: BatchRows, _ body: () throws -> T) rethrows -> T {
        self.rows = rows
        defer { self.rows = nil }
        return try body()
    }

    // MARK: - sqlite3_module

    private struct Table {
        var base = sqlite3_vtab()
        var owner: Unmanaged<BatchTable>
    }

    private struct Cursor {
        var base = sqlite3_vtab_cursor()
        var row = 0
        var count = 0
        /// The table's rows while a statement reads them (the table keeps them alive).
        var rows: Unmanaged<BatchRows>?
    }

    private static func owner(_ vtab: UnsafeMutablePointer<sqlite3_vtab>?) -> BatchTable {
        UnsafeMutableRawPointer(vtab!).assumingMemoryBound(to: Table.self).pointee.owner.takeUnretainedValue()
    }

    private static func cursor(_ cursor: UnsafeMutablePointer<sqlite3_vtab_cursor>?) -> UnsafeMutablePointer<Cursor> {
        UnsafeMutableRawPointer(cursor!).assumingMemoryBound(to: Cursor.self)
    }

    nonisolated(unsafe) private static let module: UnsafeMutablePointer<sqlite3_module> = {
        precondition(MemoryLayout<Table>.offset(of: \Table.base) == 0 && MemoryLayout<Cursor>.offset(of: \Cursor.base) == 0)
        let module = UnsafeMutablePointer<sqlite3_module>.allocate(capacity: 1)
        module.initialize(to: sqlite3_module())
        // No xCreate: eponymous only, usable by name without CREATE VIRTUAL TABLE.
        module.pointee.xConnect = { connection, aux, _, _, vtab, _ in
            let owner = Unmanaged<BatchTable>.fromOpaque(aux!)
            let code = sqlite3_declare_vtab(connection, owner.takeUnretainedValue().schema)
            guard code == SQLITE_OK else { return code }
            let table = UnsafeMutablePointer<Table>.allocate(capacity: 1)
            table.initialize(to: Table(owner: owner))
            vtab!.pointee = UnsafeMutableRawPointer(table).assumingMemoryBound(to: sqlite3_vtab.self)
            return SQLITE_OK
        }
        module.pointee.xBestIndex = { vtab, info in
            let count = BatchTable.owner(vtab).rows?.rowCount ?? 0
            info!.pointee.estimatedCost = Double(max(count, 1))
            info!.pointee.estimatedRows = Int64(count)
            return SQLITE_OK
        }
        module.pointee.xDisconnect = { vtab in
            UnsafeMutableRawPointer(vtab!).assumingMemoryBound(to: Table.self).deallocate()
            return SQLITE_OK
        }
        module.pointee.xOpen = { _, cursor in
            let new = UnsafeMutablePointer<Cursor>.allocate(capacity: 1)
            new.initialize(to: Cursor())
            cursor!.pointee = UnsafeMutableRawPointer(new).assumingMemoryBound(to: sqlite3_vtab_cursor.self)
            return SQLITE_OK
        }
        module.pointee.xClose = { cursor in
            BatchTable.cursor(cursor).deallocate()
            return SQLITE_OK
        }
        module.pointee.xFilter = { cursor, _, _, _, _ in
            let state = BatchTable.cursor(cursor)
            let rows = BatchTable.owner(cursor!.pointee.pVtab).rows
            state.pointee.row = 0
            state.pointee.count = rows?.rowCount ?? 0
            state.pointee.rows = rows.map { Unmanaged.passUnretained($0) }
            return SQLITE_OK
        }
        module.pointee.xNext = { cursor in
            BatchTable.cursor(cursor).pointee.row += 1
            return SQLITE_OK
        }
        module.pointee.xEof = { cursor in
            let state = BatchTable.cursor(cursor).pointee
            return state.row < state.count ? 0 : 1
        }
        module.pointee.xColumn = { cursor, context, column in
            let state = BatchTable.cursor(cursor).pointee
            state.rows?._withUnsafeGuaranteedRef { $0.result(row: state.row, column: column, context: context!) }
            return SQLITE_OK
        }
        module.pointee.xRowid = { cursor, rowid in
            rowid!.pointee = Int64(BatchTable.cursor(cursor).pointee.row)
            return SQLITE_OK
        }
        return module
    }()
}
