import CustodyCore
import Foundation
import GRDB
import GRDBSQLite

/// A value in a result row of ad-hoc or named SQL.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Int)  // size only: blobs are evidence bytes, never printed raw

    public var text: String? {
        switch self {
        case .null: nil
        case let .integer(value): String(value)
        case let .real(value): String(value)
        case let .text(value): value
        case let .blob(size): "<blob \(size) bytes>"
        }
    }
}

/// The result of a read-only SQL statement, with what limited it.
public struct SQLResult: Sendable {
    public var columns: [String]
    public var rows: [[SQLValue]]
    /// True when the row cap stopped the statement early.
    public var truncated: Bool
    public var elapsed: Duration
}

/// Limits for user-supplied SQL: a time limit that interrupts the statement and a row cap.
public struct SQLLimits: Sendable {
    public var timeLimit: Duration
    public var rowCap: Int

    public init(timeLimit: Duration = .seconds(10), rowCap: Int = 10_000) {
        self.timeLimit = timeLimit
        self.rowCap = rowCap
    }
}

extension CaseDatabase {
    /// Runs one read-only statement (`custody sql`, named queries). The connection is opened
    /// read-only, the statement must be read-only by SQLite's own judgement, ATTACH/PRAGMA are
    /// refused, and the statement is interrupted when it runs past `limits.timeLimit`.
    public func runReadOnly(sql: String, parameters: [String: String] = [:], limits: SQLLimits = SQLLimits()) throws -> SQLResult {
        let firstWord = sql.drop { $0.isWhitespace }.prefix { $0.isLetter }.uppercased()
        if ["ATTACH", "DETACH", "PRAGMA", "VACUUM"].contains(firstWord) {
            throw CustodyError.usage("\(firstWord) is not allowed here: custody sql runs read-only SELECT statements")
        }
        let started = ContinuousClock.now
        let deadline = DeadlineBox(ContinuousClock.now + limits.timeLimit)
        do {
            return try queue.read { db -> SQLResult in
                let statement: Statement
                do {
                    statement = try db.makeStatement(sql: sql)
                } catch let error as DatabaseError {
                    throw CustodyError.usage("SQL error: \(error.message ?? "\(error)")")
                }
                guard statement.isReadonly else {
                    throw CustodyError.usage("only read-only statements are allowed (this one would write)")
                }
                let handle = statement.sqliteStatement
                let count = sqlite3_bind_parameter_count(handle)
                var arguments: [String: (any DatabaseValueConvertible)?] = [:]
                for index in stride(from: Int32(1), through: count, by: 1) {
                    guard let cName = sqlite3_bind_parameter_name(handle, index) else {
                        throw CustodyError.usage("use :named parameters only, not ?")
                    }
                    let name = String(cString: cName)
                    let key = String(name.dropFirst())
                    guard let value = parameters[key] else {
                        throw CustodyError.usage("missing parameter \(name): pass --param \(key)=VALUE")
                    }
                    arguments[key] = value
                }
                try statement.setArguments(StatementArguments(arguments))
                let context = Unmanaged.passRetained(deadline)
                defer { context.release() }
                sqlite3_progress_handler(db.sqliteConnection, 1000, { pointer in
                    guard let pointer else { return 0 }
                    return Unmanaged<DeadlineBox>.fromOpaque(pointer).takeUnretainedValue().expired ? 1 : 0
                }, context.toOpaque())
                defer { sqlite3_progress_handler(db.sqliteConnection, 0, nil, nil) }

                var rows: [[SQLValue]] = []
                var truncated = false
                let cursor = try Row.fetchCursor(statement)
                do {
                    while let row = try cursor.next() {
                        if rows.count >= limits.rowCap {
                            truncated = true
                            break
                        }
                        rows.append(row.databaseValues.map(SQLValue.init))
                    }
                } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT {
                    throw CustodyError.usage("query stopped after the time limit of \(limits.timeLimit); narrow it or raise --time-limit")
                }
                return SQLResult(columns: statement.columnNames, rows: rows, truncated: truncated,
                                 elapsed: ContinuousClock.now - started)
            }
        } catch let error as CustodyError {
            throw error
        } catch let error as DatabaseError {
            throw CustodyError.usage("SQL error: \(error.message ?? "\(error)")")
        }
    }
}

private final class DeadlineBox: @unchecked Sendable {
    let deadline: ContinuousClock.Instant
    init(_ deadline: ContinuousClock.Instant) { self.deadline = deadline }
    var expired: Bool { ContinuousClock.now >= deadline }
}

extension SQLValue {
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case let .int64(v): self = .integer(v)
        case let .double(v): self = .real(v)
        case let .string(v): self = .text(v)
        case let .blob(v): self = .blob(v.count)
        }
    }
}
