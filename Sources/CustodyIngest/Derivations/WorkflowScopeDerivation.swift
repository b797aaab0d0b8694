import CustodyCore
import CustodyStore

/// What each GitHub run could reach and ran, according to the workflow file at its commit.
///
/// For every stored workflow file (format `github-workflow`) and every run that ran that
/// workflow (`ranWorkflow`) built from one of the commits the file was found at (`builtFrom`),
/// this adds, spanning the run's interval:
///
/// - `couldRead` run → secret `github:<owner>/<repo>:<NAME>` for each secret any job of the file
///   references (workflow-level `env` included), attribute `jobs`; recorded (the file at that
///   commit says so);
/// - `usedAction` run → action for each declared `uses:` of a job, unless a log of the run
///   already recorded a use of that action (then the log's resolved SHA is the better fact):
///   a mutable ref goes to the unresolved `owner/repo@<ref>` node, `inferred`; a full SHA to
///   `owner/repo@<sha>`, recorded;
/// - `fetched` run → remote-script for `curl … | bash`-style `run:` lines, `inferred`;
/// - `ranWorkflow` run → called reusable workflow for `jobs.<id>.uses`, `inferred`.
///
/// Evidence of each derived edge: the workflow file and the documents that recorded the run's
/// workflow (its run record or log).
public struct WorkflowScopeDerivation: Derivation {
    public init() {}

    public var id: String { "workflow-scope" }

    public func derive(from reader: GraphReader) throws -> DerivedFacts {
        var facts = DerivedFacts()
        let links = try reader.documentNodes(formats: ["github-workflow"], kinds: [.workflow, .commit])
        var byDocument: [Int64: (workflow: StoredNode?, commits: [String])] = [:]
        for link in links {
            var entry = byDocument[link.documentID] ?? (nil, [])
            if link.node.ref.kind == .workflow { entry.workflow = link.node } else { entry.commits.append(link.node.ref.key) }
            byDocument[link.documentID] = entry
        }
        let documents = try reader.documents(formats: ["github-workflow"])
        for document in documents {
            guard let entry = byDocument[document.id], let workflowNode = entry.workflow, !entry.commits.isEmpty,
                  let repository = Self.repository(ofWorkflowKey: workflowNode.ref.key),
                  let bytes = try reader.content(documentID: document.id),
                  let file = try? WorkflowParser.parse(bytes, source: document.source) else { continue }
            for run in try runs(of: workflowNode.id, commits: entry.commits, reader: reader) {
                let evidence = [document.sha256] + run.evidence
                try add(file, repository: repository, run: run, evidence: evidence, reader: reader, into: &facts)
            }
        }
        return facts
    }

    struct RunOfWorkflow {
        var id: Int64
        var ref: NodeRef
        var first: Timestamp?
        var last: Timestamp?
        var evidence: [String]
    }

    /// Runs that recorded (not derived) running `workflow` at one of `commits`.
    func runs(of workflow: Int64, commits: [String], reader: GraphReader) throws -> [RunOfWorkflow] {
        let marks = commits.map { _ in "?" }.joined(separator: ",")
        let rows = try reader.rows("""
            SELECT r.id, r.key, min(rw.first_seen), max(rw.last_seen), group_concat(rw.id)
            FROM edges rw
            JOIN nodes r ON r.id = rw.src AND r.kind = 'run'
            WHERE rw.dst = ? AND rw.kind = 'ranWorkflow' AND rw.qualifier NOT LIKE 'derived:%'
              AND EXISTS (SELECT 1 FROM edges bf JOIN nodes c ON c.id = bf.dst
                          WHERE bf.src = r.id AND bf.kind = 'builtFrom' AND bf.qualifier NOT LIKE 'derived:%'
                            AND c.kind = 'commit' AND c.key IN (\(marks)))
            GROUP BY r.id ORDER BY r.key
            """, [.integer(workflow)] + commits.map { .text($0) })
        return try rows.compactMap { row in
            guard let id = row[0].int64, case let .text(key) = row[1] else { return nil }
            var evidence: [String] = []
            if case let .text(edgeIDs) = row[4] {
                for edge in edgeIDs.split(separator: ",").compactMap({ Int64($0) }) {
                    evidence += try reader.evidence(edge: edge).map(\.sha256)
                }
            }
            return RunOfWorkflow(id: id, ref: NodeRef(.run, key), first: row[2].timestamp, last: row[3].timestamp,
                                 evidence: Array(Set(evidence)).sorted())
        }
    }

    private func add(_ file: WorkflowFile, repository: String, run: RunOfWorkflow, evidence: [String], reader: GraphReader,
                     into facts: inout DerivedFacts) throws {
        var secretJobs: [String: [String]] = [:]
        for job in file.jobs {
            for secret in job.secrets { secretJobs[secret, default: []].append(job.id) }
        }
        for (secret, jobs) in secretJobs.sorted(by: { $0.key < $1.key }) {
            facts.edge(.couldRead, from: run.ref, to: NodeRef(.secret, "github:\(repository):\(secret)"), derivation: id,
                       firstSeen: run.first, lastSeen: run.last, attributes: ["jobs": jobs.sorted().joined(separator: ",")],
                       evidence: evidence)
        }
        let logged = try loggedActions(of: run.id, reader: reader)
        for job in file.jobs {
            for uses in job.uses {
                guard let name = uses.name, let ref = uses.ref, !logged.contains(name.lowercased()) else { continue }
                let sha = uses.pinnedSHA
                let target = NodeRef(.action, "\(name)@\(sha ?? ref)")
                if sha == nil { facts.batch.node(target, attributes: ["unresolved": "true"]) }
                facts.edge(.usedAction, from: run.ref, to: target, derivation: id, firstSeen: run.first, lastSeen: run.last,
                           certainty: sha == nil ? .inferred : .recorded, attributes: ["ref": ref, "declared": "true", "job": job.id],
                           evidence: evidence)
            }
            for script in job.scripts {
                facts.edge(.fetched, from: run.ref, to: NodeRef(.remoteScript, script.url), derivation: id, firstSeen: run.first,
                           lastSeen: run.last, certainty: .inferred, attributes: ["how": script.how, "declared": "true", "job": job.id],
                           evidence: evidence)
            }
            if let calls = job.calls, let name = calls.name, let ref = calls.ref, calls.isReusableWorkflow,
               let called = GitHubKeys.workflow(qualifiedPath: name) {
                facts.edge(.ranWorkflow, from: run.ref, to: NodeRef(.workflow, called.key), derivation: id, firstSeen: run.first,
                           lastSeen: run.last, certainty: calls.pinnedSHA == nil ? .inferred : .recorded,
                           attributes: ["ref": ref, "reusable": "true", "job": job.id], evidence: evidence)
            }
        }
    }

    /// `owner/repo[/path]` (lower-cased) of every action a log recorded for this run.
    private func loggedActions(of run: Int64, reader: GraphReader) throws -> Set<String> {
        let rows = try reader.rows("""
            SELECT n.key FROM edges e JOIN nodes n ON n.id = e.dst
            WHERE e.src = ? AND e.kind = 'usedAction' AND e.qualifier NOT LIKE 'derived:%'
            """, [.integer(run)])
        return Set(rows.compactMap { row -> String? in
            guard case let .text(key) = row[0], let at = key.lastIndex(of: "@") else { return nil }
            return key[key.startIndex..<at].lowercased()
        })
    }

    /// `github.com/<owner>/<repo>/.github/workflows/x.yml` → `owner/repo`.
    static func repository(ofWorkflowKey key: String) -> String? {
        guard let range = key.range(of: "/.github/workflows/") else { return nil }
        let parts = key[key.startIndex..<range.lowerBound].split(separator: "/")
        guard parts.count >= 3 else { return nil }
        return parts.dropFirst().joined(separator: "/")
    }
}
