import Foundation

/// One JSON object per row per line; a `section` field names the table.
public struct JSONLinesRenderer: TableRenderer {
    public init() {}

    public func render(_ tables: [ResultTable]) -> String {
        var out = ""
        for table in tables {
            for row in table.rows {
                var object: [String: String?] = [:]
                if let title = table.title { object["section"] = title }
                for (index, column) in table.columns.enumerated() where index < row.count {
                    object[column] = row[index]
                }
                out += JSONText.encode(object, pretty: false) + "\n"
            }
        }
        return out
    }
}

/// Tables as a JSON object of arrays of objects (for commands without a richer JSON shape).
public struct JSONTableRenderer: TableRenderer {
    public init() {}

    public func render(_ tables: [ResultTable]) -> String {
        var object: [String: [[String: String?]]] = [:]
        for (index, table) in tables.enumerated() {
            object[table.title ?? "rows\(index)"] = table.rows.map { row in
                Dictionary(uniqueKeysWithValues: zip(table.columns, row).map { ($0, $1) })
            }
        }
        return JSONText.encode(object, pretty: true) + "\n"
    }
}

/// Stable JSON text: sorted keys, no escaped slashes, nulls kept.
public enum JSONText {
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = true) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}
