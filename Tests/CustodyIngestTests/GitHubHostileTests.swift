import CustodyCore
import CustodyIngest
import Foundation
import Testing

/// Hostile CI inputs: rejected or diagnosed, never a crash, a hang or unbounded memory.
@Suite("CI logs: hostile input")
struct GitHubHostileTests {
    static func ingestAll(_ bytes: [UInt8], name: String = "0_x.txt") -> [Result<FactBatch, CustodyError>] {
        let input = IngestInput(source: "1/logs/" + name, fileName: name, bytes: bytes)
        let ingestors: [any Ingestor] = [GitHubJobLogIngestor(), GitLabTraceIngestor(), JenkinsConsoleIngestor(), GitHubAPIIngestor(),
                                         GitLabJobIngestor(), GitHubLogArchiveIngestor(), WorkflowFileIngestor()]
        return ingestors.map { ingestor in
            do { return .success(try ingestor.ingest(input)) } catch let error as CustodyError { return .failure(error) } catch {
                return .failure(CustodyError(.internalError, "\(error)"))
            }
        }
    }

    @Test func binaryGarbageIsRejectedEverywhere() {
        var generator = SystemRandomNumberGenerator()
        let garbage = (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &generator) }
        for result in Self.ingestAll(garbage) {
            guard case let .failure(error) = result else {
                Issue.record("binary garbage was accepted")
                continue
            }
            #expect(error.code == .rejectedInput)
        }
        let registry = IngestorRegistry.standard
        #expect(throws: CustodyError.self) { try registry.detect(DetectionSample(fileName: "x.log", bytes: garbage), source: "x.log") }
    }

    @Test func megabyteLineAndAnsiBomb() throws {
        let huge = String(repeating: "A", count: 1 << 20)
        let bomb = String(repeating: "\u{1B}[31;1;4;5;7m\u{1B}]0;title\u{07}\u{1B}[2J\r", count: 50_000)
        let text = CITest.stamped([
            "Current runner version: '2.320.0'",
            "Download action repository '\(huge)@v1' (SHA:0000000000000000000000000000000000000000)",
            huge,
            bomb + "1.0: digest: sha256:" + String(repeating: "e", count: 64) + " size: 1",
            "Syncing repository: acme/app",
            "Download action repository 'acme/ok@v1' (SHA:1111111111111111111111111111111111111111)",
        ])
        let started = ContinuousClock.now
        let batch = try CITest.log(text, source: "3/logs/0_x.txt")
        #expect(ContinuousClock.now - started < .seconds(10))
        let run = NodeRef(.run, "github:acme/app/3")
        expectEdge(batch, .usedAction, run, NodeRef(.action, "acme/ok@1111111111111111111111111111111111111111"))
        #expect(batch.edges(.usedAction).count == 1, "the megabyte action name is not an action")
        // No repository was announced for the push: the digest is kept, without a tag.
        expectEdge(batch, .produced, run, NodeRef(.artifact, "sha256:" + String(repeating: "e", count: 64)))
    }

    @Test func truncatedAndWrongJSON() {
        let documents = [
            "{\"workflow_run\": {\"id\": 1, \"head_sha\": ",
            "{\"workflow_run\": [1, 2], \"head_sha\": 1}",
            "{\"jobs\": [{\"id\": 1, \"run_id\": 2, \"run_url\": 5}], \"run_id\": 1}",
            "[{\"web_url\": \"https://gitlab.com/g/p/-/jobs/1\", \"pipeline\": {}, \"stage\": \"x\"}]",
        ]
        for text in documents {
            for result in Self.ingestAll(Array(text.utf8), name: "x.json") {
                if case let .success(batch) = result, !batch.isEmpty { Issue.record("accepted facts from \(text)") }
            }
        }
    }

    @Test func logWithoutTimestampsIsNotAGitHubLog() {
        let error = CycloneDXTest.rejection { try CITest.log("just some text\nwithout timestamps\n") }
        #expect(error?.message.contains("RFC 3339") == true)
    }

    @Test func emptyInputs() {
        for result in Self.ingestAll([]) {
            if case let .success(batch) = result, !batch.isEmpty { Issue.record("facts from an empty document") }
        }
    }
}
