import CustodyCore
import CustodyJSON

/// `kubectl get pods,rs,deploy,sts,ds,jobs,cronjobs … -o json` output (FORMATS.md §5.1): the
/// workloads of one cluster at one capture time. The cluster and the time come from `--cluster`
/// and `--observed-at` or the file name (see `KubernetesSnapshotContext`); the intervals in
/// which a workload ran a digest are computed across snapshots by `WorkloadDerivation`.
public struct KubernetesJSONIngestor: Ingestor {
    public init() {}

    public var descriptor: IngestorDescriptor {
        IngestorDescriptor(
            id: "kubernetes-json",
            version: "1",
            summary: "kubectl get … -o json: Pods, ReplicaSets, Deployments, StatefulSets, DaemonSets, Jobs, CronJobs (List, typed lists, single objects); needs --cluster, and --observed-at or a time in the file name",
            emits: "cluster, namespace, workload, artifact, image-reference, identity, secret; observed, controlledBy, declares, inNamespace, inCluster, runsAs, mounts, storedIn, refersTo")
    }

    public func detect(_ sample: DetectionSample) -> Confidence {
        guard sample.looksLikeJSON, !sample.contains("audit.k8s.io/") else { return .none }
        return KubernetesDetection.jsonConfidence(sample)
    }

    public func ingest(_ input: IngestInput) throws -> FactBatch {
        let document: JSONDocument
        do {
            document = try JSONDocument(bytes: input.bytes)
        } catch {
            throw CustodyError.rejected("not a readable JSON document: \(error.message)",
                                        at: SourceLocation(path: input.source, line: error.line, column: error.column))
        }
        let reader = KubernetesDocumentReader(input: input, origin: KubeOrigin(source: input.source, linesAreMeaningful: true))
        return try reader.read(document.root)
    }
}

/// Format markers of Kubernetes documents, shared by the JSON and YAML detectors. Both key on
/// a built-in `apiVersion` (`v1`, `apps/v1`, `batch/v1`…) *and* an inventory `kind`, so that
/// custom resources that merely mention a ReplicaSet in their owner references (Trivy Operator
/// reports, Argo objects) and audit events are left to their own ingestors.
enum KubernetesDetection {
    static let builtInAPIVersions: Set<String> = [
        "v1", "apps/v1", "apps/v1beta1", "apps/v1beta2", "batch/v1", "batch/v1beta1", "extensions/v1beta1",
    ]

    static func jsonConfidence(_ sample: DetectionSample) -> Confidence {
        let head = sample.head
        let apiVersions = stringValues(of: "\"apiVersion\"", in: head, limit: 1)
        guard let first = apiVersions.first, builtInAPIVersions.contains(first) else { return .none }
        let kinds = stringValues(of: "\"kind\"", in: head, limit: 64)
        if kinds.contains(where: { KubernetesDocumentReader.inventoryKinds.contains($0) }) { return .high }
        return sample.contains("\"items\"") ? .medium : .none
    }

    /// YAML: `apiVersion: apps/v1` and `kind: Deployment` lines (top level or list items).
    static func yamlConfidence(_ text: String) -> Confidence {
        var sawVersion = false
        var sawKind = false
        var sawItems = false
        for line in text.split(separator: "\n", maxSplits: 4_000, omittingEmptySubsequences: true).prefix(4_000) {
            var body = line.drop { $0 == " " || $0 == "-" }
            if body.hasSuffix("\r") { body = body.dropLast() }
            if body.hasPrefix("apiVersion:") {
                let value = unquote(body.dropFirst("apiVersion:".count))
                if builtInAPIVersions.contains(value) { sawVersion = true } else if !sawVersion { return .none }
            } else if body.hasPrefix("kind:") {
                if KubernetesDocumentReader.inventoryKinds.contains(unquote(body.dropFirst("kind:".count))) { sawKind = true }
            } else if line.hasPrefix("items:") {
                sawItems = true
            }
            if sawVersion, sawKind { return .high }
        }
        return sawVersion && sawItems ? .medium : .none
    }

    private static func unquote(_ text: Substring) -> String {
        var value = String(text.drop { $0 == " " || $0 == "\t" })
        while value.last == " " || value.last == "\t" { value.removeLast() }
        if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
            value = String(value.dropFirst().dropLast())
        }
        return value
    }

    /// The string values following `key:` in raw JSON bytes (a marker search, not a parse).
    static func stringValues(of key: String, in head: [UInt8], limit: Int) -> [String] {
        let needle = Array(key.utf8)
        var out: [String] = []
        var index = 0
        while index + needle.count <= head.count, out.count < limit {
            guard head[index] == needle[0], head[index..<(index + needle.count)].elementsEqual(needle) else {
                index += 1
                continue
            }
            var cursor = index + needle.count
            while cursor < head.count, [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ":")].contains(head[cursor]) { cursor += 1 }
            if cursor < head.count, head[cursor] == UInt8(ascii: "\"") {
                let start = cursor + 1
                var end = start
                while end < head.count, end - start < 80, head[end] != UInt8(ascii: "\"") { end += 1 }
                if end < head.count { out.append(String(decoding: head[start..<end], as: UTF8.self)) }
            }
            index = cursor
        }
        return out
    }

}
