import CustodyCore
import CustodyIngest
import Foundation
import Testing

/// Run and job records: the real octokit webhook payloads and the scenario's REST objects.
@Suite("GitHub Actions run and job records")
struct GitHubAPITests {
    static func fixture(_ name: String) throws -> FactBatch {
        let relative = "ci/github-actions/" + name
        return try GitHubAPIIngestor().ingest(IngestInput(source: relative, fileName: name, bytes: try SharedFixtures.bytes(relative)))
    }

    static func json(_ text: String) throws -> FactBatch {
        try GitHubAPIIngestor().ingest(IngestInput(source: "inline.json", fileName: "inline.json", bytes: Array(text.utf8)))
    }

    @Test func workflowRunWebhook() throws {
        let batch = try Self.fixture("workflow_run.completed.json")
        let key = "github:octo-org/octo-repo/289782451"
        let run = try #require(batch.node(.run, key))
        #expect(run.attributes["provider"] == "github")
        #expect(run.attributes["repository"] == "octo-org/octo-repo")
        #expect(run.attributes["run_id"] == "289782451")
        #expect(run.attributes["attempt"] == "1")
        #expect(run.attributes["started_at"] == "2020-10-05T16:33:49Z")
        #expect(run.attributes["completed_at"] == "2020-10-05T16:33:49Z")
        #expect(run.attributes["incomplete"] == nil)
        let commit = NodeRef(.commit, "3484a3fb816e0859fd6e1cea078d76385ff50625")
        expectEdge(batch, .builtFrom, run.ref, commit)
        expectEdge(batch, .inRepository, commit, NodeRef(.repository, "github.com/octo-org/octo-repo"))
        expectEdge(batch, .ranWorkflow, run.ref, NodeRef(.workflow, "github.com/octo-org/octo-repo/.github/workflows/test.yml"))
        #expect(!batch.edges(.triggeredBy, from: run.ref).isEmpty)
        let interval = try #require(batch.edges(.builtFrom, from: run.ref).first)
        #expect(interval.firstSeen == CITest.time("2020-10-05T16:33:49Z"))
    }

    @Test(arguments: ["workflow_job.completed.success.json", "workflow_job.completed.failure.json"])
    func workflowJobWebhook(_ name: String) throws {
        let batch = try Self.fixture(name)
        // run_id, not the (inconsistent) id at the end of run_url, names the run.
        let run = NodeRef(.run, "github:octo-org/octo-repo/2202229078")
        let job = try #require(batch.node(.job, "github:octo-org/octo-repo/2202229078/jobs/289782451"))
        #expect(job.attributes["name"] == "linters")
        #expect(job.attributes["runner_name"] == "GitHub Actions 5")
        #expect(job.attributes["conclusion"] == (name.contains("success") ? "success" : "failure"))
        let partOf = try #require(batch.edges(.partOf, from: job.ref, to: run).first)
        #expect(partOf.firstSeen == CITest.time("2021-08-05T10:34:58Z"))
        #expect(partOf.lastSeen == CITest.time("2021-08-05T10:38:16Z"))
        expectEdge(batch, .builtFrom, run, NodeRef(.commit, "3484a3fb816e0859fd6e1cea078d76385ff50625"))
    }

    @Test func scenarioRunAndJobs() throws {
        let directory = SharedFixtures.scenario("F-codecov/gha/9400000003")
        let ingestor = GitHubAPIIngestor()
        let run = try ingestor.ingest(IngestInput(source: "run.json", fileName: "run.json",
                                                  bytes: [UInt8](try Data(contentsOf: directory.appendingPathComponent("run.json")))))
        let key = "github:acme/billing-service/9400000003"
        #expect(run.node(.run, key)?.attributes["started_at"] == "2021-03-10T16:00:01Z")
        #expect(run.node(.run, key)?.attributes["completed_at"] == "2021-03-10T16:02:13Z")
        expectEdge(run, .triggeredBy, NodeRef(.run, key), NodeRef(.identity, "actor:github:mkowalski"))
        expectEdge(run, .ranWorkflow, NodeRef(.run, key), NodeRef(.workflow, "github.com/acme/billing-service/.github/workflows/release.yml"))
        let jobs = try ingestor.ingest(IngestInput(source: "jobs.json", fileName: "jobs.json",
                                                   bytes: [UInt8](try Data(contentsOf: directory.appendingPathComponent("jobs.json")))))
        expectEdge(jobs, .partOf, NodeRef(.job, "\(key)/jobs/45200000009"), NodeRef(.run, key))
    }

    @Test func rerunAttemptKeysTheRun() throws {
        let batch = try Self.json("""
            {"id": 42, "run_attempt": 2, "workflow_id": 7, "head_sha": "\(String(repeating: "a", count: 40))",
             "path": ".github/workflows/ci.yml", "status": "in_progress", "run_started_at": "2025-01-01T00:00:00Z",
             "repository": {"full_name": "acme/app"}, "actor": {"login": "alice"}, "triggering_actor": {"login": "bob"},
             "referenced_workflows": [{"path": "acme/shared/.github/workflows/build.yml@v1", "sha": "\(String(repeating: "b", count: 40))", "ref": "refs/tags/v1"}]}
            """)
        let run = try #require(batch.node(.run, "github:acme/app/42#2"))
        #expect(run.attributes["completed_at"] == nil, "a run in progress has no end")
        let roles = Set(batch.edges(.triggeredBy, from: run.ref).compactMap { $0.attributes["role"] })
        #expect(roles == ["actor", "triggering_actor"])
        let reusable = try #require(batch.edges(.ranWorkflow, from: run.ref,
                                                to: NodeRef(.workflow, "github.com/acme/shared/.github/workflows/build.yml")).first)
        #expect(reusable.attributes["sha"] == String(repeating: "b", count: 40))
    }

    @Test func malformedRecordsAreRejectedWithLocation() throws {
        let truncated = CycloneDXTest.rejection { try Self.json("{\"id\": 1, \"workflow_id\": 2, \"head_sha\": \"ab") }
        #expect(truncated?.message.contains("not a readable JSON document") == true)
        let noRepository = CycloneDXTest.rejection { try Self.json("{\"id\": 1, \"workflow_id\": 2, \"run_attempt\": 1}") }
        #expect(noRepository?.message.contains("repository") == true)
        let badJobs = CycloneDXTest.rejection { try Self.json("{\"total_count\": 1, \"jobs\": {\"run_id\": 1}}") }
        #expect(badJobs?.location?.pointer == "/jobs")
        let badID = CycloneDXTest.rejection { try Self.json("{\"jobs\": [{\"id\": \"x\", \"run_id\": 1}]}") }
        #expect(badID?.location?.pointer == "/jobs/0")
    }

    @Test func detection() {
        let ingestor = GitHubAPIIngestor()
        let sample = { (text: String) in DetectionSample(fileName: "x.json", bytes: Array(text.utf8)) }
        #expect(ingestor.detect(sample("{\"total_count\": 1, \"jobs\": [{\"id\": 1, \"run_id\": 2}]}")) == .high)
        #expect(ingestor.detect(sample("{\"id\": 1, \"workflow_id\": 2, \"run_attempt\": 1, \"head_sha\": \"x\"}")) == .high)
        #expect(ingestor.detect(sample("{\"bomFormat\": \"CycloneDX\", \"components\": []}")) == .none)
        #expect(ingestor.detect(sample("{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": []}")) == .none)
    }
}
