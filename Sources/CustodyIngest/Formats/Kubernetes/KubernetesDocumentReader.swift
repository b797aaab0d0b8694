import CustodyCore
import CustodyJSON

/// Reads the JSON tree of `kubectl get … -o json|yaml` output: a `List` (what kubectl prints
/// for several objects, `get all` included), a typed list from an API client (`PodList`,
/// `DeploymentList`…), or a single object (`kubectl get pod x -o json`). Objects of kinds that
/// carry no inventory facts (Services, ConfigMaps…) are skipped and counted.
struct KubernetesDocumentReader {
    let input: IngestInput
    let origin: KubeOrigin

    static let podKinds: Set<String> = ["Pod"]
    static var controllerKinds: Set<String> { Set(KubernetesInventoryBuilder.templatePaths.keys) }

    /// The kinds a detector may take as a sign of Kubernetes inventory.
    static var inventoryKinds: Set<String> {
        var kinds = podKinds.union(controllerKinds)
        kinds.insert("List")
        for kind in podKinds.union(controllerKinds) { kinds.insert(kind + "List") }
        return kinds
    }

    func read(_ root: JSONValue) throws -> FactBatch {
        let top = KubeValue(value: root, pointer: "", origin: origin)
        guard root.isObject else {
            throw top.reject("a Kubernetes document is an object (a List or a single object), found \(KubeValue.describe(root.kind))")
        }
        var items: [KubeValue] = []
        let rootKind = try top.string("kind")
        try collect(top, depth: 0, into: &items)
        guard rootKind != nil || top.member("items") != nil else {
            throw top.reject("kind is missing: not a Kubernetes object or list")
        }

        let context: KubernetesSnapshotContext
        do {
            context = try KubernetesSnapshotContext.resolve(input)
        } catch let error as CustodyError where error.code == .rejectedInput {
            // A manifest from a repository (no status anywhere) is not an inventory: no cluster
            // or time is needed to say so, and refusing it would fail a whole directory ingest.
            guard !items.isEmpty, items.allSatisfy({ $0.member("status") == nil }) else { throw error }
            var batch = FactBatch()
            batch.warn("a Kubernetes manifest (no object has a status), not an inventory snapshot: no facts recorded; pass --cluster and --observed-at to record what it declares")
            return batch
        }

        var builder = KubernetesInventoryBuilder(context: context)
        var skipped: [String: Int] = [:]
        var sawPod = false
        for item in items {
            let kind = try item.string("kind") ?? ""
            if Self.podKinds.contains(kind) {
                sawPod = true
                try builder.addPod(item)
            } else if Self.controllerKinds.contains(kind) {
                try builder.addController(item, kind: kind)
            } else {
                skipped[kind.isEmpty ? "(no kind)" : kind, default: 0] += 1
            }
        }
        if !skipped.isEmpty {
            let list = skipped.sorted { $0.key < $1.key }.map { "\($0.value) \(KubeValue.quote($0.key, limit: 40))" }.joined(separator: ", ")
            builder.note("skipped objects that carry no inventory facts: \(list)")
        }
        return builder.finish(isPodSnapshot: sawPod || isEmptyPodList(rootKind: rootKind, items: items))
    }

    /// A list with no pods still is a snapshot when it is a pod listing: an empty `PodList`, or an
    /// empty `List` whose file name says pods (kubectl prints an empty `List` for any resource).
    private func isEmptyPodList(rootKind: String?, items: [KubeValue]) -> Bool {
        guard items.isEmpty else { return false }
        if rootKind == "PodList" { return true }
        return rootKind == "List" && input.fileName.lowercased().contains("pod")
    }

    /// Flattens lists (and lists inside lists, as API aggregators write them) into objects.
    private func collect(_ value: KubeValue, depth: Int, into items: inout [KubeValue]) throws {
        let kind = try value.string("kind")
        if let list = value.member("items"), kind == nil || kind == "List" || kind!.hasSuffix("List") {
            guard list.value.isArray else {
                throw list.reject("items must be an array, found \(KubeValue.describe(list.value.kind))")
            }
            guard depth < 4 else { throw value.reject("lists nested more than 4 deep") }
            for item in try value.anchoredObjects("items") {
                try collect(item, depth: depth + 1, into: &items)
            }
            return
        }
        guard depth > 0 || kind != nil else { return }
        items.append(value)
    }
}
