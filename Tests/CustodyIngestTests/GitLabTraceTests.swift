import CustodyCore
import CustodyIngest
import Foundation
import Testing

/// GitLab CI: the real runner traces, the newer timestamped format, job API records and the
/// short-SHA resolution.
@Suite("GitLab CI traces and jobs", .serialized)
struct GitLabTraceTests {
    static func fixture(_ name: String) throws -> FactBatch {
        let relative = "ci/gitlab/" + name
        return try GitLabTraceIngestor().ingest(IngestInput(source: relative, fileName: name, bytes: try SharedFixtures.bytes(relative)))
    }

    static func run(_ batch: FactBatch) throws -> NodeFact {
        try #require(batch.nodes.first { $0.ref.kind == .run })
    }

    @Test(arguments: [
        ("gitlab-runner-11.4-job.trace", "cf91d5e1", "11.4.0-rc1", "2018-10-26T20:52:50Z", "2018-10-26T20:54:22Z"),
        ("gitlab-runner-11.4-short-job.trace", "cf91d5e1", "11.4.0-rc1", "2018-10-26T20:54:49Z", "2018-10-26T20:55:12Z"),
        ("gitlab-runner-13.12-docker-job.trace", "7a6612da", "13.12.0-rc1", "2021-05-20T15:26:22Z", "2021-05-20T15:31:32Z"),
    ])
    func realTraces(_ name: String, _ short: String, _ runner: String, _ start: String, _ end: String) throws {
        let batch = try Self.fixture(name)
        let run = try Self.run(batch)
        #expect(run.ref.key.hasPrefix("gitlab:gitlab-org/gitlab-runner/jobs/trace-"))
        #expect(run.attributes["commit_short"] == short)
        #expect(run.attributes["runner_version"] == runner)
        #expect(run.attributes["started_at"] == start)
        #expect(run.attributes["completed_at"] == end)
        #expect(run.attributes["status"] == "success")
        #expect(run.attributes["incomplete"] == "true")
        // Only a short SHA: no commit node, and a diagnostic that says so.
        #expect(!batch.nodes.contains { $0.ref.kind == .commit })
        #expect(batch.diagnostics.contains { $0.message.contains("short commit \(short)") })
        #expect(batch.edges(.produced).isEmpty)
    }

    @Test func jobImageDigestIsTheJobsNotTheService() throws {
        let run = try Self.run(try Self.fixture("gitlab-runner-13.12-docker-job.trace"))
        #expect(run.attributes["image"] == "registry.gitlab.com/gitlab-org/gitlab-runner/ci:1.13.8-12")
        #expect(run.attributes["image_digest"] == "sha256:0436a4d75851db641f3c704688e0e27a3e208f4bc948503c1b35b7e1691b5cf6")
    }

    @Test func timestampedTraceWithCRAndEcho() throws {
        let digest = "sha256:" + String(repeating: "c", count: 64)
        let lines = [
            "2024-06-01T10:00:00.100000Z 00O Running with gitlab-runner 17.0.0 (44feccdf)",
            "2024-06-01T10:00:00.200000Z 00O   on docker-auto-scale 8a6210b8, system ID: s_0123",
            "2024-06-01T10:00:01.000000Z 00O section_start:1717236001:get_sources\r\u{1B}[0K\u{1B}[32;1mGetting source\u{1B}[0;m",
            "2024-06-01T10:00:02.000000Z 00O Checking out 1a2b3c4d as detached HEAD (ref is main)...",
            "2024-06-01T10:00:03.000000Z 00O CI_JOB_ID=4242",
            "2024-06-01T10:00:03.100000Z 00O CI_PROJECT_PATH=group/sub/project",
            "2024-06-01T10:00:03.200000Z 00O CI_SERVER_URL=https://GitLab.Example.com",
            "2024-06-01T10:00:03.300000Z 00O CI_COMMIT_SHA=1a2b3c4d5e6f708192a3b4c5d6e7f80912a3b4c5",
            "2024-06-01T10:00:04.000000Z 00O \u{1B}[32;1m$ curl -sL https://example.com/i.sh | sh\u{1B}[0;m",
            "2024-06-01T10:00:05.000000Z 00O The push refers to repository [registry.example.com/group/app]",
            "2024-06-01T10:00:06.000000Z 00O 1.0: digest: \(digest) size: 1234",
            "2024-06-01T10:00:07.000000Z 00O Job succeeded",
        ]
        let bytes = Array(lines.joined(separator: "\r\n").utf8)
        let ingestor = GitLabTraceIngestor()
        #expect(ingestor.detect(DetectionSample(fileName: "trace", bytes: bytes)) == .high)
        #expect(GitHubJobLogIngestor().detect(DetectionSample(fileName: "trace", bytes: bytes)) == .none)
        let batch = try ingestor.ingest(IngestInput(source: "trace.log", fileName: "trace.log", bytes: bytes))
        let run = try #require(batch.node(.run, "gitlab:group/sub/project/jobs/4242"))
        #expect(run.attributes["started_at"] == "2024-06-01T10:00:00.1Z")
        #expect(run.attributes["runner_name"] == "docker-auto-scale")
        #expect(run.attributes["commit_short"] == nil, "the full SHA was echoed")
        let commit = NodeRef(.commit, "1a2b3c4d5e6f708192a3b4c5d6e7f80912a3b4c5")
        expectEdge(batch, .builtFrom, run.ref, commit)
        expectEdge(batch, .inRepository, commit, NodeRef(.repository, "gitlab.example.com/group/sub/project"))
        expectEdge(batch, .produced, run.ref, NodeRef(.artifact, digest))
        expectEdge(batch, .fetched, run.ref, NodeRef(.remoteScript, "https://example.com/i.sh"))
    }

    @Test func shortCommitResolvesOnlyWhenUnique() throws {
        let (pipeline, database) = try CITest.pipeline()
        let trace = try SharedFixtures.bytes("ci/gitlab/gitlab-runner-11.4-short-job.trace")
        _ = pipeline.ingest(bytes: trace, source: "jobs/113296605/trace")
        let key = "gitlab:gitlab-org/gitlab-runner/jobs/113296605"
        _ = pipeline.runDerivations()
        #expect(try CITest.targets(database, .builtFrom, from: key).isEmpty)
        // A job record gives the full commit: the prefix is now unique.
        let full = "cf91d5e1" + String(repeating: "0", count: 32)
        let job = """
            {"id": 113296606, "name": "lint", "stage": "test", "status": "success", "ref": "v11.4.2",
             "web_url": "https://gitlab.com/gitlab-org/gitlab-runner/-/jobs/113296606",
             "commit": {"id": "\(full)"}, "pipeline": {"id": 1, "sha": "\(full)"}, "user": {"username": "ayufan"},
             "started_at": "2018-10-26T20:50:00.000Z", "finished_at": "2018-10-26T20:51:00.000Z"}
            """
        let entry = pipeline.ingest(bytes: Array(job.utf8), source: "job.json")
        #expect(entry.outcome.isStored)
        _ = pipeline.runDerivations()
        #expect(try CITest.targets(database, .builtFrom, from: key) == [full])
        #expect(try CITest.edges(database, .builtFrom, from: key, to: full).first?.certainty == "inferred")
        // A second commit with the same prefix makes it ambiguous: the link goes away.
        let twin = "cf91d5e1" + String(repeating: "1", count: 32)
        let job2 = job.replacingOccurrences(of: full, with: twin).replacingOccurrences(of: "113296606", with: "113296607")
        _ = pipeline.ingest(bytes: Array(job2.utf8), source: "job2.json")
        _ = pipeline.runDerivations()
        #expect(try CITest.targets(database, .builtFrom, from: key).isEmpty)
        #expect(try CITest.targets(database, .triggeredBy, from: "gitlab:gitlab-org/gitlab-runner/jobs/113296606") == ["actor:gitlab:ayufan"])
    }

    @Test func jobRecordDetectionAndRejection() {
        let ingestor = GitLabJobIngestor()
        let sample = "{\"id\": 1, \"stage\": \"build\", \"web_url\": \"https://gitlab.com/g/p/-/jobs/1\", \"pipeline\": {\"id\": 2}}"
        #expect(ingestor.detect(DetectionSample(fileName: "job.json", bytes: Array(sample.utf8))) == .high)
        #expect(GitHubAPIIngestor().detect(DetectionSample(fileName: "job.json", bytes: Array(sample.utf8))) == .none)
        let rejection = CycloneDXTest.rejection {
            try ingestor.ingest(IngestInput(source: "job.json", fileName: "job.json", bytes: Array("{\"id\": 1, \"web_url\": \"nope\"}".utf8)))
        }
        #expect(rejection?.location?.pointer == "/web_url")
    }
}

extension IngestReport.Outcome {
    var isStored: Bool {
        if case .stored = self { return true }
        return false
    }
}

@Suite("GitLab detection")
struct GitLabDetectionTests {
    @Test func aGitHubLogEchoingATraceStaysGitHub() throws {
        let text = CITest.stamped(["##[group]Run cat trace.txt", "section_start:1717236001:get_sources", "Running with gitlab-runner 17.0.0"])
        let sample = DetectionSample(fileName: "0_x.txt", bytes: Array(text.utf8))
        #expect(GitLabTraceIngestor().detect(sample) == .none)
        #expect((try? IngestorRegistry.standard.detect(sample, source: "x"))?.descriptor.id == "github-actions-log")
    }
}
