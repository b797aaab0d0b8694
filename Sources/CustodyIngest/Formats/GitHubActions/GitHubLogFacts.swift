import CustodyCore

/// Turns a scanned GitHub job log into graph facts (docs/GRAPH.md). Shared by the plain job
/// log ingestor and the run-archive (zip) ingestor.
///
/// Intervals: every run edge a log asserts spans the job's own first and last timestamps (the
/// evidence's time, DESIGN.md §3); a `pointsTo` opened by a push is the instant of the push line.
/// Certainty: an action use with a SHA, a digest, a checked-out commit are `recorded`; an action
/// known only by its ref (runners before v2.280.0) and the Codecov uploader recognized by its
/// banner are `inferred`.
struct GitHubLogFacts {
    var batch: FactBatch
    let identity: GitHubRunIdentity
    /// Prepended to line locations (`<entry>` for a file inside a run archive).
    let locationPrefix: String

    mutating func add(_ log: GitHubJobLog) {
        let first = log.firstTime, last = log.lastTime
        let run = runNode(log)
        var jobAttributes = log.runner
        jobAttributes["name"] = identity.jobName
        jobAttributes["job_id"] = identity.jobID
        jobAttributes["started_at"] = first?.rfc3339
        jobAttributes["completed_at"] = last?.rfc3339
        let job = batch.node(.job, identity.jobKey, attributes: jobAttributes, at: location(1))
        batch.edge(.partOf, from: job, to: run, firstSeen: first, lastSeen: last, at: location(1))

        for use in log.actions { addAction(use, run: run, first: first, last: last) }
        for use in log.workflows {
            guard let workflow = GitHubKeys.workflow(qualifiedPath: use.path) else { continue }
            let node = batch.node(.workflow, workflow.key, attributes: ["repository": workflow.repository], at: location(use.line))
            let repository = batch.node(.repository, GitHubKeys.repository(workflow.repository))
            batch.edge(.definedIn, from: node, to: repository, at: location(use.line))
            var attributes = ["reusable": use.reusable ? "true" : "false"]
            attributes["ref"] = use.ref
            attributes["sha"] = use.sha
            batch.edge(.ranWorkflow, from: run, to: node, firstSeen: first, lastSeen: last, attributes: attributes, at: location(use.line))
        }
        var checkouts = log.checkouts
        if let sha = log.environment["GITHUB_SHA"].flatMap({ CIText.commitSHA(Substring($0)) }),
           !checkouts.contains(where: { $0.sha == sha }) {
            checkouts.append(.init(repository: identity.repository, sha: sha, line: 1))
        }
        for checkout in checkouts {
            let commit = batch.node(.commit, checkout.sha, at: location(checkout.line))
            var attributes: [String: String] = [:]
            if let repository = checkout.repository {
                attributes["repository"] = repository
                batch.edge(.inRepository, from: commit, to: batch.node(.repository, GitHubKeys.repository(repository)),
                           at: location(checkout.line))
            }
            batch.edge(.builtFrom, from: run, to: commit, firstSeen: first, lastSeen: last, attributes: attributes,
                       at: location(checkout.line))
        }
        for push in log.pushes {
            CIRunFacts.addPush(push, run: run, first: first, last: last, location: location(push.line), into: &batch)
        }
        for script in log.scripts {
            CIRunFacts.addScript(script, run: run, first: first, last: last, into: &batch)
        }
        for login in [log.environment["GITHUB_TRIGGERING_ACTOR"], log.environment["GITHUB_ACTOR"]].compactMap({ $0 }) {
            let actor = batch.node(.identity, GitHubKeys.actor(login))
            batch.edge(.triggeredBy, from: run, to: actor, firstSeen: first, lastSeen: last)
        }
    }

    private mutating func runNode(_ log: GitHubJobLog) -> LocalNodeID {
        var attributes = log.runner
        attributes["provider"] = "github"
        attributes["repository"] = identity.repository
        attributes["run_id"] = identity.runID
        attributes["attempt"] = String(identity.attempt)
        if !identity.confirmedByRunRecord {
            attributes["incomplete"] = "true"
            attributes["started_at"] = log.firstTime?.rfc3339
            attributes["completed_at"] = log.lastTime?.rfc3339
        }
        let signed = log.signatures.filter { $0.verb == "sign" }.map(\.digest)
        let attested = log.signatures.filter { $0.verb == "attest" }.map(\.digest)
        if !signed.isEmpty { attributes["cosign_signed"] = signed.joined(separator: " ") }
        if !attested.isEmpty { attributes["cosign_attested"] = attested.joined(separator: " ") }
        return batch.node(.run, identity.runKey, attributes: attributes, at: location(1))
    }

    /// `owner/repo@sha` (ref as an edge attribute), or `owner/repo@ref` marked unresolved when
    /// the runner did not print the SHA. A ref that is itself a full SHA is resolved.
    private mutating func addAction(_ use: GitHubJobLog.ActionUse, run: LocalNodeID, first: Timestamp?, last: Timestamp?) {
        let sha = use.sha ?? CIText.commitSHA(Substring(use.ref))
        let node: LocalNodeID
        if let sha {
            node = batch.node(.action, "\(use.name)@\(sha)", at: location(use.line))
        } else {
            node = batch.node(.action, "\(use.name)@\(use.ref)", attributes: ["unresolved": "true"], at: location(use.line))
        }
        batch.edge(.usedAction, from: run, to: node, firstSeen: first, lastSeen: last,
                   certainty: sha == nil ? .inferred : .recorded, attributes: ["ref": use.ref], at: location(use.line))
    }

    private func location(_ line: Int) -> String {
        locationPrefix.isEmpty ? ":\(line)" : "\(locationPrefix):\(line)"
    }
}

/// Facts every CI log ingestor writes the same way (GitHub, GitLab, Jenkins).
enum CIRunFacts {
    /// A pushed digest: the run produced it; the tag pointed to it at the push time; both live
    /// in the image repository.
    static func addPush(_ push: GitHubJobLog.Push, run: LocalNodeID, first: Timestamp?, last: Timestamp?, location: String,
                        into batch: inout FactBatch) {
        let artifact = batch.node(.artifact, push.image.digest, at: location)
        var attributes = ["tool": push.image.tool]
        attributes["tag"] = push.image.tag
        attributes["repository"] = push.image.repository
        batch.edge(.produced, from: run, to: artifact, firstSeen: first, lastSeen: last, attributes: attributes, at: location)
        guard let repositoryKey = push.image.repository else { return }
        let repository = batch.node(.imageRepository, repositoryKey, at: location)
        let pushedAt = push.time ?? last
        batch.edge(.storedIn, from: artifact, to: repository, firstSeen: pushedAt, lastSeen: pushedAt, at: location)
        if let tag = push.image.tag {
            let tagNode = batch.node(.tag, "\(repositoryKey):\(tag)", at: location)
            batch.edge(.pointsTo, from: tagNode, to: artifact, firstSeen: pushedAt, lastSeen: pushedAt,
                       attributes: ["source": "ci-log"], at: location)
            batch.edge(.storedIn, from: tagNode, to: repository, firstSeen: pushedAt, lastSeen: pushedAt, at: location)
        }
    }

    /// A script the run fetched and executed; the content hash, when printed, is on the edge
    /// (what this run got), since the content behind one URL changes over time.
    static func addScript(_ script: FetchedScript, run: LocalNodeID, first: Timestamp?, last: Timestamp?,
                          into batch: inout FactBatch) {
        let node = batch.node(.remoteScript, script.url)
        var attributes = ["how": script.how]
        attributes["content_hash"] = script.contentHash
        attributes["version"] = script.version
        batch.edge(.fetched, from: run, to: node, firstSeen: first, lastSeen: last,
                   certainty: script.recorded ? .recorded : .inferred, attributes: attributes)
    }
}
