import CustodyCore
import Foundation

/// Where a subject enters the graph: the nodes it resolved to and the first things reached,
/// each with the path from the subject.
struct Seeds {
    var matched: [Node] = []
    var packages: [GraphPath] = []
    var runs: [GraphPath] = []
    var artifacts: [GraphPath] = []
    /// Workloads reached without a digest of the answer (a secret they mount), one path per
    /// admitted `ran` edge, ending at the digest.
    var workloads: [GraphPath] = []
    /// Artifacts a VEX statement declares not affected, by artifact id.
    var notAffected: [Int64: GraphPath] = [:]

    mutating func match(_ nodes: [Node]) {
        for node in nodes where !matched.contains(where: { $0.id == node.id }) { matched.append(node) }
    }
}

/// Turns user text into graph nodes. Lookups are exact first, then as lenient as the kind
/// allows (a prefix for commits and URLs, a bare name for accounts and secrets), because a
/// responder types what the advisory or the log says, not custody's key.
enum SubjectText {
    /// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
    static func like(_ text: String) -> String {
        var out = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// `https://github.com/acme/app.git` → `github.com/acme/app`; `acme/app` → `github.com/acme/app`.
    static func repositoryKey(_ text: String) -> String {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        for scheme in ["https://", "http://", "ssh://", "git://", "git@"] where body.lowercased().hasPrefix(scheme) {
            body = body.dropFirst(scheme.count)
            break
        }
        if body.hasSuffix(".git") { body = body.dropLast(4) }
        while body.hasSuffix("/") { body = body.dropLast() }
        var parts = body.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if let first = parts.first, first.contains(":") { // git@host:owner/repo
            let pieces = first.split(separator: ":", maxSplits: 1).map(String.init)
            parts = pieces + parts.dropFirst()
        }
        guard let first = parts.first else { return String(body) }
        if first.contains(".") || first.contains(":") || first == "localhost" {
            parts[0] = first.lowercased()
            return parts.joined(separator: "/")
        }
        return "github.com/" + parts.joined(separator: "/")
    }
}
