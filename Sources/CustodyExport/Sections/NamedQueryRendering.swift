import CustodyQuery

/// Renders `custody query`: JSON is an object with the rows as objects and what limited the
/// run (docs/OUTPUT.md); the other formats are the rows as one table, and a row cap that was
/// hit is said in the table's footer (and on standard error by the command).
public enum NamedQueryRendering {
    struct JSONShape: Encodable {
        var query: String
        var title: String
        var parameters: [String: String]
        var columns: [String]
        var rows: [[String: QueryValue]]
        var row_count: Int
        var truncated: Bool
        var row_cap: Int
    }

    public static func render(_ result: NamedQueryResult, format: OutputFormat) -> String {
        if format == .json {
            let rows = result.rows.map { row in
                Dictionary(zip(result.columns, row).map { ($0, $1) }, uniquingKeysWith: { first, _ in first })
            }
            return JSONText.encode(JSONShape(query: result.query.name, title: result.query.title, parameters: result.parameters,
                                             columns: result.columns, rows: rows, row_count: rows.count,
                                             truncated: result.truncated, row_cap: result.rowCap)) + "\n"
        }
        let limit = format == .table ? BlastRadiusRendering.terminalRowLimit * 20 : Int.max
        let rows = result.rows.map { $0.map(\.text) }
        var table = Sections.table(result.query.name, result.columns, rows, limit: limit)
        if format == .table { table.title = nil }
        var out = format == .table ? "\(result.query.title)\n\n" : ""
        out += format.renderer.render([table])
        if format == .table, result.truncated {
            out += "  stopped at the row cap of \(result.rowCap) rows; more rows exist (raise --max-rows)\n"
        }
        return out
    }

    /// `custody query --list`.
    public static func list(_ queries: [NamedQuery], format: OutputFormat) -> String {
        let table = ResultTable(title: format == .table ? nil : "queries", columns: ["name", "topic", "parameters", "title", "origin"],
                                rows: queries.map { [$0.name, $0.topic, $0.usage, $0.title, $0.origin] })
        return format.renderer.render([table])
    }
}
