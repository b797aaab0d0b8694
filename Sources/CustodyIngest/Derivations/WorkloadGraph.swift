import CustodyCore
import CustodyStore

/// The stored Kubernetes facts the workload derivation needs, read through indexed queries
/// (nodes by kind, edges by source and kind) so that it stays fast on a case database that
/// also holds millions of SBOM edges.
///
/// Memory stays bounded by one workload, not by the number of snapshots: the small parts
/// (snapshot markers, owner links) are loaded, while the `observed` edges (one per owner,
/// image and snapshot: 100,000 after 50 snapshots of 10,000 pods) are streamed one owner at a
/// time. Evidence is carried as document ids, which derived edges cite as they are.
struct WorkloadGraph {
    struct Observation {
        var time: Timestamp
        var value: WorkloadObservation
    }

    struct ControllerLink {
        var qualifier: String
        var certainty: Certainty
        var parent: String
        /// Document ids.
        var evidence: [Int64]
    }

    struct OwnedEdge {
        var owner: String
        var kind: EdgeKind
        var target: NodeRef
        var firstSeen: Timestamp?
        var lastSeen: Timestamp?
        var certainty: Certainty
        var attributesJSON: String?
        /// Document ids.
        var evidence: [Int64]
    }

    /// An owner of pods (a workload node) together with one `owner_uid` its pods named.
    struct OwnerRef: Hashable {
        var id: Int64
        var key: String
        var uid: String?
    }

    let reader: GraphReader
    /// Capture times of every pod snapshot per cluster, with their documents.
    private(set) var snapshots: [String: [Timestamp: [Int64]]] = [:]
    private(set) var controllers: [String: [ControllerLink]] = [:]

    /// `observed` edges of pod snapshots (qualifier `snapshot:…`); the cluster marker of a
    /// snapshot is one too (cluster → cluster).
    private static let snapshotEdge = "e.kind = 'observed' AND e.qualifier LIKE 'snapshot:%'"
    /// The documents of an edge besides the one in its row (`edge_evidence` without the view:
    /// SQLite cannot push `edge_id = e.id` into a UNION ALL view, the table's key can).
    private static let extraEvidence = "(SELECT group_concat(x.document_id, ' ') FROM edge_evidence_extra x WHERE x.edge_id = e.id)"

    init(reader: GraphReader) throws {
        self.reader = reader
        try reader.forEachRow("""
            SELECT c.key, e.last_seen, e.document_id, \(Self.extraEvidence)
            FROM nodes c JOIN edges e ON e.src = c.id AND \(Self.snapshotEdge) AND e.dst = c.id
            WHERE c.kind = 'cluster'
            """) { row in
            guard let cluster = row.text(0), let time = row.int64(1).map(Timestamp.init(nanosecondsSinceEpoch:)) else { return }
            snapshots[cluster, default: [:]][time, default: []] += Self.evidence(row, inline: 2, extra: 3)
        }
        try reader.forEachRow("""
            SELECT w.key, e.qualifier, e.certainty, p.key, e.document_id, \(Self.extraEvidence)
            FROM nodes w JOIN edges e ON e.src = w.id AND e.kind = 'controlledBy' JOIN nodes p ON p.id = e.dst
            WHERE w.kind = 'workload' AND p.kind = 'workload' AND e.qualifier NOT LIKE 'derived:%'
            """) { row in
            guard let child = row.text(0), let qualifier = row.text(1), let parent = row.text(3), parent != child else { return }
            let link = ControllerLink(qualifier: qualifier, certainty: Certainty(rawValue: row.text(2) ?? "") ?? .inferred,
                                      parent: parent, evidence: Self.evidence(row, inline: 4, extra: 5))
            controllers[child, default: []].append(link)
        }
    }

    /// Every (owner, owner uid) that pod snapshots observed, in no particular order.
    func observedOwners() throws -> [OwnerRef] {
        var owners: [OwnerRef] = []
        try reader.forEachRow("""
            SELECT w.id, w.key, json_extract(e.attrs, '$.owner_uid') AS uid
            FROM nodes w JOIN edges e ON e.src = w.id AND \(Self.snapshotEdge)
            WHERE w.kind = 'workload'
            GROUP BY w.id, uid
            """) { row in
            guard let id = row.int64(0), let key = row.text(1) else { return }
            owners.append(OwnerRef(id: id, key: key, uid: row.text(2)))
        }
        return owners
    }

    /// What the snapshots showed of `owner`'s pods that named `owner.uid`, one observation per
    /// `observed` edge. `starts` caches parsed start lists: the same pods show up snapshot
    /// after snapshot.
    func observations(of owner: OwnerRef, starts cache: inout [String: [Timestamp]],
                      _ body: (Observation) throws -> Void) throws {
        try reader.forEachRow("""
            SELECT t.kind, t.key, e.first_seen, e.last_seen, json_extract(e.attrs, '$.live'),
                   json_extract(e.attrs, '$.starts'), json_extract(e.attrs, '$.owner_uid'), e.document_id, \(Self.extraEvidence)
            FROM edges e JOIN nodes t ON t.id = e.dst
            WHERE e.src = ?1 AND \(Self.snapshotEdge)
            """, [.integer(owner.id)]) { row in
            let uid = row.text(6)
            guard uid == owner.uid, let kindText = row.text(0), let kind = NodeKind(rawValue: kindText),
                  let key = row.text(1), let time = row.int64(3).map(Timestamp.init(nanosecondsSinceEpoch:)) else { return }
            let startsText = row.text(5) ?? ""
            let starts: [Timestamp]
            if let known = cache[startsText] {
                starts = known
            } else {
                starts = startsText.split(separator: " ").compactMap { try? Timestamp(rfc3339: String($0)) }
                cache[startsText] = starts
            }
            let value = WorkloadObservation(target: NodeRef(kind, key), firstStart: row.int64(2).map(Timestamp.init(nanosecondsSinceEpoch:)),
                                            live: row.text(4) == "true", starts: starts,
                                            evidence: Self.evidence(row, inline: 7, extra: 8))
            try body(Observation(time: time, value: value))
        }
    }

    /// `runsAs`, `mounts` and `inNamespace` edges of intermediate controllers (owners with a
    /// `controlledBy` link), to lift to the top controller.
    func forEachOwnedEdge(_ body: (OwnedEdge) throws -> Void) throws {
        guard !controllers.isEmpty else { return }
        try reader.forEachRow("""
            SELECT w.key, e.kind, t.kind, t.key, e.first_seen, e.last_seen, e.certainty, e.attrs, e.document_id, \(Self.extraEvidence)
            FROM nodes w JOIN edges e ON e.src = w.id AND e.kind IN ('runsAs', 'mounts', 'inNamespace')
            JOIN nodes t ON t.id = e.dst
            WHERE w.kind = 'workload' AND e.qualifier NOT LIKE 'derived:%'
            """) { row in
            guard let owner = row.text(0), controllers[owner] != nil, let kind = EdgeKind(rawValue: row.text(1) ?? ""),
                  let targetKind = NodeKind(rawValue: row.text(2) ?? ""), let targetKey = row.text(3) else { return }
            try body(OwnedEdge(owner: owner, kind: kind, target: NodeRef(targetKind, targetKey),
                               firstSeen: row.int64(4).map(Timestamp.init(nanosecondsSinceEpoch:)),
                               lastSeen: row.int64(5).map(Timestamp.init(nanosecondsSinceEpoch:)),
                               certainty: Certainty(rawValue: row.text(6) ?? "") ?? .inferred,
                               attributesJSON: row.text(7), evidence: Self.evidence(row, inline: 8, extra: 9)))
        }
    }

    /// The document ids of an edge row: its own `document_id` and the space-separated extras
    /// (`group_concat` of ids), read from the row's bytes: the lifted edges of a workload
    /// carry ~100 each. A token that is not 1–18 digits is skipped.
    private static func evidence(_ row: RawRow, inline: Int32, extra: Int32) -> [Int64] {
        var ids: [Int64] = []
        if let id = row.int64(inline) { ids.append(id) }
        row.withUTF8(extra) { bytes in
            var value: Int64 = 0
            var digits = 0
            var valid = true
            func endToken() {
                if valid, digits > 0 { ids.append(value) }
                value = 0
                digits = 0
                valid = true
            }
            for byte in bytes {
                if byte == UInt8(ascii: " ") {
                    endToken()
                } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 18 {
                    value = value * 10 + Int64(byte - UInt8(ascii: "0"))
                    digits += 1
                } else {
                    valid = false
                }
            }
            endToken()
        }
        return ids
    }
}
