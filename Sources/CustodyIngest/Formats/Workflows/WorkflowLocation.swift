import CustodyCore
import Foundation

/// Where a workflow file sits: its repository, the commit(s) it is the content of, and its
/// path in the repository. A workflow file carries none of these; they come from the path.
///
/// - `repos/<owner>/<repo>/<commit>/.github/workflows/<file>` (the scenario layout, a mirror of
///   files at commits): repository `github.com/<owner>/<repo>`, that commit.
/// - a git checkout: the first ancestor with `.git/`; the commit is `HEAD` (through loose refs or
///   `packed-refs`), the repository the `origin` remote.
///
/// Identical files at several commits. The pipeline stores a document once per content and
/// does not re-read a byte-identical file found at another path, yet in the `repos/` layout
/// the path *is* the evidence of which commit had the file: the same `ci.yml` unchanged across
/// four commits is four facts. So when the file sits in that layout, the sibling commit
/// directories are checked for a byte-identical file at the same path, and every such commit
/// is recorded from this one document (each with its own path as the location). A file that
/// differs at some commit is its own document and is ingested on its own.
struct WorkflowLocation: Sendable {
    /// `owner/repo` for GitHub repositories (secret and run keys need it).
    var repository: String
    /// The repository node key (`github.com/owner/repo`).
    var repositoryKey: String
    /// `.github/workflows/<file>`
    var path: String
    /// (commit, the path where this content was found at that commit).
    var commits: [(sha: String, path: String)] = []

    var workflowKey: String { "\(repositoryKey)/\(path)" }

    static func resolve(source: String, bytes: [UInt8]) -> WorkflowLocation? {
        let parts = source.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard let github = parts.lastIndex(of: ".github"), github + 1 < parts.count, parts[github + 1] == "workflows" else { return nil }
        let path = parts[github...].joined(separator: "/")
        if github >= 3, let sha = CIText.commitSHA(Substring(parts[github - 1])),
           GitHubLogPhrases.isActionName(Substring(parts[github - 3] + "/" + parts[github - 2])) {
            let repository = parts[github - 3] + "/" + parts[github - 2]
            var location = WorkflowLocation(repository: repository, repositoryKey: GitHubKeys.repository(repository), path: path)
            location.commits = [(sha, source)]
            let repositoryDirectory = parts[..<(github - 1)].joined(separator: "/")
            location.commits += identicalCopies(in: repositoryDirectory, except: sha, path: path, bytes: bytes)
            return location
        }
        let root = parts[..<github].joined(separator: "/")
        return checkout(root: root.isEmpty ? "." : root, path: path, source: source)
    }

    /// Byte-identical copies of `path` in the other commit directories of `directory`.
    private static func identicalCopies(in directory: String, except sha: String, path: String, bytes: [UInt8]) -> [(String, String)] {
        let manager = FileManager.default
        guard let entries = try? manager.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory) else { return [] }
        var copies: [(String, String)] = []
        for entry in entries.sorted().prefix(100_000) where entry != sha {
            guard let other = CIText.commitSHA(Substring(entry)) else { continue }
            let candidate = (directory.isEmpty ? "" : directory + "/") + entry + "/" + path
            guard let attributes = try? manager.attributesOfItem(atPath: candidate),
                  (attributes[.size] as? Int) == bytes.count,
                  let data = manager.contents(atPath: candidate), data.elementsEqual(bytes) else { continue }
            copies.append((other, candidate))
        }
        return copies
    }

    /// A workflow file inside a git working tree: HEAD's commit and the `origin` remote.
    private static func checkout(root: String, path: String, source: String) -> WorkflowLocation? {
        let git = root + "/.git"
        guard let head = read(git + "/HEAD")?.trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
        var sha = CIText.commitSHA(Substring(head))
        if sha == nil, head.hasPrefix("ref: ") {
            let ref = String(head.dropFirst(5))
            sha = read(git + "/" + ref).flatMap { CIText.commitSHA(Substring($0.trimmingCharacters(in: .whitespacesAndNewlines))) }
            if sha == nil, let packed = read(git + "/packed-refs") {
                for line in packed.split(separator: "\n") where line.hasSuffix(" " + ref) {
                    sha = CIText.commitSHA(line.prefix { $0 != " " })
                }
            }
        }
        guard let config = read(git + "/config"), let url = originURL(config), let key = JenkinsLine.repositoryKey(url) else { return nil }
        let repository = key.split(separator: "/").dropFirst().joined(separator: "/")
        var location = WorkflowLocation(repository: repository, repositoryKey: key, path: path)
        if let sha { location.commits = [(sha, source)] }
        return location
    }

    private static func originURL(_ config: String) -> String? {
        var inOrigin = false
        for raw in config.split(whereSeparator: \.isNewline) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[") { inOrigin = line.replacingOccurrences(of: " ", with: "") == "[remote\"origin\"]" }
            if inOrigin, line.hasPrefix("url"), let equals = line.firstIndex(of: "=") {
                return line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }

    private static func read(_ path: String) -> String? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? Int, size < 1 << 20,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
