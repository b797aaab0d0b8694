import CustodyCore
import CustodyIngest
import Foundation
import Testing

/// Workflow files: what a job may read and run, and where the file sits.
@Suite("GitHub workflow files", .serialized)
struct WorkflowFileTests {
    static let sha = "0123456789abcdef0123456789abcdef01234567"

    /// Writes `files` (relative path → text) under a fresh temporary directory.
    static func tree(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("custody-wf-\(UUID().uuidString)")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return root
    }

    static let workflow = """
        name: release
        # secrets.IN_A_COMMENT is not a secret
        on:
          push:
            tags: ["v*"]
        env:
          TOKEN: ${{ secrets.Workflow_Token }}
          BASE: ${{ vars.NOT_A_SECRET }}
        jobs:
          build:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: docker/build-push-action@0123456789abcdef0123456789abcdef01234567
              - uses: ./.github/actions/local
              - uses: docker://alpine:3.20
              - run: |
                  echo "secrets.PLAIN_TEXT is not an expression"
                  bash <(curl -fsSL https://Install.Example.com/setup.sh)
                env:
                  KEY: ${{ secrets['BRACKETED'] }}
                  GH: ${{ github.token }}
          deploy:
            if: secrets.DEPLOY_KEY != ''
            uses: acme/shared/.github/workflows/deploy.yml@main
            secrets: inherit
        """

    @Test func declarationsOfEachJob() throws {
        let root = try Self.tree(["repos/acme/app/\(Self.sha)/.github/workflows/release.yml": Self.workflow])
        defer { try? FileManager.default.removeItem(at: root) }
        let (pipeline, database) = try CITest.pipeline()
        let report = pipeline.run(paths: [root.appendingPathComponent("repos").path])
        #expect(report.rejections.isEmpty)
        #expect(try CITest.nodes(database, .workflow) == ["github.com/acme/app/.github/workflows/release.yml"])
        #expect(try CITest.targets(database, .inRepository, from: Self.sha) == ["github.com/acme/app"])
        // A run of that workflow at that commit gets the file's secrets, uses and scripts.
        let run = """
            {"id": 77, "run_attempt": 1, "workflow_id": 1, "head_sha": "\(Self.sha)", "path": ".github/workflows/release.yml",
             "status": "completed", "run_started_at": "2025-05-01T10:00:00Z", "updated_at": "2025-05-01T10:05:00Z",
             "repository": {"full_name": "acme/app"}}
            """
        let runEntry = pipeline.ingest(bytes: Array(run.utf8), source: "run.json")
        if case .rejected(let error) = runEntry.outcome { Issue.record("\(error)") }
        _ = pipeline.runDerivations()
        let key = "github:acme/app/77"
        #expect(try CITest.targets(database, .couldRead, from: key)
            == Set(["WORKFLOW_TOKEN", "BRACKETED", "GITHUB_TOKEN", "DEPLOY_KEY"].map { "github:acme/app:\($0)" }))
        #expect(try CITest.targets(database, .usedAction, from: key)
            == ["actions/checkout@v4", "docker/build-push-action@0123456789abcdef0123456789abcdef01234567"])
        #expect(try CITest.edges(database, .usedAction, from: key, to: "actions/checkout@v4").first?.certainty == "inferred")
        #expect(try CITest.attribute(database, .action, "actions/checkout@v4", "unresolved") == "true")
        #expect(try CITest.edges(database, .usedAction, from: key,
                                 to: "docker/build-push-action@0123456789abcdef0123456789abcdef01234567").first?.certainty == "recorded")
        #expect(try CITest.targets(database, .fetched, from: key) == ["https://install.example.com/setup.sh"])
        #expect(try CITest.targets(database, .ranWorkflow, from: key)
            == ["github.com/acme/app/.github/workflows/release.yml", "github.com/acme/shared/.github/workflows/deploy.yml"])
        let couldRead = try #require(CITest.edges(database, .couldRead, from: key, to: "github:acme/app:BRACKETED").first)
        #expect(couldRead.first == CITest.time("2025-05-01T10:00:00Z"))
        #expect(couldRead.last == CITest.time("2025-05-01T10:05:00Z"))
        #expect(couldRead.qualifier == "derived:workflow-scope")
    }

    @Test func identicalFileAtSeveralCommitsCountsForEach() throws {
        let other = "fedcba9876543210fedcba9876543210fedcba98"
        let changed = "1111111111111111111111111111111111111111"
        let root = try Self.tree([
            "repos/acme/app/\(Self.sha)/.github/workflows/ci.yml": Self.workflow,
            "repos/acme/app/\(other)/.github/workflows/ci.yml": Self.workflow,
            "repos/acme/app/\(changed)/.github/workflows/ci.yml": Self.workflow + "\n  extra:\n    runs-on: x\n    steps: []\n",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let (pipeline, database) = try CITest.pipeline()
        let report = pipeline.run(paths: [root.appendingPathComponent("repos").path])
        #expect(report.newDocuments == 2)
        #expect(report.alreadyPresent == 1)
        #expect(try CITest.nodes(database, .commit) == [Self.sha, other, changed])
    }

    @Test func secretReferences() {
        #expect(WorkflowParserProbe.secrets("${{ secrets.A }} ${{secrets.b_2}} ${{ format('{0}', secrets['C-D']) }}") == ["A", "B_2", "C-D"])
        #expect(WorkflowParserProbe.secrets("secrets.OUTSIDE ${{ vars.V }} ${{ mysecrets.X }} ${{ env.secrets }}") == [])
        #expect(WorkflowParserProbe.secrets("${{ github.token }}") == ["GITHUB_TOKEN"])
    }

    @Test func filesThatCannotBePlacedOrParsedAreRejected() throws {
        let ingestor = WorkflowFileIngestor()
        let nowhere = CycloneDXTest.rejection {
            try ingestor.ingest(IngestInput(source: "/tmp/ci.yml", fileName: "ci.yml", bytes: Array(Self.workflow.utf8)))
        }
        #expect(nowhere?.message.contains("repository and commit") == true)
        let broken = CycloneDXTest.rejection {
            try ingestor.ingest(IngestInput(source: "x.yml", fileName: "x.yml", bytes: Array("on: [push\njobs: {".utf8)))
        }
        #expect(broken?.message.contains("not valid YAML") == true)
        #expect(broken?.location?.line != nil)
        let bomb = (0..<12).map { "l\($0 + 1): &l\($0 + 1) [" + Array(repeating: "*l\($0)", count: 9).joined(separator: ",") + "]" }
        let text = "on: push\nl0: &l0 x\n" + bomb.joined(separator: "\n") + "\njobs:\n  a:\n    env:\n      X: *l12\n"
        let refused = CycloneDXTest.rejection {
            try ingestor.ingest(IngestInput(source: "repos/a/b/\(Self.sha)/.github/workflows/x.yml", fileName: "x.yml", bytes: Array(text.utf8)))
        }
        #expect(refused?.message.contains("YAML nodes") == true)
    }

    @Test func detection() {
        let ingestor = WorkflowFileIngestor()
        #expect(ingestor.detect(DetectionSample(fileName: "ci.yml", bytes: Array(Self.workflow.utf8))) == .high)
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n"
        #expect(ingestor.detect(DetectionSample(fileName: "pod.yaml", bytes: Array(pod.utf8))) == .none)
        let gitlab = "stages: [build]\nbuild:\n  script: make\n"
        #expect(ingestor.detect(DetectionSample(fileName: ".gitlab-ci.yml", bytes: Array(gitlab.utf8))) == .none)
    }
}

/// Reaches the internal secret-reference scanner through a tiny workflow.
enum WorkflowParserProbe {
    static func secrets(_ expression: String) -> Set<String> {
        let yaml = "on: push\njobs:\n  a:\n    env:\n      X: \"\(expression.replacingOccurrences(of: "\"", with: "\\\""))\"\n"
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("custody-probe-\(UUID().uuidString)")
        let path = root.appendingPathComponent("repos/o/r/\(WorkflowFileTests.sha)/.github/workflows/p.yml")
        try? FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(yaml.utf8).write(to: path)
        defer { try? FileManager.default.removeItem(at: root) }
        guard let (pipeline, database) = try? CITest.pipeline() else { return [] }
        _ = pipeline.run(paths: [path.path])
        let run = """
            {"id": 1, "workflow_id": 1, "run_attempt": 1, "head_sha": "\(WorkflowFileTests.sha)", "path": ".github/workflows/p.yml",
             "repository": {"full_name": "o/r"}}
            """
        _ = pipeline.ingest(bytes: Array(run.utf8), source: "run.json")
        _ = pipeline.runDerivations()
        let keys = (try? CITest.targets(database, .couldRead, from: "github:o/r/1")) ?? []
        return Set(keys.map { String($0.dropFirst("github:o/r:".count)) })
    }
}
