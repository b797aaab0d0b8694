import CustodyCore
import CustodyJSON

/// `kubectl get … -o yaml` output: the same objects as `KubernetesJSONIngestor`, read through
/// `SafeYAML` into JSON and then by the same reader, so both encodings of one snapshot give the
/// same facts. Locations of schema errors are JSON pointers (YAML has no byte-exact mapping to
/// the converted JSON); syntax errors carry the YAML line and column.
public struct KubernetesYAMLIngestor: Ingestor {
    public init() {}

    public var descriptor: IngestorDescriptor {
        IngestorDescriptor(
            id: "kubernetes-yaml",
            version: "1",
            summary: "kubectl get … -o yaml (same objects as kubernetes-json; multi-document streams read as a List)",
            emits: "same as kubernetes-json")
    }

    public func detect(_ sample: DetectionSample) -> Confidence {
        guard !sample.looksLikeJSON, !sample.looksLikeXML, !sample.contains("audit.k8s.io/") else { return .none }
        return KubernetesDetection.yamlConfidence(sample.text)
    }

    public func ingest(_ input: IngestInput) throws -> FactBatch {
        let json = try SafeYAML.jsonBytes(from: input.bytes, source: input.source)
        let document: JSONDocument
        do {
            document = try JSONDocument(bytes: json)
        } catch {
            throw CustodyError.rejected("YAML does not convert to a JSON document: \(error.message)", at: SourceLocation(path: input.source))
        }
        let reader = KubernetesDocumentReader(input: input, origin: KubeOrigin(source: input.source, linesAreMeaningful: false))
        return try reader.read(document.root)
    }
}
