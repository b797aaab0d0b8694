import CustodyCore
import CustodyCrypto
import CustodyJSON
import Foundation

/// Which run and job a GitHub Actions log belongs to, and how that was established.
struct GitHubRunIdentity: Sendable {
    /// `owner/repo` as GitHub spells it.
    var repository: String?
    var runID: String?
    var attempt = 1
    var jobID: String?
    var jobName: String?
    /// True when a run record (`run.json`) beside the log confirmed the run; false marks the
    /// run `incomplete=true` (known only from a log).
    var confirmedByRunRecord = false
    /// Document hash prefix for logs that reveal no run id at all.
    var fallbackTag: String?

    var runKey: String {
        GitHubKeys.run(repository: repository ?? "unknown", runID: runID ?? "log-\(fallbackTag ?? "unknown")", attempt: attempt)
    }

    var jobKey: String {
        if let jobID { return "\(runKey)/jobs/\(jobID)" }
        return "\(runKey)/jobs/name:\(jobName ?? "unknown")"
    }
}

/// Node keys of GitHub things (docs/GRAPH.md).
enum GitHubKeys {
    static func run(repository: String, runID: String, attempt: Int) -> String {
        "github:\(repository)/\(runID)" + (attempt > 1 ? "#\(attempt)" : "")
    }

    /// Only the host is lower-cased (docs/GRAPH.md); GitHub's own spelling of the path is kept.
    static func repository(_ fullName: String) -> String { "github.com/" + fullName }

    /// `github.com/<owner>/<repo>/<path>`; `path` is the in-repository path (`.github/workflows/x.yml`).
    static func workflow(repository: String, path: String) -> String {
        "github.com/\(repository)/\(path)"
    }

    /// `owner/repo/.github/workflows/x.yml` → (`owner/repo`, workflow key).
    static func workflow(qualifiedPath: String) -> (repository: String, key: String)? {
        let parts = qualifiedPath.split(separator: "/", maxSplits: 2)
        guard parts.count == 3 else { return nil }
        let repository = "\(parts[0])/\(parts[1])"
        return (repository, workflow(repository: repository, path: String(parts[2])))
    }

    static func actor(_ login: String) -> String { "actor:github:\(login)" }

    /// `owner/repo` of an API or web URL (`https://api.github.com/repos/o/r/actions/…`,
    /// `https://github.com/o/r/actions/runs/…`).
    static func repository(fromURL url: String) -> String? {
        let parts = url.split(separator: "/")
        if let repos = parts.firstIndex(of: "repos"), repos + 2 < parts.count { return "\(parts[repos + 1])/\(parts[repos + 2])" }
        if let host = parts.firstIndex(where: { $0 == "github.com" }), host + 2 < parts.count {
            return "\(parts[host + 1])/\(parts[host + 2])"
        }
        return nil
    }
}

/// Establishes a log's run identity from, in order: its path (`<run-id>/logs/<n>_<job>.txt`, as
/// the scenario layout and `gh run download` keep them), what the log itself printed
/// (`GITHUB_RUN_ID`, `GITHUB_REPOSITORY`, `GITHUB_RUN_ATTEMPT`), the run and job records stored
/// beside it (`../run.json`, `../jobs.json`: the attempt, the job id for the job name), and
/// last the repository the checkout synced. Reading the sibling records is what lets a log
/// ingested before its run record land on the same run and job nodes; the records themselves
/// are ingested (and cited as evidence) separately.
enum GitHubRunLocator {
    static func resolve(revealed log: GitHubJobLog, source: String, fileJobName: String?, bytes: [UInt8]) -> GitHubRunIdentity {
        var identity = GitHubRunIdentity()
        identity.runID = runID(fromPath: source) ?? log.environment["GITHUB_RUN_ID"].flatMap(digits)
        identity.repository = log.environment["GITHUB_REPOSITORY"].flatMap(fullName)
        identity.jobName = log.jobName ?? fileJobName
        let siblings = SiblingRecords(logPath: source)
        if let run = siblings.run, let runID = identity.runID, run.id == runID {
            identity.confirmedByRunRecord = true
            identity.repository = identity.repository ?? run.repository
            identity.attempt = run.attempt
        } else if let attempt = log.environment["GITHUB_RUN_ATTEMPT"].flatMap({ Int($0) }), attempt > 0 {
            identity.attempt = attempt
        }
        if let jobs = siblings.jobs, let runID = identity.runID {
            let candidates = jobs.filter { $0.runID == runID && $0.attempt == identity.attempt }
            let named = candidates.filter { $0.name == identity.jobName || $0.name == fileJobName }
            let pick = named.count == 1 ? named.first
                : named.count > 1 ? nearest(named, to: log.firstTime) : (candidates.count == 1 ? candidates.first : nil)
            if let pick {
                identity.jobID = pick.id
                identity.jobName = identity.jobName ?? pick.name
                identity.repository = identity.repository ?? pick.repository
            }
        }
        if identity.repository == nil {
            identity.repository = (log.synced.first ?? log.checkouts.compactMap(\.repository).first).flatMap(fullName)
                ?? log.workflows.first.flatMap { GitHubKeys.workflow(qualifiedPath: $0.path)?.repository }
        }
        if identity.runID == nil { identity.fallbackTag = String(SHA256Hasher.hex(of: bytes).prefix(16)) }
        return identity
    }

    /// The run id of `…/<digits>/logs/<file>`, `…/logs_<digits>.zip` or `…/<digits>/<file>.zip`.
    static func runID(fromPath source: String) -> String? {
        let parts = source.split(separator: "/")
        if parts.count >= 3, parts[parts.count - 2] == "logs", let id = digits(String(parts[parts.count - 3])) { return id }
        if let last = parts.last, last.hasSuffix(".zip") {
            let stem = last.dropLast(4)
            if stem.hasPrefix("logs_"), let id = digits(String(stem.dropFirst(5).prefix { $0 != "_" })) { return id }
            if let id = digits(String(stem)) { return id }
            if parts.count >= 2, let id = digits(String(parts[parts.count - 2])) { return id }
        }
        return nil
    }

    /// `n_<job name>.txt` → `job name`.
    static func jobName(fromFileName name: String) -> String? {
        guard name.hasSuffix(".txt") else { return nil }
        let stem = name.dropLast(4)
        let index = stem.prefix { $0.isNumber }
        guard !index.isEmpty, stem.dropFirst(index.count).first == "_" else { return String(stem) }
        let rest = stem.dropFirst(index.count + 1)
        return rest.isEmpty ? nil : String(rest)
    }

    static func digits(_ text: String) -> String? {
        !text.isEmpty && text.utf8.count <= 20 && text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) ? text : nil
    }

    static func fullName(_ text: String) -> String? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, GitHubLogPhrases.isActionName(Substring(text)) else { return nil }
        return text
    }

    private static func nearest(_ jobs: [SiblingRecords.Job], to time: Timestamp?) -> SiblingRecords.Job? {
        guard let time else { return nil }
        return jobs.min { a, b in
            abs((a.started ?? time).nanosecondsSinceEpoch - time.nanosecondsSinceEpoch)
                < abs((b.started ?? time).nanosecondsSinceEpoch - time.nanosecondsSinceEpoch)
        }
    }
}

/// `run.json` and `jobs.json` in the run directory above a `logs/` folder (or beside a zip).
struct SiblingRecords {
    struct Run { var id: String; var attempt: Int; var repository: String? }
    struct Job { var id: String; var runID: String; var attempt: Int; var name: String?; var started: Timestamp?; var repository: String? }

    var run: Run?
    var jobs: [Job]?

    init(logPath: String) {
        guard logPath != "-" else { return }
        var directory = (logPath as NSString).deletingLastPathComponent
        if (directory as NSString).lastPathComponent == "logs" { directory = (directory as NSString).deletingLastPathComponent }
        if let document = Self.load((directory as NSString).appendingPathComponent("run.json")) {
            let root = document.root
            if let id = root["id"].flatMap(Self.text) {
                run = Run(id: id, attempt: Int(root["run_attempt"].flatMap(Self.text) ?? "1") ?? 1,
                          repository: root["repository"]?["full_name"]?.string)
            }
        }
        if let document = Self.load((directory as NSString).appendingPathComponent("jobs.json")),
           let list = document.root["jobs"], list.isArray {
            jobs = list.elements.compactMap { job in
                guard let id = job["id"].flatMap(Self.text), let runID = job["run_id"].flatMap(Self.text) else { return nil }
                return Job(id: id, runID: runID, attempt: Int(job["run_attempt"].flatMap(Self.text) ?? "1") ?? 1,
                           name: job["name"]?.string, started: Timestamp(rfc3339OrNil: job["started_at"]?.string),
                           repository: (job["run_url"]?.string ?? job["url"]?.string).flatMap(GitHubKeys.repository(fromURL:)))
            }
        }
    }

    private static func load(_ path: String) -> JSONDocument? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let size = attributes[.size] as? Int, size < 64 << 20,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDocument(bytes: [UInt8](data))
    }

    static func text(_ value: JSONValue) -> String? {
        value.int64.map(String.init) ?? value.string
    }
}
