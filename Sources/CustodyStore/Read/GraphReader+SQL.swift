import CustodyCore
import GRDB

extension GraphReader {
    /// Plain rows for derivations and named queries that need SQL the typed methods do not
    /// cover. Arguments are positional; values come back as `SQLValue`.
    public func rows(_ sql: String, _ arguments: [SQLValue] = []) throws -> [[SQLValue]] {
        let values: [DatabaseValue] = arguments.map {
            switch $0 {
            case .null, .blob: DatabaseValue.null
            case let .integer(v): v.databaseValue
            case let .real(v): v.databaseValue
            case let .text(v): v.databaseValue
            }
        }
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(values)).map { row in
            row.databaseValues.map(SQLValue.init)
        }
    }
}

extension SQLValue {
    public var int64: Int64? {
        if case let .integer(value) = self { return value }
        return nil
    }

    public var timestamp: Timestamp? { int64.map(Timestamp.init(nanosecondsSinceEpoch:)) }
}
