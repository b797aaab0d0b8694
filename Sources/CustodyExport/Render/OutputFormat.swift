/// The `--format` of every query-style command; names follow sqlite3's `.mode`.
public enum OutputFormat: String, Sendable, CaseIterable {
    case table
    case json
    case jsonl
    case csv
    case markdown
}

/// Rows with named columns: what every non-JSON rendering is made from.
public struct ResultTable: Sendable, Equatable {
    public var title: String?
    public var columns: [String]
    public var rows: [[String?]]
    /// Rows left out of a terminal rendering (summarized as "+N more"); JSON is never cut.
    public var omitted: Int

    public init(title: String? = nil, columns: [String], rows: [[String?]], omitted: Int = 0) {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.omitted = omitted
    }
}

/// Renders tables in one output format. One implementation per format, chosen by
/// `OutputFormat.renderer`.
public protocol TableRenderer: Sendable {
    func render(_ tables: [ResultTable]) -> String
}

extension OutputFormat {
    /// The renderer for tabular output (`json` renders tables as arrays of objects).
    public var renderer: any TableRenderer {
        switch self {
        case .table: TextTableRenderer()
        case .markdown: MarkdownRenderer()
        case .csv: CSVRenderer()
        case .jsonl: JSONLinesRenderer()
        case .json: JSONTableRenderer()
        }
    }
}
