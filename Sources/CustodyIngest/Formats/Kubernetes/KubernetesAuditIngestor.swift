import CustodyCore
import CustodyJSON

/// Kubernetes audit logs (`audit.k8s.io/v1` `Event`s, FORMATS.md §5.2): one JSON event per line
/// (log backend) or an `EventList` (webhook backend). Records who changed which workload's
/// images and when (`declares` edges with the user, verb and audit id), pod creations with
/// their owner, service account and secrets, ephemeral containers injected by `kubectl debug`,
/// and pod deletions (`observed` workload → namespace, qualifier `audit:<auditID>`).
///
/// The same request is logged once per stage; events are deduplicated by (auditID, stage) and
/// only `ResponseComplete` with a 2xx status is a fact (earlier stages do not know the outcome,
/// denied requests changed nothing). A corrupt line is a diagnostic, not a rejection. The
/// cluster comes from `--cluster`; the times are the events' own `stageTimestamp`s.
public struct KubernetesAuditIngestor: Ingestor {
    public init() {}

    public var descriptor: IngestorDescriptor {
        IngestorDescriptor(
            id: "kubernetes-audit",
            version: "1",
            summary: "Kubernetes audit log (audit.k8s.io/v1 Events, JSON Lines or EventList): pod creation/deletion, workload image changes, ephemeral containers; needs --cluster",
            emits: "cluster, namespace, workload, image-reference, artifact, identity, secret; declares, observed, controlledBy, inNamespace, runsAs, mounts")
    }

    public func detect(_ sample: DetectionSample) -> Confidence {
        guard sample.looksLikeJSON, sample.contains("audit.k8s.io/") else { return .none }
        return sample.contains("\"auditID\"") || sample.contains("\"EventList\"") ? .high : .medium
    }

    public func ingest(_ input: IngestInput) throws -> FactBatch {
        let cluster = try KubernetesSnapshotContext.clusterName(input)
        var builder = KubernetesAuditBuilder(cluster: cluster, source: input.source)
        var parsed = 0
        var failures: [(line: Int, message: String)] = []
        if let whole = try? JSONDocument(bytes: input.bytes), whole.root.isObject, whole.root["items"] != nil {
            let list = KubeValue(value: whole.root, pointer: "", origin: KubeOrigin(source: input.source, linesAreMeaningful: true))
            for event in try list.objects("items") {
                try builder.add(event)
                parsed += 1
            }
        } else {
            JSONLines.forEachLine(input.bytes) { line, result in
                switch result {
                case let .failure(error):
                    failures.append((line, error.message))
                case let .success(document):
                    let event = KubeValue(value: document.root, pointer: "", origin: KubeOrigin(source: "line \(line)", linesAreMeaningful: false))
                    do {
                        guard document.root.isObject else { throw event.reject("an audit event is an object") }
                        try builder.add(event)
                        parsed += 1
                    } catch let error as CustodyError {
                        failures.append((line, error.description))
                    } catch {
                        failures.append((line, "\(error)"))
                    }
                }
            }
        }
        guard parsed > 0 else {
            let first = failures.first.map { " (line \($0.line): \($0.message))" } ?? ""
            throw CustodyError.rejected("no readable audit.k8s.io event in the file\(first)",
                                        at: SourceLocation(path: input.source, line: failures.first?.line))
        }
        var batch = builder.finish()
        for failure in failures.prefix(100) {
            batch.warn("unreadable audit event skipped: \(failure.message)", at: "line \(failure.line)")
        }
        if failures.count > 100 { batch.warn("\(failures.count - 100) more unreadable audit events skipped") }
        return batch
    }
}
