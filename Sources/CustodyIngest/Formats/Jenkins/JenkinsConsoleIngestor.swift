import CustodyCore
import CustodyCrypto

/// A Jenkins console log (`…/job/<name>/<n>/consoleText`, or `jobs/<job>/builds/<n>/log` on the
/// controller; FORMATS.md §6.3). The text names neither job nor build number: they come from an
/// echoed `JOB_NAME`/`BUILD_NUMBER`/`BUILD_URL`, then from the path, then the job name from the
/// workspace (`Running on <agent> in …/workspace/<job>`); a log that gives no build number is
/// keyed by its document hash. Read for: the checked-out revision (`Checking out Revision
/// <sha>`), the repository URL, who or what started it, the agent, pushed digests, scripts it
/// fetched and executed, and times when the Timestamper plugin prefixed the lines.
public struct JenkinsConsoleIngestor: Ingestor {
    public init() {}

    public var descriptor: IngestorDescriptor {
        IngestorDescriptor(
            id: "jenkins-console",
            version: "1",
            summary: "Jenkins console log (consoleText; Timestamper prefixes optional)",
            emits: "run, commit, repository, artifact, tag, image-repository, remote-script, identity; builtFrom, produced, pointsTo, fetched, triggeredBy")
    }

    public func detect(_ sample: DetectionSample) -> Confidence {
        guard !sample.head.contains(0) else { return .none }
        let text = JenkinsLine.strip(Substring(sample.text.prefix(400)))
        if text.hasPrefix("Started by ") || text.hasPrefix("[Pipeline] ") { return .high }
        if sample.contains("\n[Pipeline] "), sample.contains("Finished: ") { return .high }
        return .none
    }

    public func ingest(_ input: IngestInput) throws -> FactBatch {
        try GitHubJobLogIngestor.checkText(input.bytes, source: input.source)
        var scan = JenkinsScan()
        input.bytes.withUnsafeBufferPointer { buffer in
            var start = 0, number = 0
            while start < buffer.count {
                let newline = CIBytes.next(0x0A, in: buffer, from: start, end: buffer.count)
                number += 1
                if newline > start { scan.line(Substring(CIText.clean(buffer, start..<newline)), number: number) }
                start = newline + 1
            }
        }
        guard scan.sawJenkins else {
            throw CustodyError.rejected("not a Jenkins console log: no 'Started by', '[Pipeline]' or 'Finished:' line",
                                        at: SourceLocation(path: input.source, line: 1))
        }
        let path = JenkinsLine.jobAndBuild(fromPath: input.source)
        let job = scan.env["JOB_NAME"] ?? scan.env["BUILD_URL"].flatMap(JenkinsLine.jobAndBuild(fromURL:))?.job ?? path?.job ?? scan.workspaceJob
        let build = scan.env["BUILD_NUMBER"] ?? scan.env["BUILD_URL"].flatMap(JenkinsLine.jobAndBuild(fromURL:))?.build ?? path?.build
        let fallback = "log-" + String(SHA256Hasher.hex(of: input.bytes).prefix(16))
        let key = "jenkins:\(job ?? "unknown")/\(build ?? fallback)"
        var batch = FactBatch()
        var attributes = scan.attributes
        attributes["provider"] = "jenkins"
        attributes["run_id"] = build
        attributes["incomplete"] = "true"
        attributes["started_at"] = scan.first?.rfc3339
        attributes["completed_at"] = scan.last?.rfc3339
        attributes["repository"] = scan.repository
        let run = batch.node(.run, key, attributes: attributes, at: ":1")
        let scripts = scan.scripts.finish()
        if let sha = scan.revision {
            let commit = batch.node(.commit, sha, at: scan.revisionLine.map { ":\($0)" })
            batch.edge(.builtFrom, from: run, to: commit, firstSeen: scan.first, lastSeen: scan.last)
            if let repository = scan.repository {
                batch.edge(.inRepository, from: commit, to: batch.node(.repository, repository))
            }
        }
        for push in scan.pushed {
            CIRunFacts.addPush(push, run: run, first: scan.first, last: scan.last, location: ":\(push.line)", into: &batch)
        }
        for script in scripts { CIRunFacts.addScript(script, run: run, first: scan.first, last: scan.last, into: &batch) }
        if let actor = scan.actor {
            batch.edge(.triggeredBy, from: run, to: batch.node(.identity, actor), firstSeen: scan.first, lastSeen: scan.last)
        }
        if build == nil { batch.warn("the log reveals no build number (no BUILD_NUMBER, no …/builds/<n>/ path); run keyed \(key)") }
        if scan.first == nil { batch.diagnose(Diagnostic(.info, "no Timestamper prefixes: the run's facts are timeless")) }
        batch.observedAt = scan.last
        return batch
    }
}

/// Line-by-line state of a Jenkins console scan.
struct JenkinsScan {
    var sawJenkins = false
    var attributes: [String: String] = [:]
    var env: [String: String] = [:]
    var revision: String?
    var revisionLine: Int?
    var repository: String?
    var actor: String?
    var workspaceJob: String?
    var first: Timestamp?
    var last: Timestamp?
    var pushed: [GitHubJobLog.Push] = []
    var pushes = CIPushTracker()
    var scripts = RemoteScriptTracker()

    mutating func line(_ raw: Substring, number: Int) {
        var time: Timestamp?
        if raw.hasPrefix("["), let stamp = Timestamp(rfc3339OrNil: String(raw.dropFirst().prefix { $0 != "]" })) {
            time = stamp
            first = first.map { min($0, stamp) } ?? stamp
            last = last.map { max($0, stamp) } ?? stamp
        }
        let text = JenkinsLine.strip(raw)
        if text.hasPrefix("Started by ") {
            sawJenkins = true
            let cause = text.dropFirst(11)
            if cause.hasPrefix("user ") { actor = actor ?? "actor:jenkins:\(cause.dropFirst(5))" }
            else if cause.hasPrefix("GitHub push by ") { actor = actor ?? "actor:github:\(cause.dropFirst(15))" }
            attributes["trigger"] = attributes["trigger"] ?? String(cause)
        } else if text.hasPrefix("[Pipeline] ") || text.hasPrefix("Finished: ") {
            sawJenkins = true
            if text.hasPrefix("Finished: ") { attributes["status"] = String(text.dropFirst(10)) }
        } else if text.hasPrefix("Running on "), let inRange = text.range(of: " in ") {
            attributes["runner_name"] = attributes["runner_name"] ?? String(text[text.index(text.startIndex, offsetBy: 11)..<inRange.lowerBound])
            if let workspace = text[inRange.upperBound...].range(of: "/workspace/") {
                let job = text[workspace.upperBound...].prefix { $0 != "@" && $0 != " " }
                if !job.isEmpty { workspaceJob = workspaceJob ?? String(job) }
            }
        } else if text.hasPrefix("Checking out Revision ") {
            if let sha = CIText.commitSHA(text.dropFirst(22).prefix { $0 != " " }), revision == nil {
                revision = sha
                revisionLine = number
            }
        } else if let url = JenkinsLine.repositoryURL(text) {
            repository = repository ?? url
        } else if text.hasPrefix("+ ") {
            scripts.observe(command: text.dropFirst(2))
            pushes.observeCommand(text.dropFirst(2))
            return
        } else if let eq = text.firstIndex(of: "="), ["JOB_NAME", "BUILD_NUMBER", "BUILD_URL"].contains(String(text[text.startIndex..<eq])) {
            env[String(text[text.startIndex..<eq])] = env[String(text[text.startIndex..<eq])] ?? String(text[text.index(after: eq)...])
        }
        if CIText.contains(text, "sha256:") || text.hasPrefix("The push refers"), let image = pushes.parse(text) {
            pushed.append(.init(image: image, time: time, line: number))
        }
        if RemoteScriptTracker.mayMatter(output: text) { scripts.observe(output: text) }
    }
}

enum JenkinsLine {
    /// The line without a Timestamper prefix (`[2024-05-01T10:00:00.123Z] `, `10:00:01 `).
    static func strip(_ line: Substring) -> Substring {
        var text = line
        if text.hasPrefix("["), let close = text.firstIndex(of: "]"), text.distance(from: text.startIndex, to: close) < 40 {
            text = text[text.index(after: close)...].drop { $0 == " " }
        } else if text.count > 9, text.prefix(8).allSatisfy({ $0.isNumber || $0 == ":" }), text.dropFirst(8).first == " " {
            text = text.dropFirst(9)
        }
        return text
    }

    /// A git URL from `> git config remote.origin.url <url>`, `Obtained Jenkinsfile from git
    /// <url>`, `Cloning repository <url>`, as a repository key (host lower-cased, scheme and
    /// `.git` stripped; `git@host:path` becomes `host/path`).
    static func repositoryURL(_ text: Substring) -> String? {
        let prefixes = ["> git config remote.origin.url ", " > git config remote.origin.url ", "Obtained Jenkinsfile from git ",
                        "Cloning repository "]
        guard let prefix = prefixes.first(where: { text.hasPrefix($0) }) else { return nil }
        return repositoryKey(String(text.dropFirst(prefix.count).prefix { $0 != " " }))
    }

    static func repositoryKey(_ url: String) -> String? {
        var body = Substring(url)
        if let scheme = body.range(of: "://") { body = body[scheme.upperBound...] }
        else if let at = body.firstIndex(of: "@"), let colon = body.firstIndex(of: ":"), at < colon {
            body = body[body.index(after: at)...]
            body = body.prefix { $0 != ":" } + "/" + body.drop { $0 != ":" }.dropFirst()
        }
        if let at = body.firstIndex(of: "@"), body.firstIndex(of: "/").map({ at < $0 }) ?? true { body = body[body.index(after: at)...] }
        if body.hasSuffix(".git") { body = body.dropLast(4) }
        while body.hasSuffix("/") { body = body.dropLast() }
        guard let slash = body.firstIndex(of: "/") else { return nil }
        return body[body.startIndex..<slash].lowercased() + body[slash...]
    }

    /// `…/jobs/<job>/builds/<n>/log` or `…/<job>/<n>/consoleText`, `<job>-<n>.log`.
    static func jobAndBuild(fromPath source: String) -> (job: String, build: String)? {
        let parts = source.split(separator: "/").map(String.init)
        if let builds = parts.lastIndex(of: "builds"), builds >= 2, builds + 1 < parts.count, parts[builds - 2] == "jobs",
           let build = GitHubRunLocator.digits(parts[builds + 1]) {
            return (parts[builds - 1], build)
        }
        if parts.count >= 3, parts.last == "consoleText" || parts.last == "log", let build = GitHubRunLocator.digits(parts[parts.count - 2]) {
            return (parts[parts.count - 3], build)
        }
        guard let last = parts.last else { return nil }
        let stem = last.prefix { $0 != "." }
        guard let dash = stem.lastIndex(where: { $0 == "-" || $0 == "_" || $0 == "#" }),
              let build = GitHubRunLocator.digits(String(stem[stem.index(after: dash)...])) else { return nil }
        let job = stem[stem.startIndex..<dash]
        return job.isEmpty ? nil : (String(job), build)
    }

    /// `https://jenkins.example.com/job/folder/job/name/42/` → (`folder/name`, `42`).
    static func jobAndBuild(fromURL url: String) -> (job: String, build: String)? {
        let parts = url.split(separator: "/").map(String.init)
        var names: [String] = []
        var index = 0
        while index + 1 < parts.count {
            if parts[index] == "job" { names.append(parts[index + 1]); index += 2 } else { index += 1 }
        }
        guard !names.isEmpty, let last = parts.last, let build = GitHubRunLocator.digits(last) else { return nil }
        return (names.joined(separator: "/"), build)
    }
}
