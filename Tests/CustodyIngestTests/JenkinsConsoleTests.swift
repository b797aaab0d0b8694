import CustodyCore
import CustodyIngest
import Foundation
import Testing

/// Jenkins console logs: checkout revision, pushed digests, trigger, Timestamper times.
@Suite("Jenkins console logs")
struct JenkinsConsoleTests {
    static let digest = "sha256:" + String(repeating: "d", count: 64)
    static let revision = "4f1c2b3a4f1c2b3a4f1c2b3a4f1c2b3a4f1c2b3a"

    static let log = """
        [2024-05-01T10:00:00.000Z] Started by GitHub push by octocat
        [2024-05-01T10:00:00.100Z] Obtained Jenkinsfile from git https://GitHub.com/acme/payments.git
        [2024-05-01T10:00:01.000Z] [Pipeline] Start of Pipeline
        [2024-05-01T10:00:01.100Z] [Pipeline] node
        [2024-05-01T10:00:01.200Z] Running on agent-7 in /var/jenkins_home/workspace/payments-release@2
        [2024-05-01T10:00:02.000Z]  > git config remote.origin.url https://github.com/acme/payments.git # timeout=10
        [2024-05-01T10:00:03.000Z] Checking out Revision \(revision) (refs/remotes/origin/main)
        [2024-05-01T10:00:04.000Z] + docker push registry.example.com/acme/payments:3.1.0
        [2024-05-01T10:00:05.000Z] The push refers to repository [registry.example.com/acme/payments]
        [2024-05-01T10:00:06.000Z] 3.1.0: digest: \(digest) size: 1780
        [2024-05-01T10:00:07.000Z] + curl -fsSL https://get.example.io/tool.sh | bash
        [2024-05-01T10:00:08.000Z] Finished: SUCCESS

        """

    @Test func consoleFacts() throws {
        let ingestor = JenkinsConsoleIngestor()
        #expect(ingestor.detect(DetectionSample(fileName: "log", bytes: Array(Self.log.utf8))) == .high)
        let batch = try ingestor.ingest(IngestInput(source: "jobs/payments-release/builds/57/log", fileName: "log", bytes: Array(Self.log.utf8)))
        let run = try #require(batch.node(.run, "jenkins:payments-release/57"))
        #expect(run.attributes["provider"] == "jenkins")
        #expect(run.attributes["status"] == "SUCCESS")
        #expect(run.attributes["runner_name"] == "agent-7")
        #expect(run.attributes["started_at"] == "2024-05-01T10:00:00Z")
        #expect(run.attributes["completed_at"] == "2024-05-01T10:00:08Z")
        let commit = NodeRef(.commit, Self.revision)
        expectEdge(batch, .builtFrom, run.ref, commit)
        expectEdge(batch, .inRepository, commit, NodeRef(.repository, "github.com/acme/payments"))
        expectEdge(batch, .produced, run.ref, NodeRef(.artifact, Self.digest))
        expectEdge(batch, .pointsTo, NodeRef(.tag, "registry.example.com/acme/payments:3.1.0"), NodeRef(.artifact, Self.digest))
        expectEdge(batch, .fetched, run.ref, NodeRef(.remoteScript, "https://get.example.io/tool.sh"))
        expectEdge(batch, .triggeredBy, run.ref, NodeRef(.identity, "actor:github:octocat"))
    }

    @Test func jobFromWorkspaceWhenThePathSaysNothing() throws {
        let batch = try JenkinsConsoleIngestor().ingest(IngestInput(source: "console.txt", fileName: "console.txt", bytes: Array(Self.log.utf8)))
        let run = try #require(batch.nodes.first { $0.ref.kind == .run })
        #expect(run.ref.key.hasPrefix("jenkins:payments-release/log-"))
        #expect(batch.warnings.contains { $0.message.contains("no build number") })
    }

    @Test func repositoryKeys() {
        #expect(JenkinsLineProbe.key("git@GitHub.com:acme/app.git") == "github.com/acme/app")
        #expect(JenkinsLineProbe.key("https://user@gitlab.example.com:8443/group/app/") == "gitlab.example.com:8443/group/app")
    }

    @Test func notJenkins() {
        #expect(JenkinsConsoleIngestor().detect(DetectionSample(fileName: "x", bytes: Array("hello\nworld\n".utf8))) == .none)
        let error = CycloneDXTest.rejection {
            try JenkinsConsoleIngestor().ingest(IngestInput(source: "x", fileName: "x", bytes: Array("hello\n".utf8)))
        }
        #expect(error?.code == .rejectedInput)
    }
}

/// Repository keys through the public surface: a `Obtained Jenkinsfile from git` line.
enum JenkinsLineProbe {
    static func key(_ url: String) -> String? {
        let text = "Started by timer\nObtained Jenkinsfile from git \(url)\nChecking out Revision \(JenkinsConsoleTests.revision) (x)\nFinished: SUCCESS\n"
        let batch = try? JenkinsConsoleIngestor().ingest(IngestInput(source: "jobs/j/builds/1/log", fileName: "log", bytes: Array(text.utf8)))
        return batch?.nodes.first { $0.ref.kind == .repository }?.ref.key
    }
}
