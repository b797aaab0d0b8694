import CustodyCore
import CustodyIngest
import Foundation
import Testing

/// The run-log archive (zip) as the API delivers it: job files, per-step files, system.txt.
@Suite("GitHub Actions run-log archives")
struct GitHubArchiveTests {
    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/ci/github-actions/logs_9500000001.zip")

    static func archive() throws -> FactBatch {
        let bytes = [UInt8](try Data(contentsOf: url))
        return try GitHubLogArchiveIngestor().ingest(IngestInput(source: "downloads/logs_9500000001.zip", fileName: "logs_9500000001.zip",
                                                                 bytes: bytes))
    }

    @Test func jobsStepsAndSystemLog() throws {
        let batch = try Self.archive()
        let run = NodeRef(.run, "github:acme/zip-demo/9500000001")
        let node = try #require(batch.node(.run, run.key))
        #expect(node.attributes["incomplete"] == "true")
        expectEdge(batch, .usedAction, run, NodeRef(.action, "tj-actions/changed-files@0e58ed8671d6b60d0890c21b07f8835ace038e67"))
        // The test job exists only as step files; they are read in step order.
        expectEdge(batch, .usedAction, run, NodeRef(.action, "actions/setup-go@f111f3307d8850f501ac008e886eec1fd1932a34"))
        expectEdge(batch, .fetched, run, NodeRef(.remoteScript, "https://codecov.io/bash"))
        expectEdge(batch, .produced, run, NodeRef(.artifact, "sha256:" + String(repeating: "7", count: 64)))
        expectEdge(batch, .builtFrom, run, NodeRef(.commit, String(repeating: "2", count: 40)))
        // system.txt (out of order) widens the build job back to its queueing and names the runner.
        let build = try #require(batch.node(.job, "\(run.key)/jobs/name:build"))
        #expect(build.attributes["started_at"] == "2025-02-03T09:59:57Z")
        #expect(build.attributes["runner_name"] == "GitHub Actions 1000000042")
        #expect(batch.location(of: build) == "0_build.txt:1")
        #expect(batch.node(.job, "\(run.key)/jobs/name:test") != nil)
        expectEdge(batch, .ranWorkflow, run, NodeRef(.workflow, "github.com/acme/zip-demo/.github/workflows/ci.yml"))
    }

    @Test func membersForSearch() throws {
        let members = try GitHubLogArchiveIngestor.members(of: [UInt8](try Data(contentsOf: Self.url)))
        #expect(members.map(\.name) == ["0_build.txt", "build/system.txt", "test/1_Set up job.txt", "test/2_Run tests.txt"])
    }

    @Test func damagedArchivesAreRejected() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.url))
        let ingestor = GitHubLogArchiveIngestor()
        #expect(ingestor.detect(DetectionSample(fileName: "logs.zip", bytes: bytes)) == .high)
        for broken in [Array(bytes.prefix(bytes.count / 2)), Array(bytes.prefix(40)), [0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0xFF, count: 100)] {
            let error = CycloneDXTest.rejection {
                try ingestor.ingest(IngestInput(source: "x.zip", fileName: "x.zip", bytes: broken))
            }
            #expect(error?.code == .rejectedInput)
        }
        // A local header whose deflate stream is corrupted.
        var corrupt = bytes
        for index in 60..<90 { corrupt[index] ^= 0x5A }
        let error = CycloneDXTest.rejection { try ingestor.ingest(IngestInput(source: "x.zip", fileName: "x.zip", bytes: corrupt)) }
        #expect(error?.code == .rejectedInput)
    }

    @Test func declaredSizeBeyondBudgetIsRefused() throws {
        var archive = try ZipArchive(bytes: [UInt8](try Data(contentsOf: Self.url)), budget: 100)
        let entry = try #require(archive.entries.first { $0.name == "0_build.txt" })
        #expect(throws: CustodyError.self) { try archive.contents(of: entry) }
    }
}
