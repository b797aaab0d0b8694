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
            _ = sqlite3_bind_text(handle, index, buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) },
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

    func bind(_ index: Int32, blob: [UInt8]) {
        blob.withUnsafeBytes { buffer in
            _ = sqlite3_bind_blob64(handle, index, buffer.baseAddress, sqlite3_uint64(buffer.count), transientDestructor)
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
            let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
        }
    }
}

/// SQLite copies bound values (SQLITE_TRANSIENT), so Swift buffers may go away after binding.
private let transientDestructor = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
