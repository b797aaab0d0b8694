import CustodyCore
import CustodyJSON

/// GitLab job records from the REST API (`GET /projects/:id/jobs/:job_id`, or the array of
/// `GET /projects/:id/pipelines/:pipeline_id/jobs`): the run (GitLab job) with its times,
/// status, stage and pipeline, the full commit it built (`commit.id`) in its repository (host and
/// project path from `web_url`), and the user who triggered it.
public struct GitLabJobIngestor: Ingestor {
    public init() {}

    public var descriptor: IngestorDescriptor {
        IngestorDescriptor(
            id: "gitlab-ci-job",
            version: "1",
            summary: "GitLab CI job records from the REST API (one job object or a pipeline's job array)",
            emits: "run, commit, repository, identity; builtFrom, inRepository, triggeredBy")
    }

    public func detect(_ sample: DetectionSample) -> Confidence {
        guard sample.looksLikeJSON, sample.contains("\"web_url\""), sample.contains("/-/jobs/") else { return .none }
        return sample.contains("\"pipeline\"") && sample.contains("\"stage\"") ? .high : .none
    }

    public func ingest(_ input: IngestInput) throws -> FactBatch {
        let document: JSONDocument
        do {
            document = try JSONDocument(bytes: input.bytes)
        } catch {
            throw CustodyError.rejected("not a readable JSON document: \(error.message)",
                                        at: SourceLocation(path: input.source, line: error.line, column: error.column))
        }
        var batch = FactBatch()
        let root = document.root
        if root.isArray {
            for (index, job) in root.elements.enumerated() { try add(job, pointer: "/\(index)", source: input.source, into: &batch) }
        } else {
            try add(root, pointer: "", source: input.source, into: &batch)
        }
        return batch
    }

    private func add(_ job: JSONValue, pointer: String, source: String, into batch: inout FactBatch) throws {
        func reject(_ message: String, _ value: JSONValue, _ at: String) -> CustodyError {
            CustodyError.rejected(message, at: SourceLocation(path: source, line: value.location.line, column: value.location.column,
                                                              pointer: at.isEmpty ? "/" : at))
        }
        guard job.isObject else { throw reject("a GitLab job record is a JSON object", job, pointer) }
        guard let id = job["id"].flatMap(SiblingRecords.text).flatMap(GitHubRunLocator.digits) else {
            throw reject("a GitLab job needs a numeric id", job["id"] ?? job, pointer + "/id")
        }
        guard let webURL = job["web_url"]?.string, let project = GitLabKeys.project(fromJobURL: webURL) else {
            throw reject("web_url must be the job's URL (…/<project>/-/jobs/<id>)", job["web_url"] ?? job, pointer + "/web_url")
        }
        let host = GitLabKeys.host(fromURL: webURL)
        let started = Timestamp(rfc3339OrNil: job["started_at"]?.string)
        let finished = Timestamp(rfc3339OrNil: job["finished_at"]?.string)
        let key = GitLabKeys.run(project: project, jobID: id)
        var attributes = ["provider": "gitlab", "repository": project, "run_id": id, "attempt": "1"]
        attributes["started_at"] = started?.rfc3339
        attributes["completed_at"] = finished?.rfc3339
        for field in ["status", "stage", "name", "ref"] { attributes[field] = job[field]?.string }
        attributes["pipeline_id"] = job["pipeline"]?["id"].flatMap(SiblingRecords.text)
        attributes["runner_name"] = job["runner"]?["description"]?.string
        let run = batch.node(.run, key, attributes: attributes, at: pointer.isEmpty ? "/" : pointer)
        let sha = (job["commit"]?["id"]?.string ?? job["pipeline"]?["sha"]?.string).flatMap { CIText.commitSHA(Substring($0)) }
        if let sha {
            let commit = batch.node(.commit, sha, at: pointer + "/commit/id")
            batch.edge(.builtFrom, from: run, to: commit, firstSeen: started, lastSeen: finished, at: pointer + "/commit/id")
            if let host {
                batch.edge(.inRepository, from: commit, to: batch.node(.repository, "\(host)/\(project)"), at: pointer + "/web_url")
            }
        }
        if let login = job["user"]?["username"]?.string, !login.isEmpty {
            batch.edge(.triggeredBy, from: run, to: batch.node(.identity, "actor:gitlab:\(login)"), firstSeen: started,
                       lastSeen: finished, at: pointer + "/user")
        }
    }
}
