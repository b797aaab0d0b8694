import CustodyCore
@testable import CustodyIngest
import Foundation
import Testing

/// Audit log events (Fixtures/k8s/audit.jsonl, hand-written from FORMATS.md §5.2 and the
/// audit.k8s.io/v1 types: a deployment image patch logged at two stages plus a duplicate line,
/// a controller's pod create, a pod delete, a denied patch, a corrupt line, `kubectl debug`
/// ephemeral container, a JSON patch of a StatefulSet, and an unrelated read).
@Suite("Kubernetes audit log")
struct KubernetesAuditTests {
    static func bytes() throws -> [UInt8] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/k8s/audit.jsonl")
        return [UInt8](try Data(contentsOf: url))
    }

    static func fixture(cluster: String? = "prod") throws -> FactBatch {
        let input = IngestInput(source: "audit.jsonl", fileName: "audit.jsonl", bytes: try bytes(),
                                options: IngestOptions(cluster: cluster))
        return try KubernetesAuditIngestor().ingest(input)
    }

    @Test("image changes: who, when, deduplicated by auditID and stage, only successful ones")
    func imageChanges() throws {
        let batch = try Self.fixture()
        let declares = batch.kubeEdges(.declares)
        let web = declares.filter { batch.ref($0.from).key == "prod/shop/Deployment/web" }
        #expect(web.count == 1, "RequestReceived and the duplicate ResponseComplete add nothing; the 403 patch is not a fact")
        #expect(batch.ref(web[0].to).key == "registry.example.com/shop/web:1.4.3")
        #expect(web[0].attributes["user"] == "alice@example.com")
        #expect(web[0].firstSeen == (try Timestamp(rfc3339: "2024-05-01T10:05:00.201234Z")))
        #expect(!batch.keys(.imageReference).contains("evil.example/miner:1"))
        // JSON patch with a digest-pinned image declares the artifact.
        #expect(batch.pairs(.declares).contains(["prod/db/StatefulSet/pg", "sha256:" + String(repeating: "ab", count: 32)]))
        // kubectl debug: the injected ephemeral image, on the pod's owner.
        let debug = declares.first { $0.attributes["auditID"] == "e1" }
        #expect(debug.map { batch.ref($0.to).key } == "docker.io/library/busybox:1.36")
    }

    @Test("pod creation: owner, inferred Deployment, service account, secrets; deletion observed")
    func pods() throws {
        let batch = try Self.fixture()
        #expect(batch.pairs(.controlledBy) == [["prod/shop/ReplicaSet/web-7c9d8f6b5d", "prod/shop/Deployment/web"]])
        #expect(batch.pairs(.runsAs) == [["prod/shop/ReplicaSet/web-7c9d8f6b5d", "k8s-sa:prod/shop/web"]])
        #expect(batch.pairs(.mounts) == [
            ["prod/shop/ReplicaSet/web-7c9d8f6b5d", "k8s:prod/shop/web-tls"],
            ["prod/shop/ReplicaSet/web-7c9d8f6b5d", "k8s:prod/shop/web-env"],
        ])
        let deleted = batch.kubeEdges(.observed).filter { $0.attributes["event"] == "deleted" }
        #expect(deleted.map { batch.ref($0.from).key } == ["prod/shop/ReplicaSet/web-6b5d4c3a2f"])
        #expect(deleted.first?.attributes["pod"] == "web-6b5d4c3a2f-aaaaa")
    }

    @Test("a corrupt line is a diagnostic; no cluster is a refusal; no event at all is a rejection")
    func robustness() throws {
        let batch = try Self.fixture()
        #expect(batch.diagnostics.contains { $0.severity == .warning && $0.location == "line 7" })
        #expect(KubeTest.rejection { try Self.fixture(cluster: nil) }?.message.contains("--cluster") == true)
        let garbage = KubeTest.rejection {
            try KubernetesAuditIngestor().ingest(IngestInput(source: "a.log", fileName: "a.log", bytes: Array("{\"apiVersion\":\"audit.k8s.io/v1\"\n{{{\n".utf8),
                                                             options: IngestOptions(cluster: "c")))
        }
        #expect(garbage?.code == .rejectedInput)
    }

    @Test("detection picks the audit ingestor for audit logs")
    func detection() throws {
        let sample = DetectionSample(fileName: "audit.jsonl", bytes: try Self.bytes())
        #expect(try IngestorRegistry.standard.detect(sample, source: "audit.jsonl").descriptor.id == "kubernetes-audit")
    }
}
