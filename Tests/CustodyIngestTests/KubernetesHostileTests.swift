import CustodyCore
@testable import CustodyIngest
import Testing

/// Broken, mistyped and hostile inputs: every one is a located rejection, never a crash or a hang.
@Suite("Kubernetes hostile inputs")
struct KubernetesHostileTests {
    static let pod = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"n"},"status":{"phase":"Running","startTime":"2025-01-01T00:00:00Z","containerStatuses":[{"name":"c","imageID":"r.example/a@sha256:0000000000000000000000000000000000000000000000000000000000000000"}]},"spec":{"containers":[{"name":"c","image":"r.example/a:1"}]}}"#

    @Test("truncated JSON is rejected with line and column")
    func truncated() {
        let text = String(Self.pod.dropLast(30))
        let error = KubeTest.rejection { try KubeTest.json(text) }
        #expect(error?.code == .rejectedInput)
        #expect(error?.location?.line == 1)
        #expect(error?.location?.column != nil)
    }

    @Test("wrong types are rejected at their JSON pointer", arguments: [
        (#"{"apiVersion":"v1","kind":"List","items":"pods"}"#, "/items"),
        (#"{"apiVersion":"v1","kind":"List","items":[{"kind":"Pod","metadata":{"name":7}}]}"#, "/items/0/metadata/name"),
        (#"{"apiVersion":"v1","kind":"List","items":[{"kind":"Pod","metadata":{"name":"p"},"status":{"containerStatuses":{}}}]}"#, "/items/0/status/containerStatuses"),
        (#"{"apiVersion":"v1","kind":"List","items":[{"kind":"Pod","metadata":{"name":"p"},"status":{"startTime":"yesterday"}}]}"#, "/items/0/status/startTime"),
        (#"{"apiVersion":"v1","kind":"List","items":[{"kind":"Pod","metadata":{"name":"p","ownerReferences":[{"controller":true,"kind":"ReplicaSet"}]}}]}"#, "/items/0/metadata/ownerReferences/0"),
        (#"{"apiVersion":"v1","kind":"List","items":[{"kind":"Pod","metadata":{"name":"../../x"}}]}"#, "/items/0/metadata/name"),
        (#"{"apiVersion":"v1","kind":"List","items":[{"kind":"Pod","metadata":{"name":"p"},"spec":{"volumes":[{"secret":{"secretName":["a"]}}]}}]}"#, "/items/0/spec/volumes/0/secret/secretName"),
        (#"{"apiVersion":"v1","kind":"List","items":[7]}"#, "/items/0"),
    ])
    func wrongTypes(text: String, pointer: String) {
        let error = KubeTest.rejection { try KubeTest.json(text) }
        #expect(error?.code == .rejectedInput)
        #expect(error?.location?.pointer == pointer, "\(error?.description ?? "")")
    }

    @Test("no cluster, no time: refused with how to give them")
    func missingContext() {
        let noCluster = KubeTest.rejection { try KubeTest.json(Self.pod, options: KubeTest.options(cluster: nil)) }
        #expect(noCluster?.code == .rejectedInput)
        #expect(noCluster?.message.contains("--cluster") == true)
        let noTime = KubeTest.rejection { try KubeTest.json(Self.pod, options: KubeTest.options(at: nil)) }
        #expect(noTime?.message.contains("--observed-at") == true)
        #expect(noTime?.message.contains("pods-2025-03-14T12:00:00Z.json") == true)
        let badCluster = KubeTest.rejection { try KubeTest.json(Self.pod, options: KubeTest.options(cluster: "a/b")) }
        #expect(badCluster?.code == .usage)
    }

    @Test("capture time from the file name, RFC 3339 and compact")
    func timeFromFileName() throws {
        let rfc = try KubeTest.json(Self.pod, name: "pods-2025-03-14T12:00:00Z.json", options: KubeTest.options(at: nil))
        #expect(rfc.observedAt == (try Timestamp(rfc3339: "2025-03-14T12:00:00Z")))
        let compact = try KubeTest.json(Self.pod, name: "pods-20250314T120000Z.json", options: KubeTest.options(at: nil))
        #expect(compact.observedAt == (try Timestamp(rfc3339: "2025-03-14T12:00:00Z")))
        let offset = try KubeTest.json(Self.pod, name: "pods-2025-03-14T13:00:00+01:00.json", options: KubeTest.options(at: nil))
        #expect(offset.observedAt == (try Timestamp(rfc3339: "2025-03-14T12:00:00Z")))
        #expect(KubernetesSnapshotContext.timeInFileName("pods-2025-13-14T12:00:00Z.json") == nil)
        #expect(KubernetesSnapshotContext.timeInFileName("pods.json") == nil)
    }

    @Test("a manifest without status is not an inventory: no facts, a warning, no refusal")
    func manifest() throws {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: a\n        image: nginx\n"
        let batch = try KubeTest.yaml(text, options: KubeTest.options(cluster: nil, at: nil))
        #expect(batch.isEmpty)
        #expect(batch.diagnostics.first?.message.contains("manifest") == true)
    }

    @Test("YAML billion laughs is refused by the expansion budget")
    func billionLaughs() {
        var text = "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        for level in 1...9 {
            let refs = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ",")
            text += "a\(level): &a\(level) [\(refs)]\n"
        }
        text += "apiVersion: v1\nkind: List\nitems: []\n"
        let error = KubeTest.rejection { try KubeTest.yaml(text) }
        #expect(error?.message.contains("alias expansion") == true, "\(error?.description ?? "")")
    }

    @Test("YAML aliases as mapping keys are refused before composing")
    func aliasKeys() {
        let text = "a: &a [x, y]\n*a : 1\napiVersion: v1\n"
        let error = KubeTest.rejection { try KubeTest.yaml(text) }
        #expect(error?.message.contains("alias used as a mapping key") == true)
        #expect(error?.location?.line == 2)
        let question = KubeTest.rejection { try KubeTest.yaml("a: &a [x]\n? *a\n: 1\n") }
        #expect(question?.location?.line == 2)
    }

    @Test("deep YAML nesting is refused with its line; deep JSON by the parser")
    func deepNesting() {
        let yaml = "apiVersion: v1\nitems: " + String(repeating: "[", count: 200_000) + "\n"
        let error = KubeTest.rejection { try KubeTest.yaml(yaml) }
        #expect(error?.message.contains("nesting deeper") == true)
        #expect(error?.location?.line == 2)
        let json = #"{"apiVersion":"v1","kind":"List","items":"# + String(repeating: "[", count: 100_000)
        #expect(KubeTest.rejection { try KubeTest.json(json) }?.code == .rejectedInput)
    }

    @Test("truncated and non-UTF-8 YAML are rejected with a location")
    func brokenYAML() {
        let truncated = KubeTest.rejection { try KubeTest.yaml("apiVersion: v1\nitems:\n- kind: Pod\n  metadata: {name: \"p\n") }
        #expect(truncated?.location?.line != nil)
        let bytes: [UInt8] = Array("apiVersion: v1\nkind: Pod\nmetadata:\n  name: ".utf8) + [0xFF, 0xFE, 0x0A]
        let invalid = KubeTest.rejection {
            try KubernetesYAMLIngestor().ingest(IngestInput(source: "x.yaml", fileName: "x.yaml", bytes: bytes, options: KubeTest.options()))
        }
        #expect(invalid?.message.contains("UTF-8") == true)
    }

    @Test("huge values: a megabyte image name is a diagnostic, a 2,000-pod list is read")
    func huge() throws {
        let long = String(repeating: "a", count: 1 << 20)
        let text = Self.pod.replacingOccurrences(of: "r.example/a:1", with: long)
        let batch = try KubeTest.json(text)
        #expect(batch.diagnostics.contains { $0.message.contains("unreadable image reference") })
        let many = #"{"apiVersion":"v1","kind":"List","items":["# + Array(repeating: Self.pod, count: 2_000).joined(separator: ",") + "]}"
        let big = try KubeTest.json(many)
        #expect(big.kubeEdges(.observed).count == 2, "2,000 identical pods aggregate into one observation (+ the snapshot marker)")
    }

    /// Long lists anchor each element at its own pointer (`KubeValue.ownAnchorsFrom`) instead of
    /// skipping its elder siblings: the locations must be the same as the short path's.
    @Test("a pod of 3,000 containers: every digest observed, every warning at its own container")
    func manyContainers() throws {
        let count = 3_000
        let hex = { (index: Int) in String(format: "%064x", index) }
        let containers = (0..<count).map { index -> String in #"{"name":"c\#(index)","image":"r.example/a\#(index):1"}"# }
            .joined(separator: ",")
        // Statuses for the even containers; the status of c40 (entry 20) has an empty imageID.
        let statuses = stride(from: 0, to: count, by: 2).map { index -> String in
            let imageID = index == 40 ? "" : "r.example/a\(index)@sha256:" + hex(index)
            return #"{"name":"c\#(index)","imageID":"\#(imageID)"}"#
        }.joined(separator: ",")
        let pod: String = #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"n"},"status":{"phase":"Running","startTime":"2025-01-01T00:00:00Z","containerStatuses":[\#(statuses)]},"spec":{"containers":[\#(containers)]}}"#
        let batch = try KubeTest.json(#"{"apiVersion":"v1","kind":"List","items":[\#(pod)]}"#)
        #expect(batch.keys(.artifact).count == count / 2 - 1)
        #expect(batch.keys(.artifact).contains("sha256:" + hex(2_998)))
        let noStatus = batch.diagnostics.filter { $0.message.contains("has no status") }
        #expect(noStatus.count == count / 2)
        #expect(noStatus.contains { $0.message.contains("container c2999 ") && $0.location == "/items/0/spec/containers/2999" })
        #expect(noStatus.contains { $0.message.contains("container c1 ") && $0.location == "/items/0/spec/containers/1" })
        let empty = batch.diagnostics.filter { $0.message.contains("empty imageID") }
        #expect(empty.map(\.location) == ["/items/0/status/containerStatuses/20/imageID"])
    }
}
