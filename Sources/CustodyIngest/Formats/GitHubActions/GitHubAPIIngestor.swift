import CustodyCore
import CustodyJSON

/// GitHub Actions run and job records from the REST API and webhooks (FORMATS.md §6.1): a
/// workflow run (`GET …/actions/runs/{id}`), a run list (`{"workflow_runs": […]}`), a job or job
/// list (`{"total_count", "jobs": […]}`), and the `workflow_run` / `workflow_job` webhook
/// payloads. See `GitHubAPIFacts` for what becomes a fact.
public struct GitHubAPIIngestor: Ingestor {
    public init() {}

    public var descriptor: IngestorDescriptor {
        IngestorDescriptor(
            id: "github-actions-api",
            version: "1",
            summary: "GitHub Actions run and job records: REST API objects (run.json, jobs.json) and workflow_run / workflow_job webhooks",
            emits: "run, job, workflow, commit, repository, identity; ranWorkflow, builtFrom, inRepository, definedIn, triggeredBy, partOf")
    }

    public func detect(_ sample: DetectionSample) -> Confidence {
        guard sample.looksLikeJSON else { return .none }
        if sample.contains("\"workflow_run\""), sample.contains("\"head_sha\"") { return .high }
        if sample.contains("\"workflow_job\""), sample.contains("\"run_id\"") { return .high }
        if sample.contains("\"workflow_runs\""), sample.contains("\"workflow_id\"") { return .high }
        if sample.contains("\"workflow_id\""), sample.contains("\"run_attempt\"") || sample.contains("\"run_number\""),
           sample.contains("\"head_sha\"") { return .high }
        if sample.contains("\"jobs\""), sample.contains("\"run_id\"") { return .high }
        if sample.contains("\"run_id\""), sample.contains("\"runner_name\"") || sample.contains("\"steps\""), sample.contains("\"head_sha\"") {
            return .high
        }
        return .none
    }

    public func ingest(_ input: IngestInput) throws -> FactBatch {
        let document: JSONDocument
        do {
            document = try JSONDocument(bytes: input.bytes)
        } catch {
            throw CustodyError.rejected("not a readable JSON document: \(error.message)",
                                        at: SourceLocation(path: input.source, line: error.line, column: error.column))
        }
        let root = document.root
        var facts = GitHubAPIFacts(source: input.source)
        guard root.isObject else {
            throw facts.reject("a GitHub Actions API record is a JSON object", root, "")
        }
        let payloadRepository = root["repository"]?["full_name"]?.string
        if let run = root["workflow_run"], run.isObject {
            try facts.addRun(run, pointer: "/workflow_run", fallbackRepository: payloadRepository)
        } else if let job = root["workflow_job"], job.isObject {
            try facts.addJob(job, pointer: "/workflow_job", fallbackRepository: payloadRepository)
        } else if let runs = root["workflow_runs"] {
            guard runs.isArray else { throw facts.reject("workflow_runs must be an array", runs, "/workflow_runs") }
            for (index, run) in runs.elements.enumerated() {
                try facts.addRun(run, pointer: "/workflow_runs/\(index)", fallbackRepository: nil)
            }
        } else if let jobs = root["jobs"] {
            guard jobs.isArray else { throw facts.reject("jobs must be an array", jobs, "/jobs") }
            for (index, job) in jobs.elements.enumerated() {
                try facts.addJob(job, pointer: "/jobs/\(index)", fallbackRepository: nil)
            }
            if jobs.count == 0 { facts.batch.warn("the job list is empty", at: "/jobs") }
        } else if root["workflow_id"] != nil {
            try facts.addRun(root, pointer: "", fallbackRepository: nil)
        } else if root["run_id"] != nil {
            try facts.addJob(root, pointer: "", fallbackRepository: nil)
        } else {
            throw facts.reject("not a GitHub Actions run or job record (no workflow_run, workflow_job, workflow_runs, jobs, workflow_id or run_id)",
                               root, "")
        }
        return facts.batch
    }
}

/// The facts of run and job records. A run: its node (provider, repository, run_id, attempt,
/// started_at = `run_started_at`, completed_at = `updated_at` once `status` is completed), the
/// workflow it ran (and reusable workflows from `referenced_workflows`), the head commit in its
/// repository, who triggered it. A job: its node under the run, `partOf` the run, and the
/// commit it built. Run edges span the run's start..end; job edges the job's.
struct GitHubAPIFacts {
    let source: String
    var batch = FactBatch()

    mutating func addRun(_ run: JSONValue, pointer: String, fallbackRepository: String?) throws {
        guard run.isObject else { throw reject("a workflow run must be an object", run, pointer) }
        guard let id = run["id"].flatMap(SiblingRecords.text), let runID = GitHubRunLocator.digits(id) else {
            throw reject("a workflow run needs a numeric id", run["id"] ?? run, pointer + "/id")
        }
        guard let repository = run["repository"]?["full_name"]?.string ?? fallbackRepository
            ?? run["url"]?.string.flatMap(GitHubKeys.repository(fromURL:)) else {
            throw reject("the run names no repository (repository.full_name)", run, pointer + "/repository")
        }
        let attempt = Int(run["run_attempt"].flatMap(SiblingRecords.text) ?? "1") ?? 1
        let started = Timestamp(rfc3339OrNil: run["run_started_at"]?.string ?? run["created_at"]?.string)
        let completed = run["status"]?.string == "completed" ? Timestamp(rfc3339OrNil: run["updated_at"]?.string) : nil
        var attributes: [String: String] = ["provider": "github", "repository": repository, "run_id": runID, "attempt": String(attempt)]
        attributes["started_at"] = started?.rfc3339
        attributes["completed_at"] = completed?.rfc3339
        for (key, field) in [("run_number", "run_number"), ("event", "event"), ("status", "status"), ("conclusion", "conclusion"),
                             ("head_branch", "head_branch"), ("workflow_name", "name"), ("workflow_path", "path")] {
            attributes[key] = run[field].flatMap(SiblingRecords.text)
        }
        let key = GitHubKeys.run(repository: repository, runID: runID, attempt: attempt)
        let node = batch.node(.run, key, attributes: attributes, at: pointer.isEmpty ? "/" : pointer)

        if let path = run["path"]?.string, !path.isEmpty {
            let workflowPath = String(path.prefix { $0 != "@" })
            let workflow = workflowNode(repository: repository, path: workflowPath, name: run["name"]?.string, pointer: pointer + "/path")
            batch.edge(.ranWorkflow, from: node, to: workflow, firstSeen: started, lastSeen: completed, at: pointer + "/path")
        }
        if let referenced = run["referenced_workflows"], referenced.isArray {
            for (index, entry) in referenced.elements.enumerated() {
                guard let spec = entry["path"]?.string else { continue }
                let at = "\(pointer)/referenced_workflows/\(index)"
                let qualified = String(spec.prefix { $0 != "@" })
                guard let called = GitHubKeys.workflow(qualifiedPath: qualified) else { continue }
                let workflow = workflowNode(repository: called.repository, path: String(qualified.dropFirst(called.repository.count + 1)),
                                            name: nil, pointer: at)
                var edgeAttributes = ["reusable": "true"]
                edgeAttributes["sha"] = entry["sha"]?.string
                edgeAttributes["ref"] = entry["ref"]?.string
                batch.edge(.ranWorkflow, from: node, to: workflow, firstSeen: started, lastSeen: completed,
                           attributes: edgeAttributes, at: at)
            }
        }
        if let sha = run["head_sha"]?.string.flatMap({ CIText.commitSHA(Substring($0)) }) {
            let commitRepository = run["head_repository"]?["full_name"]?.string ?? repository
            addCommit(sha, repository: commitRepository, run: node, first: started, last: completed, pointer: pointer + "/head_sha")
        }
        for (field, role) in [("triggering_actor", "triggering_actor"), ("actor", "actor")] {
            guard let login = run[field]?["login"]?.string, !login.isEmpty else { continue }
            let actor = batch.node(.identity, GitHubKeys.actor(login), at: "\(pointer)/\(field)")
            batch.edge(.triggeredBy, from: node, to: actor, firstSeen: started, lastSeen: completed, attributes: ["role": role],
                       at: "\(pointer)/\(field)")
        }
    }

    mutating func addJob(_ job: JSONValue, pointer: String, fallbackRepository: String?) throws {
        guard job.isObject else { throw reject("a job must be an object", job, pointer) }
        guard let id = job["id"].flatMap(SiblingRecords.text).flatMap(GitHubRunLocator.digits),
              let runID = job["run_id"].flatMap(SiblingRecords.text).flatMap(GitHubRunLocator.digits) else {
            throw reject("a job needs numeric id and run_id", job, pointer)
        }
        guard let repository = (job["run_url"]?.string ?? job["url"]?.string ?? job["html_url"]?.string)
            .flatMap(GitHubKeys.repository(fromURL:)) ?? fallbackRepository else {
            throw reject("the job names no repository (run_url)", job, pointer + "/run_url")
        }
        let attempt = Int(job["run_attempt"].flatMap(SiblingRecords.text) ?? "1") ?? 1
        let started = Timestamp(rfc3339OrNil: job["started_at"]?.string)
        let completed = Timestamp(rfc3339OrNil: job["completed_at"]?.string)
        let runKey = GitHubKeys.run(repository: repository, runID: runID, attempt: attempt)
        let run = batch.node(.run, runKey, attributes: ["provider": "github", "repository": repository, "run_id": runID,
                                                         "attempt": String(attempt)], at: pointer + "/run_id")
        var attributes: [String: String] = ["job_id": id]
        for (key, field) in [("name", "name"), ("status", "status"), ("conclusion", "conclusion"), ("runner_name", "runner_name"),
                             ("runner_group", "runner_group_name"), ("workflow_name", "workflow_name")] {
            attributes[key] = job[field].flatMap(SiblingRecords.text)
        }
        attributes["started_at"] = started?.rfc3339
        attributes["completed_at"] = completed?.rfc3339
        if let labels = job["labels"], labels.isArray {
            attributes["labels"] = labels.elements.compactMap(\.string).joined(separator: ",")
        }
        let node = batch.node(.job, "\(runKey)/jobs/\(id)", attributes: attributes, at: pointer.isEmpty ? "/" : pointer)
        batch.edge(.partOf, from: node, to: run, firstSeen: started, lastSeen: completed, at: pointer)
        if let sha = job["head_sha"]?.string.flatMap({ CIText.commitSHA(Substring($0)) }) {
            addCommit(sha, repository: repository, run: run, first: started, last: completed, pointer: pointer + "/head_sha")
        }
    }

    private mutating func workflowNode(repository: String, path: String, name: String?, pointer: String) -> LocalNodeID {
        var attributes = ["repository": repository, "path": path]
        attributes["name"] = name
        let workflow = batch.node(.workflow, GitHubKeys.workflow(repository: repository, path: path), attributes: attributes, at: pointer)
        batch.edge(.definedIn, from: workflow, to: batch.node(.repository, GitHubKeys.repository(repository)), at: pointer)
        return workflow
    }

    private mutating func addCommit(_ sha: String, repository: String, run: LocalNodeID, first: Timestamp?, last: Timestamp?,
                                    pointer: String) {
        let commit = batch.node(.commit, sha, at: pointer)
        batch.edge(.inRepository, from: commit, to: batch.node(.repository, GitHubKeys.repository(repository)), at: pointer)
        batch.edge(.builtFrom, from: run, to: commit, firstSeen: first, lastSeen: last, at: pointer)
    }

    func reject(_ message: String, _ value: JSONValue, _ pointer: String) -> CustodyError {
        let position = value.location
        return CustodyError.rejected(message, at: SourceLocation(path: source, line: position.line, column: position.column,
                                                                 pointer: pointer.isEmpty ? "/" : pointer))
    }
}
