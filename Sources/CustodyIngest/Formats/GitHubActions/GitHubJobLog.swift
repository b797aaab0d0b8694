import CustodyCore

/// What one GitHub Actions job log says (FORMATS.md §6.1), before it becomes facts. Line
/// numbers are 1-based lines of the document, used as fact locations (`:123`).
struct GitHubJobLog: Sendable {
    /// `Download action repository 'name@ref' (SHA:sha)`; `sha` is nil for runners before
    /// v2.280.0, which did not print it.
    struct ActionUse: Sendable, Hashable {
        var name: String
        var ref: String
        var sha: String?
        var line: Int
    }

    /// A workflow file this job ran: the run's own (`GITHUB_WORKFLOW_REF`, `Job defined at:`) or a
    /// reusable one it called (`Uses: owner/repo/.github/workflows/x.yml@ref (sha)`).
    struct WorkflowUse: Sendable, Hashable {
        /// `owner/repo/.github/workflows/file.yml`
        var path: String
        var ref: String?
        var sha: String?
        var reusable: Bool
        var line: Int
    }

    /// A commit the job checked out (`git log -1 --format=%H`, else the fetched `+<sha>:`), with
    /// the repository of the `Syncing repository:` line before it.
    struct Checkout: Sendable, Hashable {
        var repository: String?
        var sha: String
        var line: Int
    }

    struct Push: Sendable, Hashable {
        var image: CIPushedImage
        var time: Timestamp?
        var line: Int
    }

    /// `cosign sign …@sha256:…` / `cosign attest …@sha256:…` commands.
    struct Signature: Sendable, Hashable {
        var verb: String
        var digest: String
        var line: Int
    }

    var firstTime: Timestamp?
    var lastTime: Timestamp?
    /// `runner_version`, `runner_name`, `runner_group`, `runner_machine`, `runner_image`,
    /// `runner_image_version`, `runner_os`, `runner_environment` (`github-hosted`/`self-hosted`).
    var runner: [String: String] = [:]
    var jobName: String?
    var actions: [ActionUse] = []
    var workflows: [WorkflowUse] = []
    var checkouts: [Checkout] = []
    /// `Syncing repository: owner/repo` lines, in order (checkouts without a printed commit too).
    var synced: [String] = []
    /// `GITHUB_*` values the log printed (env dumps, Codecov's `-> GITHUB_RUN_ID:` lines).
    var environment: [String: String] = [:]
    var pushes: [Push] = []
    var scripts: [FetchedScript] = []
    var signatures: [Signature] = []
    var lineCount = 0
    var timestampedLines = 0

    /// The `GITHUB_*` names worth keeping (identity of the run and of what it built).
    static let environmentNames: Set<String> = [
        "GITHUB_RUN_ID", "GITHUB_RUN_ATTEMPT", "GITHUB_RUN_NUMBER", "GITHUB_REPOSITORY", "GITHUB_SHA", "GITHUB_REF",
        "GITHUB_WORKFLOW_REF", "GITHUB_WORKFLOW_SHA", "GITHUB_ACTOR", "GITHUB_TRIGGERING_ACTOR", "GITHUB_JOB",
        "GITHUB_EVENT_NAME", "GITHUB_SERVER_URL",
    ]
}

/// Parsers for the fixed phrases of the runner's own output. Each takes the line text after
/// the timestamp (ANSI-free) and returns nil when the line is something else.
enum GitHubLogPhrases {
    /// `Download action repository 'owner/repo[/path]@ref' (SHA:<40 hex>)`
    static func actionDownload(_ text: Substring, line: Int) -> GitHubJobLog.ActionUse? {
        let prefix = "Download action repository '"
        guard text.hasPrefix(prefix) else { return nil }
        let body = text.dropFirst(prefix.count)
        guard let quote = body.firstIndex(of: "'") else { return nil }
        let spec = body[body.startIndex..<quote]
        guard let at = spec.lastIndex(of: "@"), at != spec.startIndex else { return nil }
        let name = spec[spec.startIndex..<at]
        let ref = spec[spec.index(after: at)...]
        guard isActionName(name), !ref.isEmpty, !ref.contains(" ") else { return nil }
        var sha: String?
        if let marker = body.range(of: "(SHA:") {
            let hex = body[marker.upperBound...].prefix { $0 != ")" }
            sha = CIText.commitSHA(hex)
        }
        return .init(name: String(name), ref: String(ref), sha: sha, line: line)
    }

    /// `owner/repo[/path…]`: GitHub owner and repository names, then any path.
    static func isActionName(_ name: Substring) -> Bool {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else { return false }
        return name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/")
        }
    }

    /// `owner/repo/.github/workflows/file.yml@ref` with an optional ` (sha)` after it.
    static func workflowReference(_ text: Substring, reusable: Bool, line: Int) -> GitHubJobLog.WorkflowUse? {
        let spec = text.prefix { $0 != " " }
        guard let at = spec.lastIndex(of: "@") else { return nil }
        let path = spec[spec.startIndex..<at]
        guard path.contains("/.github/workflows/"), isActionName(path) else { return nil }
        let ref = String(spec[spec.index(after: at)...])
        var sha = CIText.commitSHA(Substring(ref))
        if let open = text.firstIndex(of: "(") {
            sha = sha ?? CIText.commitSHA(text[text.index(after: open)...].prefix { $0 != ")" })
        }
        return .init(path: String(path), ref: ref.isEmpty ? nil : ref, sha: sha, reusable: reusable, line: line)
    }

    /// `'<value>'` → `value` (runner phrases quote names).
    static func quoted(_ text: Substring) -> String? {
        guard text.first == "'" else { return text.isEmpty ? nil : String(text) }
        let inner = text.dropFirst().prefix { $0 != "'" }
        return inner.isEmpty ? nil : String(inner)
    }

    /// `NAME=value` (env dumps) or `-> NAME:   value` (Codecov's uploader) for `GITHUB_*`.
    static func environmentValue(_ text: Substring) -> (name: String, value: String)? {
        var body = text.drop { $0 == " " }
        if body.hasPrefix("-> ") { body = body.dropFirst(3) }
        guard body.hasPrefix("GITHUB_") else { return nil }
        let name = body.prefix { $0 == "_" || ($0.isASCII && ($0.isUppercase || $0.isNumber)) }
        guard GitHubJobLog.environmentNames.contains(String(name)) else { return nil }
        var rest = body.dropFirst(name.count)
        guard let separator = rest.first, separator == "=" || separator == ":" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
        let value = rest.prefix { $0 != " " && $0 != "\t" }
        guard !value.isEmpty, value != "***" else { return nil }
        return (String(name), String(value))
    }

    /// The commit a `git log -1 --format=%H` printed: a line that is only 40/64 hex, maybe quoted.
    static func bareCommit(_ text: Substring) -> String? {
        var body = text.drop { $0 == " " }
        while let last = body.last, last == " " { body = body.dropLast() }
        if body.first == "'", body.last == "'", body.count >= 2 { body = body.dropFirst().dropLast() }
        return CIText.commitSHA(body)
    }

    /// The `+<sha>:` of `git … fetch … origin +<sha>:refs/…`.
    static func fetchedCommit(_ text: Substring) -> String? {
        guard CIText.contains(text, " fetch "), let plus = text.range(of: " +") else { return nil }
        return CIText.commitSHA(text[plus.upperBound...].prefix { $0 != ":" })
    }
}
