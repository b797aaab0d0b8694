import GRDB
import GRDBSQLite

/// One row of a statement being stepped, read straight from SQLite (no per-row copies).
/// Valid only inside the `forEachRow` callback that received it.
public struct RawRow {
    let handle: OpaquePointer

    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    public func int64(_ column: Int32) -> Int64? {
        isNull(column) ? nil : sqlite3_column_int64(handle, column)
    }

    public func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// The text of a column as UTF-8 bytes, without building a `String`; nil for NULL.
    public func withUTF8<Result>(_ column: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result? {
        guard let pointer = sqlite3_column_text(handle, column) else { return nil }
        return try body(UnsafeBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column))))
    }
}

extension GraphReader {
    /// Runs `sql` and hands each row to `body` as it is stepped. For traversals that read
    /// tens of thousands of edges per question: the statement is compiled once per connection
    /// (cached) and rows are not materialized (`rows(_:_:)` copies every value of every row,
    /// which dominates a large blast radius). Arguments are positional.
    public func forEachRow(_ sql: String, _ arguments: [SQLValue] = [], _ body: (RawRow) throws -> Void) throws {
        let statement = try db.cachedStatement(sql: sql)
        let values: [DatabaseValue] = arguments.map {
            switch $0 {
            case .null, .blob: DatabaseValue.null
            case let .integer(v): v.databaseValue
            case let .real(v): v.databaseValue
            case let .text(v): v.databaseValue
            }
        }
        try statement.setArguments(StatementArguments(values))
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
            }
            try body(RawRow(handle: handle))
        }
    }
}
