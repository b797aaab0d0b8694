import GRDB
import GRDBSQLite

/// A prepared statement driven through the SQLite C API for bulk writes. GRDB prepares and
/// owns it; binding and stepping directly avoids building a `StatementArguments` array per
/// row, which is most of the cost when a 100,000-component SBOM writes half a million rows.
struct BulkStatement {
    let statement: Statement
    private var handle: OpaquePointer { statement.sqliteStatement }

    init(_ db: Database, _ sql: String) throws {
        statement = try db.makeStatement(sql: sql)
    }

    func bind(_ index: Int32, _ text: String) {
        var text = text
        text.withUTF8 { buffer in
            // A null pointer would bind SQL NULL, not the empty string.
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return _ = sqlite3_bind_text(handle, index, "", 0, nil) }
            _ = sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                                  Int32(buffer.count), transientDestructor)
        }
    }

    func bind(_ index: Int32, _ text: String?) {
        if let text { bind(index, text) } else { _ = sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: Int64) {
        _ = sqlite3_bind_int64(handle, index, value)
    }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { bind(index, value) } else { _ = sqlite3_bind_null(handle, index) }
    }

    /// Binds a blob and runs the statement while the bytes are pinned (no copy of a 15 MB
    /// document inside SQLite); returns column 0 of the first row, like `step`.
    func stepBinding(_ index: Int32, blob: [UInt8], _ db: Database) throws -> Int64? {
        try blob.withUnsafeBytes { buffer in
            _ = sqlite3_bind_blob64(handle, index, buffer.baseAddress, sqlite3_uint64(buffer.count), nil)
            defer { _ = sqlite3_bind_null(handle, index) }
            return try step(db)
        }
    }

    /// Steps once; returns column 0 as an integer when the statement produced a row.
    @discardableResult
    func step(_ db: Database) throws -> Int64? {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW:
            let value = sqlite3_column_int64(handle, 0)
            // Drain so that RETURNING statements complete before reset.
            while sqlite3_step(handle) == SQLITE_ROW {}
            return value
        case SQLITE_DONE:
            return nil
        default:
            throw error(db, code)
        }
    }

    /// Steps through every row, handing each to `read`, then resets.
    func eachRow(_ db: Database, _ read: (Row) -> Void) throws {
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            switch code {
            case SQLITE_ROW: read(Row(handle: handle))
            case SQLITE_DONE: return
            default: throw error(db, code)
            }
        }
    }

    /// Steps once and hands the first row (if any) to `read` before the statement is reset.
    func firstRow<T>(_ db: Database, _ read: (Row) -> T) throws -> T? {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return read(Row(handle: handle))
        case SQLITE_DONE: return nil
        default: throw error(db, code)
        }
    }

    private func error(_ db: Database, _ code: Int32) -> DatabaseError {
        let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }

    /// The current row of a stepped statement; valid only inside `firstRow`.
    struct Row {
        let handle: OpaquePointer

        func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

        func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

        func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

        func text(_ column: Int32) -> String? {
            guard let pointer = sqlite3_column_text(handle, column) else { return nil }
            let count = Int(sqlite3_column_bytes(handle, column))
            return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
        }
    }
}

/// SQLite copies bound values (SQLITE_TRANSIENT), so Swift buffers may go away after binding.
private let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
