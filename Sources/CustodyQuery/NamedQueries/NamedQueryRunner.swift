import CustodyCore
import CustodyStore

/// One value of a named query's result, typed as SQLite returned it.
public enum QueryValue: Sendable, Equatable, Encodable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    public var text: String? {
        switch self {
        case .null: nil
        case let .integer(value): String(value)
        case let .real(value): String(value)
        case let .text(value): value
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .integer(value): try container.encode(value)
        case let .real(value): try container.encode(value)
        case let .text(value): try container.encode(value)
        }
    }
}

/// The answer of `custody query NAME`, with what limited it: `truncated` when the row cap
/// stopped it (the time limit is an error, never a silent partial answer).
public struct NamedQueryResult: Sendable {
    public var query: NamedQuery
    public var parameters: [String: String]
    public var columns: [String]
    public var rows: [[QueryValue]]
    public var truncated: Bool
    public var rowCap: Int
    public var elapsed: Duration
}

/// Runs a named query read-only (`CaseDatabase.runReadOnly`: read-only connection, read-only
/// statement, `:named` parameters only, interrupted at the time limit, capped at the row cap).
public enum NamedQueryRunner {
    public static func run(_ query: NamedQuery, parameters given: [String: String], database: CaseDatabase,
                           limits: SQLLimits) throws -> NamedQueryResult {
        let parameters = try query.arguments(given)
        let result = try database.runReadOnly(sql: query.sql, parameters: parameters, limits: limits)
        let rows = result.rows.map { row in
            row.map { value -> QueryValue in
                switch value {
                case .null: .null
                case let .integer(number): .integer(number)
                case let .real(number): .real(number)
                case let .text(text): .text(text)
                case let .blob(size): .text("<blob \(size) bytes>")
                }
            }
        }
        return NamedQueryResult(query: query, parameters: parameters, columns: result.columns, rows: rows,
                                truncated: result.truncated, rowCap: limits.rowCap, elapsed: result.elapsed)
    }
}
