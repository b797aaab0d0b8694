import CustodyCore

/// A GitHub Actions workflow file at a commit (`.github/workflows/*.yml`; see
/// `WorkflowLocation` for where repository and commit come from).
///
/// Facts: the workflow node (`definedIn` its repository) and each commit it is the content of
/// (`inRepository`). The document is the evidence the `workflow-scope` derivation re-reads:
/// for every run of this workflow at one of these commits it adds the secrets the jobs
/// reference (`couldRead`), the declared `uses:` no log resolved (`usedAction`, inferred for
/// mutable refs), and scripts the `run:` blocks fetch and execute (`fetched`, inferred). The
/// derived facts live with the runs, so a workflow file ingested before or after its runs
/// gives the same graph.
public struct WorkflowFileIngestor: Ingestor {
    public init() {}

    public var descriptor: IngestorDescriptor {
        IngestorDescriptor(
            id: "github-workflow",
            version: "1",
            summary: "GitHub Actions workflow file at a commit (repos/<owner>/<repo>/<commit>/.github/workflows/*.yml, or a git checkout)",
            emits: "workflow, commit, repository; definedIn, inRepository (runs get couldRead, usedAction, fetched by derivation)")
    }

    public func detect(_ sample: DetectionSample) -> Confidence {
        guard sample.fileNameHasSuffix(".yml", ".yaml"), !sample.head.contains(0) else { return .none }
        let text = "\n" + sample.text
        let hasJobs = text.contains("\njobs:")
        let hasTrigger = text.contains("\non:") || text.contains("\n\"on\":") || text.contains("\n'on':") || text.contains("\ntrue:")
        guard hasJobs else { return .none }
        if hasTrigger { return .high }
        return text.contains("runs-on:") || text.contains("steps:") ? .medium : .none
    }

    public func ingest(_ input: IngestInput) throws -> FactBatch {
        let workflow = try WorkflowParser.parse(input.bytes, source: input.source)
        guard let location = WorkflowLocation.resolve(source: input.source, bytes: input.bytes) else {
            throw CustodyError.rejected(
                "a workflow file's repository and commit come from its path (repos/<owner>/<repo>/<commit>/.github/workflows/<file>) or its git checkout; neither was found, so its runs could not be matched",
                at: SourceLocation(path: input.source))
        }
        var batch = FactBatch()
        let repository = batch.node(.repository, location.repositoryKey)
        var attributes = ["repository": location.repository, "path": location.path]
        attributes["name"] = workflow.name
        let node = batch.node(.workflow, location.workflowKey, attributes: attributes)
        batch.edge(.definedIn, from: node, to: repository)
        for (sha, path) in location.commits {
            let commit = batch.node(.commit, sha, at: path)
            batch.edge(.inRepository, from: commit, to: repository, at: path)
        }
        if location.commits.isEmpty {
            batch.warn("the checkout's HEAD commit could not be read: no run can be matched to this file")
        } else if location.commits.count > 1 {
            batch.diagnose(Diagnostic(.info, "the same file is at \(location.commits.count) commits (\(location.commits.map { String($0.sha.prefix(8)) }.joined(separator: ", "))); recorded for each"))
        }
        for job in workflow.jobs {
            if job.inheritsSecrets {
                batch.diagnose(Diagnostic(.info, "job \(job.id) passes every repository secret to \(job.calls?.written ?? "a reusable workflow") (secrets: inherit); they cannot be enumerated from this file",
                                          at: ":\(job.line)"))
            }
            let unpinned = job.uses.filter { $0.name != nil && $0.pinnedSHA == nil }
            if !unpinned.isEmpty {
                batch.diagnose(Diagnostic(.info, "job \(job.id) uses \(unpinned.count) action(s) by mutable ref (\(unpinned.map(\.written).joined(separator: ", "))); runs without a log get inferred uses",
                                          at: ":\(job.line)"))
            }
        }
        if workflow.jobs.isEmpty { batch.warn("the workflow declares no jobs") }
        return batch
    }
}
