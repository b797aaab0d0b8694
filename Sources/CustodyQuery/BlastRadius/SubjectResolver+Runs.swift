import CustodyCore
import Foundation

/// Subjects that runs use or come from: the runs in the answer are the ones that used them
/// (in the window), then the graph is followed forward from what those runs produced.
extension SubjectResolver {
    /// `owner/repo` matches every action node of that repository, its path actions
    /// (`owner/repo/sub`) and uses whose SHA no log gave (`owner/repo@v1`, `unresolved=true`).
    /// `owner/repo@X` matches the action at SHA X (or a SHA starting with X, 7+ hex digits),
    /// and uses written as ref X (`@v45`) whatever they resolved to.
    func action(_ text: String) throws -> Seeds {
        var seeds = Seeds()
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let parts = trimmed.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let name = parts[0].lowercased()
        guard name.split(separator: "/").count >= 2 else {
            throw CustodyError.usage("--action: \(text) is not OWNER/REPO or OWNER/REPO@SHA; example: tj-actions/changed-files@0e58ed8671d6b60d0890c21b07f8835ace038e67")
        }
        let pattern = SubjectText.like(name)
        let candidates = try graph.nodes(kind: .action, like: pattern + "@%") + graph.nodes(kind: .action, like: pattern + "/%@%")
        let version = parts.count == 2 ? parts[1] : nil
        let isSHA = version.map { $0.count >= 7 && $0.allSatisfy(\.isHexDigit) } ?? false
        func keyMatches(_ node: Node) -> Bool {
            guard let version else { return true }
            guard let at = node.ref.key.lastIndex(of: "@") else { return false }
            let written = node.ref.key[node.ref.key.index(after: at)...]
            return isSHA ? written.lowercased().hasPrefix(version.lowercased()) : written == version
        }
        let uses = try walk.hop(candidates.map(graph.startPath), .incoming, [.usedAction]) { edge, _ in
            guard let node = graph.nodes[edge.target] else { return false }
            return keyMatches(node) || (version != nil && edge.attributes["ref"] == version)
        }
        seeds.match(candidates.filter { node in keyMatches(node) || uses.contains { $0.steps[0].nodeID == node.id } })
        seeds.runs = uses
        return seeds
    }

    /// A script URL (prefix match: `https://codecov.io/bash` also finds `…/bash?v=2`).
    func fetched(_ url: String) throws -> Seeds {
        var seeds = Seeds()
        let text = url.trimmingCharacters(in: .whitespaces)
        var scripts = try graph.nodes(kind: .remoteScript, like: SubjectText.like(text) + "%")
        if scripts.isEmpty, !text.contains("://") {
            scripts = try graph.nodes(kind: .remoteScript, like: "%://" + SubjectText.like(text) + "%")
        }
        seeds.match(scripts)
        seeds.runs = try walk.hop(scripts.map(graph.startPath), .incoming, [.fetched])
        return seeds
    }

    /// A full SHA or a unique prefix; an ambiguous prefix is a usage error naming the candidates.
    func commit(_ sha: String) throws -> Seeds {
        let text = sha.trimmingCharacters(in: .whitespaces).lowercased()
        guard text.count >= 4, text.allSatisfy(\.isHexDigit) else {
            throw CustodyError.usage("--commit: \(sha) is not a commit SHA (at least 4 hex digits)")
        }
        var seeds = Seeds()
        var commits = try graph.nodes(kind: .commit, keys: [text])
        if commits.isEmpty {
            commits = try graph.nodes(kind: .commit, like: text + "%", limit: 11)
            if commits.count > 1 {
                let listed = commits.prefix(10).map(\.ref.key).joined(separator: ", ")
                throw CustodyError.usage("--commit: \(text) is ambiguous; it starts \(commits.count > 10 ? "more than 10" : "\(commits.count)") commits: \(listed)")
            }
        }
        seeds.match(commits)
        let start = commits.map(graph.startPath)
        seeds.runs = try walk.hop(start, .incoming, [.builtFrom])
        let attestations = try walk.hop(start, .incoming, [.claimsCommit])
        seeds.artifacts = try walk.hop(attestations, .outgoing, [.attests])
        return seeds
    }

    /// The runs of a repository: built from its commits or running its workflows.
    func repository(_ text: String) throws -> Seeds {
        var seeds = Seeds()
        let key = SubjectText.repositoryKey(text)
        var repositories = try graph.nodes(kind: .repository, keys: [key])
        if repositories.isEmpty {
            let tail = key.split(separator: "/").suffix(2).joined(separator: "/")
            repositories = try graph.nodes(kind: .repository, like: "%/" + SubjectText.like(tail))
        }
        seeds.match(repositories)
        let start = repositories.map(graph.startPath)
        let commits = try walk.hop(start, .incoming, [.inRepository])
        let workflows = try walk.hop(start, .incoming, [.definedIn])
        seeds.runs = try walk.hop(commits, .incoming, [.builtFrom]) + walk.hop(workflows, .incoming, [.ranWorkflow])
        return seeds
    }

    /// A workflow file by key, by `owner/repo/path`, or by its path alone in every repository.
    func workflow(_ path: String) throws -> Seeds {
        var seeds = Seeds()
        let text = path.trimmingCharacters(in: .whitespaces)
        var workflows = try graph.nodes(kind: .workflow, keys: [text, SubjectText.repositoryKey(text)])
        if workflows.isEmpty { workflows = try graph.nodes(kind: .workflow, like: "%/" + SubjectText.like(text)) }
        seeds.match(workflows)
        seeds.runs = try walk.hop(workflows.map(graph.startPath), .incoming, [.ranWorkflow])
        return seeds
    }

    /// A leaked secret: the runs that could read it, and the workloads that mount it (with
    /// the digests they ran in the window).
    func secret(_ key: String) throws -> Seeds {
        var seeds = Seeds()
        let text = key.trimmingCharacters(in: .whitespaces)
        var secrets = try graph.nodes(kind: .secret, keys: [text])
        if secrets.isEmpty {
            let name = SubjectText.like(text)
            secrets = try graph.nodes(kind: .secret, like: "%:" + name) + graph.nodes(kind: .secret, like: "%/" + name)
        }
        seeds.match(secrets)
        let start = secrets.map(graph.startPath)
        seeds.runs = try walk.hop(start, .incoming, [.couldRead])
        let workloads = try walk.hop(start, .incoming, [.mounts])
        seeds.workloads = try walk.hop(workloads, .outgoing, [.ran])
        return seeds
    }
}
