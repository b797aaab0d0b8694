/// Aligned columns for a terminal. Values are escaped (`TerminalSafe`) and long tables are
/// summarized with "+N more".
public struct TextTableRenderer: TableRenderer {
    public init() {}

    public func render(_ tables: [ResultTable]) -> String {
        tables.map(renderOne).joined(separator: "\n")
    }

    /// Appends `value` padded with spaces to `length`, as Foundation's
    /// `padding(toLength:withPad:startingAt:)` pads it (which counts UTF-16 units, and cuts a
    /// longer value): ASCII directly (one unit per character; Foundation's cost ~8,000
    /// instructions per cell), anything else through Foundation.
    static func appendPadded(_ value: String, to length: Int, to out: inout String) {
        let units = value.utf8.count
        guard units <= length, value.utf8.allSatisfy({ $0 < 0x80 }) else {
            out += value.padding(toLength: length, withPad: " ", startingAt: 0)
            return
        }
        out += value
        var missing = length - units
        while missing > 0 {
            let piece = min(missing, spaces.utf8.count)
            out += spaces[..<spaces.utf8.index(spaces.startIndex, offsetBy: piece)]
            missing -= piece
        }
    }

    private static let spaces = String(repeating: " ", count: 80)

    private func renderOne(_ table: ResultTable) -> String {
        var out = ""
        if let title = table.title { out += "\(title) (\(table.rows.count + table.omitted))\n" }
        if table.rows.isEmpty {
            return out + (table.omitted > 0 ? "  +\(table.omitted) more\n" : "  (none)\n")
        }
        let cells = table.rows.map { $0.map { TerminalSafe.escape($0 ?? "-") } }
        var widths = table.columns.map(\.count)
        for row in cells {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], min(cell.count, 80))
            }
        }
        func line(_ values: [String]) -> String {
            var out = "  "
            for (index, value) in values.enumerated() {
                if index > 0 { out += "  " }
                if index == values.count - 1 {
                    out += value
                } else {
                    let count = value.count
                    Self.appendPadded(value, to: max(index < widths.count ? widths[index] : count, count), to: &out)
                }
            }
            return out
        }
        out += line(table.columns.map { $0.uppercased() }) + "\n"
        for row in cells { out += line(row) + "\n" }
        if table.omitted > 0 { out += "  +\(table.omitted.formatted()) more (use --format json for all)\n" }
        return out
    }
}

/// GitHub-flavoured Markdown tables, for postmortems.
public struct MarkdownRenderer: TableRenderer {
    public init() {}

    public func render(_ tables: [ResultTable]) -> String {
        tables.map { table in
            var out = table.title.map { "### \($0)\n\n" } ?? ""
            out += "| " + table.columns.map(escape).joined(separator: " | ") + " |\n"
            out += "|" + table.columns.map { _ in " --- |" }.joined() + "\n"
            for row in table.rows {
                out += "| " + row.map { escape($0 ?? "") }.joined(separator: " | ") + " |\n"
            }
            if table.omitted > 0 { out += "\n+\(table.omitted) more\n" }
            return out
        }.joined(separator: "\n")
    }

    private func escape(_ text: String) -> String {
        TerminalSafe.escape(text).replacingOccurrences(of: "|", with: "\\|")
    }
}

/// RFC 4180 CSV; several tables are separated by a blank line and a `# title` line.
public struct CSVRenderer: TableRenderer {
    public init() {}

    public func render(_ tables: [ResultTable]) -> String {
        tables.map { table in
            var out = tables.count > 1 ? "# \(table.title ?? "")\n" : ""
            out += table.columns.map(quote).joined(separator: ",") + "\r\n"
            for row in table.rows { out += row.map { quote($0 ?? "") }.joined(separator: ",") + "\r\n" }
            return out
        }.joined(separator: "\n")
    }

    private func quote(_ text: String) -> String {
        var value = text
        // Cells starting with these are formulas in spreadsheets (CSV injection).
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        if value.contains(where: { ",\"\r\n".contains($0) }) {
            return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return value
    }
}
