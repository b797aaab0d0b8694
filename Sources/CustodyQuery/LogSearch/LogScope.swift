import CustodyCore
import CustodyStore
import Foundation

/// A stored log and the run it was recorded for: what `logs grep` reports with each line and
/// filters on (the run's interval and repository) before reading the log's bytes.
struct LogScope: Sendable {
    var document: StoredDocumentInfo
    var run: String?
    var repository: String?
    var started: Timestamp?
    var completed: Timestamp?
    /// Job display names, by archive member (`""` for a plain log).
    var jobs: [String: String] = [:]

    static func load(reader: GraphReader, formats: [String]) throws -> [LogScope] {
        var scopes: [Int64: LogScope] = [:]
        for document in try reader.documents(formats: formats) {
            scopes[document.id] = LogScope(document: document, started: document.observedAt, completed: document.observedAt)
        }
        for link in try reader.documentNodes(formats: formats, kinds: [.run, .job]) {
            guard var scope = scopes[link.documentID] else { continue }
            let attributes = Self.attributes(link.node.attributesJSON)
            if link.node.ref.kind == .run {
                guard scope.run == nil else { continue }
                scope.run = link.node.ref.key
                scope.repository = attributes["repository"]
                scope.started = Timestamp(rfc3339OrNil: attributes["started_at"]) ?? scope.started
                scope.completed = Timestamp(rfc3339OrNil: attributes["completed_at"]) ?? scope.completed
            } else {
                let member = link.location.map { String($0.prefix { $0 != ":" }) } ?? ""
                scope.jobs[member] = attributes["name"] ?? Self.jobName(fromKey: link.node.ref.key)
            }
            scopes[link.documentID] = scope
        }
        return scopes.values.sorted { $0.document.id < $1.document.id }
    }

    /// The job name for a line found in `member` (nil member: a plain log's only job).
    func job(member: String?) -> String? {
        guard let member else { return jobs[""] ?? (jobs.count == 1 ? jobs.values.first : nil) }
        if let name = jobs[member] { return name }
        // A run archive's members name their job: `<n>_<job>.txt`, `<job>/<step>.txt`.
        if let slash = member.firstIndex(of: "/") { return String(member[member.startIndex..<slash]) }
        guard member.hasSuffix(".txt") else { return nil }
        let stem = member.dropLast(4)
        let index = stem.prefix { $0.isNumber }
        return !index.isEmpty && stem.dropFirst(index.count).first == "_" ? String(stem.dropFirst(index.count + 1)) : String(stem)
    }

    /// Keeps logs whose run interval overlaps the window (unknown ends are open) and whose
    /// repository is `repository` (`owner/repo`, with or without a host; case-insensitive).
    func admits(window: TimeWindow, repository wanted: String?) -> Bool {
        guard window.admits(first: started, last: completed) else { return false }
        guard let wanted else { return true }
        let want = Self.bareRepository(wanted)
        if let repository, Self.bareRepository(repository) == want { return true }
        if let run, run.lowercased().contains(":\(want)/") { return true }
        return false
    }

    static func bareRepository(_ text: String) -> String {
        var body = Substring(text.lowercased())
        if let scheme = body.range(of: "://") { body = body[scheme.upperBound...] }
        if body.hasSuffix(".git") { body = body.dropLast(4) }
        let parts = body.split(separator: "/")
        if parts.count >= 3, parts[0].contains(".") { return parts.dropFirst().joined(separator: "/") }
        return parts.joined(separator: "/")
    }

    private static func jobName(fromKey key: String) -> String? {
        guard let range = key.range(of: "/jobs/", options: .backwards) else { return nil }
        let tail = key[range.upperBound...]
        return tail.hasPrefix("name:") ? String(tail.dropFirst(5)) : String(tail)
    }

    private static func attributes(_ json: String?) -> [String: String] {
        guard let json, let data = json.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object.compactMapValues { $0 as? String }
    }
}
