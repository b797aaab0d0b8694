import ArgumentParser
import CustodyCore
import CustodyQuery

/// `--at T` or `--from T --to T` (RFC 3339): DESIGN.md §3 interval semantics.
struct WindowOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Keep facts whose interval contains this instant (RFC 3339).", valueName: "time"))
    var at: String?

    @Option(name: .long, help: ArgumentHelp("Keep facts whose interval overlaps a window starting here.", valueName: "time"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Keep facts whose interval overlaps a window ending here.", valueName: "time"))
    var to: String?

    func window() throws -> TimeWindow {
        if at != nil, from != nil || to != nil {
            throw ValidationError("use either --at or --from/--to, not both")
        }
        let window = TimeWindow(from: try parse(from, "--from"), to: try parse(to, "--to"), at: try parse(at, "--at"))
        if let from = window.from, let to = window.to, from > to {
            throw ValidationError("--from is after --to")
        }
        return window
    }

    private func parse(_ text: String?, _ flag: String) throws -> Timestamp? {
        guard let text else { return nil }
        do {
            return try Timestamp(rfc3339: text)
        } catch {
            throw ValidationError("\(flag): \(text) is not an RFC 3339 time (example: 2025-09-08T13:00:00Z)")
        }
    }
}
