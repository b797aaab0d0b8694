import CustodyCore
import CustodyCrypto

/// A raw GitLab CI job trace (`GET /projects/:id/jobs/:job_id/trace`, or the runner's log file;
/// FORMATS.md §6.2).
///
/// The run is the GitLab job, keyed `gitlab:<project path>/jobs/<job id>`. A trace rarely names
/// its job id or project: they come from echoed `CI_JOB_ID`/`CI_JOB_URL`/`CI_PROJECT_PATH`, then
/// the file's path (`…/jobs/<id>/…`, `<id>.log`, `job-<id>.trace`), then the `/builds/<path>`
/// clone directory; a trace that gives no job id is keyed by its document hash. The commit is
/// usually only the 8-hex short SHA of `Checking out 1a2b3c4d as …`: it is kept as the run
/// attribute `commit_short`, and the `workflow-short-commits` derivation links the run to the
/// stored commit with that prefix when exactly one exists.
public struct GitLabTraceIngestor: Ingestor {
    public init() {}

    public var descriptor: IngestorDescriptor {
        IngestorDescriptor(
            id: "gitlab-ci-trace",
            version: "1",
            summary: "GitLab CI job trace (raw job log with section markers, ANSI, optional timestamps)",
            emits: "run, commit, artifact, tag, image-repository, remote-script, identity; builtFrom, produced, pointsTo, fetched, triggeredBy")
    }

    public func detect(_ sample: DetectionSample) -> Confidence {
        guard !sample.head.contains(0) else { return .none }
        let stamped = sample.head.firstIndex(of: 0x20).flatMap { space -> Bool? in
            guard space >= 20, space < 40,
                  sample.head.withUnsafeBufferPointer({ GitHubLogScanner.timestampRange($0, 0, space) }) != nil else { return nil }
            return GitLabTracePrefix.isStreamPrefix(sample.head, at: space + 1)
        }
        // A timestamped first line without GitLab's stream prefix is a GitHub log that merely
        // prints GitLab markers (a job echoing a trace), not a trace.
        if stamped == false { return .none }
        if stamped == true { return .high }
        return sample.contains("Running with gitlab-runner") || sample.contains("section_start:") ? .high : .none
    }

    public func ingest(_ input: IngestInput) throws -> FactBatch {
        try GitHubJobLogIngestor.checkText(input.bytes, source: input.source)
        let trace = GitLabTraceScanner.scan(input.bytes)
        guard trace.runner["runner_version"] != nil || trace.firstTime != nil || trace.projectPath != nil else {
            throw CustodyError.rejected("not a GitLab CI job trace: no runner banner, section marker or timestamp prefix",
                                        at: SourceLocation(path: input.source, line: 1))
        }
        var batch = FactBatch()
        let env = trace.environment
        let jobURL = env["CI_JOB_URL"]
        let project = env["CI_PROJECT_PATH"] ?? jobURL.flatMap(GitLabKeys.project(fromJobURL:)) ?? trace.projectPath
        let jobID = env["CI_JOB_ID"] ?? jobURL.flatMap(GitLabKeys.jobID(fromURL:)) ?? GitLabKeys.jobID(fromPath: input.source)
        let host = (env["CI_SERVER_URL"] ?? jobURL ?? env["CI_PROJECT_URL"]).flatMap(GitLabKeys.host(fromURL:))
        let fallback = "trace-" + SHA256Hasher.hex(of: input.bytes).prefix(16)
        let key = GitLabKeys.run(project: project ?? "unknown", jobID: jobID ?? fallback)

        var attributes = trace.runner
        attributes["provider"] = "gitlab"
        attributes["repository"] = project
        attributes["run_id"] = jobID
        attributes["attempt"] = "1"
        attributes["incomplete"] = "true"
        attributes["started_at"] = trace.firstTime?.rfc3339
        attributes["completed_at"] = trace.lastTime?.rfc3339
        attributes["image"] = trace.image
        attributes["image_digest"] = trace.imageDigest
        attributes["status"] = trace.status
        attributes["ref"] = env["CI_COMMIT_REF_NAME"] ?? trace.checkoutRef
        attributes["pipeline_id"] = env["CI_PIPELINE_ID"]
        let signed = trace.signatures.map(\.digest)
        if !signed.isEmpty { attributes["cosign_signed"] = signed.joined(separator: " ") }
        let first = trace.firstTime, last = trace.lastTime
        let fullSHA = env["CI_COMMIT_SHA"].flatMap { CIText.commitSHA(Substring($0)) }
        if fullSHA == nil, let short = trace.shortSHA { attributes["commit_short"] = short }
        let run = batch.node(.run, key, attributes: attributes, at: ":1")

        if let sha = fullSHA {
            let commit = batch.node(.commit, sha)
            batch.edge(.builtFrom, from: run, to: commit, firstSeen: first, lastSeen: last)
            if let host, let project {
                batch.edge(.inRepository, from: commit, to: batch.node(.repository, "\(host)/\(project)"))
            }
        } else if let short = trace.shortSHA {
            batch.diagnose(Diagnostic(.info, "the trace gives only the short commit \(short) (Checking out …): kept as commit_short on \(key); it is linked to a stored commit only when exactly one stored commit starts with it"))
        }
        for push in trace.pushes {
            CIRunFacts.addPush(push, run: run, first: first, last: last, location: ":\(push.line)", into: &batch)
        }
        for script in trace.scripts { CIRunFacts.addScript(script, run: run, first: first, last: last, into: &batch) }
        if let login = env["GITLAB_USER_LOGIN"] {
            batch.edge(.triggeredBy, from: run, to: batch.node(.identity, "actor:gitlab:\(login)"), firstSeen: first, lastSeen: last)
        }
        if jobID == nil { batch.warn("the trace reveals no job id (no CI_JOB_ID, no …/jobs/<id>/ path); run keyed \(key)") }
        if project == nil { batch.warn("the trace reveals no project path; run keyed \(key)") }
        if first == nil { batch.warn("the trace carries no time (no section markers or timestamps): its facts are timeless") }
        batch.observedAt = last
        return batch
    }
}

/// GitLab node keys and the URL/path shapes they are read from.
enum GitLabKeys {
    static func run(project: String, jobID: String) -> String { "gitlab:\(project)/jobs/\(jobID)" }

    /// `https://gitlab.example.com/group/sub/project/-/jobs/123` → `group/sub/project`.
    static func project(fromJobURL url: String) -> String? {
        guard let marker = url.range(of: "/-/"), let scheme = url.range(of: "://") else { return nil }
        let path = url[scheme.upperBound..<marker.lowerBound].drop { $0 != "/" }.dropFirst()
        return path.isEmpty ? nil : String(path)
    }

    static func jobID(fromURL url: String) -> String? {
        guard let marker = url.range(of: "/-/jobs/") else { return nil }
        return GitHubRunLocator.digits(String(url[marker.upperBound...].prefix { $0.isNumber }))
    }

    /// Lower-cased host (with port) of an absolute URL.
    static func host(fromURL url: String) -> String? {
        guard let scheme = url.range(of: "://") else { return nil }
        let host = url[scheme.upperBound...].prefix { $0 != "/" }
        return host.isEmpty ? nil : host.lowercased()
    }

    /// `…/jobs/<id>/…`, `<id>.log`, `job-<id>.trace`, `job_<id>.txt`.
    static func jobID(fromPath source: String) -> String? {
        let parts = source.split(separator: "/")
        if let jobs = parts.lastIndex(of: "jobs"), jobs + 1 < parts.count, let id = GitHubRunLocator.digits(String(parts[jobs + 1])) {
            return id
        }
        guard let last = parts.last else { return nil }
        var stem = last.prefix { $0 != "." }
        for prefix in ["job-", "job_", "job"] where stem.hasPrefix(prefix) {
            stem = stem.dropFirst(prefix.count)
            break
        }
        return GitHubRunLocator.digits(String(stem))
    }
}
