import CustodyCore
import CustodyIngest
import Foundation
import Testing

/// GitHub Actions job logs: the real PyTorch log and synthetic lines for each tool's output.
@Suite("GitHub Actions job logs")
struct GitHubLogTests {
    static let pytorchRun = "github:pytorch/pytorch/9843060221"

    static func pytorch() throws -> FactBatch {
        let relative = "ci/github-actions/pytorch-job-2024-07-08.log"
        return try GitHubJobLogIngestor().ingest(IngestInput(source: relative, fileName: "pytorch-job-2024-07-08.log",
                                                             bytes: try SharedFixtures.bytes(relative)))
    }

    @Test func pytorchActionsRunnerAndTimes() throws {
        let batch = try Self.pytorch()
        let run = NodeRef(.run, Self.pytorchRun)
        // Run id and repository from the env dump the job printed (GITHUB_RUN_ID, GITHUB_REPOSITORY).
        let node = try #require(batch.node(.run, Self.pytorchRun))
        #expect(node.attributes["incomplete"] == "true")
        #expect(node.attributes["runner_version"] == "2.317.0")
        #expect(node.attributes["runner_name"] == "i-00726d0d1e8699347")
        #expect(node.attributes["runner_group"] == "Default")
        #expect(node.attributes["runner_machine"] == "ip-10-0-79-130")
        #expect(node.attributes["runner_environment"] == "self-hosted")
        #expect(node.attributes["started_at"] == "2024-07-08T16:48:09.3750041Z")
        #expect(node.attributes["completed_at"] == "2024-07-08T16:59:37.9561403Z")
        let expected = [
            "pytorch/test-infra@42f716d5f8e9e9215f663a172ae233a6008ebbcb": "main",
            "pytorch/pytorch@63743b223c0b69f4dbbcfd349f523eee3f5a12c2": "main",
            "aws-actions/configure-aws-credentials@50ac8dd1e1b10d09dac7b8727528b91bed831ac0": "v3",
            "seemethere/upload-artifact-s3@baba72d0712b404f646cebe0730933554ebce96a": "v5",
            "malfet/checkout@e07af140b3ccefc05679e3755b9db68f4ee4589c": "silent-checkout",
            "nick-fields/retry@3e91a01664abd3c5cd539100d10d33b9c5b68482": "3e91a01664abd3c5cd539100d10d33b9c5b68482",
        ]
        for (action, ref) in expected {
            let edges = batch.edges(.usedAction, from: run, to: NodeRef(.action, action))
            #expect(edges.count == 1, "\(action)")
            #expect(edges.first?.attributes["ref"] == ref)
            #expect(edges.first?.certainty == .recorded)
            #expect(edges.first?.firstSeen == CITest.time("2024-07-08T16:48:09.3750041Z"))
            #expect(edges.first?.lastSeen == CITest.time("2024-07-08T16:59:37.9561403Z"))
        }
        expectEdge(batch, .builtFrom, run, NodeRef(.commit, "c8ab2e8b637515b6488931f5e59f23848aae9991"))
        expectEdge(batch, .ranWorkflow, run, NodeRef(.workflow, "github.com/pytorch/pytorch/.github/workflows/inductor.yml"))
        let reusable = batch.edges(.ranWorkflow, from: run, to: NodeRef(.workflow, "github.com/pytorch/pytorch/.github/workflows/_linux-test.yml"))
        #expect(reusable.first?.attributes["reusable"] == "true")
        #expect(reusable.first?.attributes["sha"] == "c8ab2e8b637515b6488931f5e59f23848aae9991")
        // A test job: it pulls images (with digests) but pushes none.
        #expect(batch.edges(.produced).isEmpty)
        let job = try #require(batch.nodes.first { $0.ref.kind == .job })
        #expect(job.attributes["name"] == "cuda12.1-py3.10-gcc9-sm86 / test (inductor_huggingface, 1, 1, linux.g5.4xlarge.nvidia.gpu)")
    }

    @Test func runIdFromPathAndHostedRunner() throws {
        let text = "\u{FEFF}" + CITest.stamped([
            "Current runner version: '2.321.0'", "##[group]Operating System", "Ubuntu", "24.04.1", "LTS", "##[endgroup]",
            "##[group]Runner Image", "Image: ubuntu-24.04", "Version: 20241201.1.0", "##[endgroup]",
            "Download action repository 'actions/checkout@v4' (SHA:11bd71901bbe5b1630ceea73d27597364c9af683)",
            "Complete job name: build", "Syncing repository: Acme/Web",
            "[command]/usr/bin/git log -1 --format='%H'", "'0123456789abcdef0123456789abcdef01234567'",
        ])
        let batch = try CITest.log(text, source: "runs/9000000102/logs/0_build.txt")
        let run = try #require(batch.node(.run, "github:Acme/Web/9000000102"))
        #expect(run.attributes["runner_os"] == "Ubuntu 24.04.1 LTS")
        #expect(run.attributes["runner_image"] == "ubuntu-24.04")
        #expect(run.attributes["runner_environment"] == "github-hosted")
        #expect(batch.node(.job, "github:Acme/Web/9000000102/jobs/name:build") != nil)
        expectEdge(batch, .builtFrom, run.ref, NodeRef(.commit, "0123456789abcdef0123456789abcdef01234567"))
        expectEdge(batch, .inRepository, NodeRef(.commit, "0123456789abcdef0123456789abcdef01234567"), NodeRef(.repository, "github.com/Acme/Web"))
    }

    @Test func pushesAreRecordedConfigDigestsAreNot() throws {
        let digest = { (c: Character) in "sha256:" + String(repeating: c, count: 64) }
        let text = CITest.stamped([
            "##[group]Run docker push registry.example.com/team/app:1.4.2", "##[endgroup]",
            "The push refers to repository [registry.example.com/team/app]",
            "1.4.2: digest: \(digest("a")) size: 1572",
            "Digest: \(digest("b"))",
            "\u{1B}[36m#20 exporting config \(digest("c")) 0.0s done\u{1B}[0m",
            "#20 exporting attestation manifest \(digest("d")) 0.0s done",
            "#20 exporting manifest list \(digest("e")) 0.0s done",
            "#20 pushing manifest for registry.example.com/team/app:1.4.3@\(digest("e")) 1.7s done",
            "=> => pushing manifest for ghcr.io/acme/tool:v1@\(digest("f"))   3.7s",
            "#12 writing image \(digest("0")) done",
            "2024/05/01 10:00:00 ghcr.io/acme/crane-out:v2: digest: \(digest("1")) size: 527",
            "INFO[0050] Pushed registry.example.com/kaniko/app@\(digest("2"))",
            "2024/05/01 10:00:01 Published ghcr.io/acme/ko-app@\(digest("3"))",
            "##[group]Run crane copy a b", "##[endgroup]", "ghcr.io/acme/copied@\(digest("4"))",
            "  ✔ Loaded image            registry.example.com/team/app@\(digest("5"))",
        ])
        let batch = try CITest.log(text, source: "1/logs/0_x.txt")
        let produced = Set(batch.edges(.produced).map { batch.ref($0.to).key })
        #expect(produced == Set(["a", "e", "f", "1", "2", "3", "4"].map { digest(Character($0)) }))
        expectEdge(batch, .pointsTo, NodeRef(.tag, "registry.example.com/team/app:1.4.2"), NodeRef(.artifact, digest("a")))
        expectEdge(batch, .pointsTo, NodeRef(.tag, "registry.example.com/team/app:1.4.3"), NodeRef(.artifact, digest("e")))
        expectEdge(batch, .storedIn, NodeRef(.artifact, digest("f")), NodeRef(.imageRepository, "ghcr.io/acme/tool"))
        let push = try #require(batch.edges(.pointsTo, from: NodeRef(.tag, "registry.example.com/team/app:1.4.2")).first)
        #expect(push.firstSeen == CITest.time("2025-01-02T03:04:05.0000003Z"))
        #expect(push.lastSeen == push.firstSeen)
    }

    @Test func remoteScriptsAndCosign() throws {
        let signed = "sha256:" + String(repeating: "9", count: 64)
        let text = CITest.stamped([
            "##[group]Run curl -sSfL https://Get.Example.COM:443/install.sh#frag | sudo -E bash -s -- -b /usr/local/bin",
            "\u{1B}[36;1mcurl -sSfL https://Get.Example.COM:443/install.sh#frag | sudo -E bash -s -- -b /usr/local/bin\u{1B}[0m",
            "##[endgroup]",
            "##[group]Run curl -Os https://uploader.codecov.io/latest/linux/codecov",
            "\u{1B}[36;1mcurl -Os https://uploader.codecov.io/latest/linux/codecov\u{1B}[0m",
            "\u{1B}[36;1msha256sum codecov\u{1B}[0m",
            "\u{1B}[36;1mchmod +x codecov && ./codecov -t ***\u{1B}[0m",
            "##[endgroup]",
            "\(String(repeating: "ab", count: 32))  codecov",
            "##[group]Run wget https://example.org/readme.txt",
            "##[endgroup]",
            "##[group]Run cosign sign --yes ghcr.io/acme/app@\(signed)",
            "##[endgroup]",
            "curl -s https://example.net/not-a-command.sh | bash",
        ])
        let batch = try CITest.log(text, source: "5/logs/0_x.txt")
        let run = NodeRef(.run, "github:unknown/5")
        let fetched = Dictionary(uniqueKeysWithValues: batch.edges(.fetched, from: run).map { (batch.ref($0.to).key, $0) })
        #expect(Set(fetched.keys) == ["https://get.example.com/install.sh", "https://uploader.codecov.io/latest/linux/codecov"])
        #expect(fetched["https://get.example.com/install.sh"]?.attributes["how"] == "pipe")
        #expect(fetched["https://uploader.codecov.io/latest/linux/codecov"]?.attributes["how"] == "download")
        #expect(fetched["https://uploader.codecov.io/latest/linux/codecov"]?.attributes["content_hash"] == "sha256:" + String(repeating: "ab", count: 32))
        #expect(batch.node(.run, "github:unknown/5")?.attributes["cosign_signed"] == signed)
    }

    @Test func outOfOrderTimestampsGiveTheSpan() throws {
        let text = """
            2025-03-01T10:00:05.0000000Z Requested labels: ubuntu-latest
            2025-03-01T10:00:01.0000000Z Job defined at: acme/app/.github/workflows/ci.yml@refs/heads/main
            2025-03-01T10:00:09.0000000Z Evaluating build.if
            2025-03-01T10:00:03.0000000Z Job is about to start running on the hosted runner: GitHub Actions 1000001000 (hosted)

            """
        let batch = try CITest.log(text, source: "build/system.txt")
        let job = try #require(batch.nodes.first { $0.ref.kind == .job })
        #expect(job.attributes["started_at"] == "2025-03-01T10:00:01Z")
        #expect(job.attributes["completed_at"] == "2025-03-01T10:00:09Z")
        #expect(job.attributes["runner_name"] == "GitHub Actions 1000001000")
        let run = try #require(batch.nodes.first { $0.ref.kind == .run })
        expectEdge(batch, .ranWorkflow, run.ref, NodeRef(.workflow, "github.com/acme/app/.github/workflows/ci.yml"))
    }

    @Test func detectionKeepsToItsFormat() {
        let ingestor = GitHubJobLogIngestor()
        #expect(ingestor.detect(DetectionSample(fileName: "0_build.txt", bytes: Array("\u{FEFF}2025-01-01T00:00:00.1234567Z ##[group]Run x\n".utf8))) == .high)
        #expect(ingestor.detect(DetectionSample(fileName: "job.log", bytes: Array("2025-01-01T00:00:00.123456Z 00O hello\n".utf8))) == .none)
        #expect(ingestor.detect(DetectionSample(fileName: "x.json", bytes: Array("{\"bomFormat\":\"CycloneDX\"}".utf8))) == .none)
        #expect(ingestor.detect(DetectionSample(fileName: "pods.json", bytes: Array("{\"kind\":\"List\",\"items\":[]}".utf8))) == .none)
        let registry = IngestorRegistry.standard
        let log = DetectionSample(fileName: "0_build.txt", bytes: Array(CITest.stamped(["Current runner version: '2.330.0'"]).utf8))
        #expect((try? registry.detect(log, source: "x"))?.descriptor.id == "github-actions-log")
    }
}
