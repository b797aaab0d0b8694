import CustodyCore
import CustodyStore

/// The stored Kubernetes facts the workload derivation needs, read with a handful of indexed
/// queries (nodes by kind, edges by source and kind) so that it stays fast on a case database
/// that also holds millions of SBOM edges.
struct WorkloadGraph {
    struct Observation {
        var owner: String
        var time: Timestamp
        var ownerUID: String?
        var value: WorkloadObservation
    }

    struct ControllerLink {
        var qualifier: String
        var certainty: Certainty
        var parent: String
        var evidence: [String]
    }

    struct OwnedEdge {
        var owner: String
        var kind: EdgeKind
        var target: NodeRef
        var firstSeen: Timestamp?
        var lastSeen: Timestamp?
        var certainty: Certainty
        var attributesJSON: String?
        var evidence: [String]
    }

    /// Capture times of every pod snapshot per cluster, with their documents.
    var snapshots: [String: [Timestamp: [String]]] = [:]
    var observations: [Observation] = []
    var controllers: [String: [ControllerLink]] = [:]
    var ownedEdges: [OwnedEdge] = []

    /// `sha256 sha256 …` of the documents supporting edge `e`.
    private static let evidenceColumn = """
        (SELECT group_concat(d.sha256, ' ') FROM edge_evidence ee JOIN documents d ON d.id = ee.document_id
         WHERE ee.edge_id = e.id)
        """

    init(reader: GraphReader) throws {
        for row in try reader.rows("""
            SELECT c.key, e.last_seen, \(Self.evidenceColumn)
            FROM nodes c JOIN edges e ON e.src = c.id AND e.kind = 'observed' AND e.dst = c.id
            WHERE c.kind = 'cluster' AND e.qualifier LIKE 'snapshot:%'
            """) {
            guard let cluster = row[0].text, let time = row[1].timestamp else { continue }
            snapshots[cluster, default: [:]][time, default: []] += Self.shas(row[2])
        }
        for row in try reader.rows("""
            SELECT w.key, t.kind, t.key, e.first_seen, e.last_seen, json_extract(e.attrs, '$.live'),
                   json_extract(e.attrs, '$.starts'), json_extract(e.attrs, '$.owner_uid'), \(Self.evidenceColumn)
            FROM nodes w JOIN edges e ON e.src = w.id AND e.kind = 'observed' JOIN nodes t ON t.id = e.dst
            WHERE w.kind = 'workload' AND e.qualifier LIKE 'snapshot:%'
            """) {
            guard let owner = row[0].text, let kindText = row[1].text, let kind = NodeKind(rawValue: kindText),
                  let key = row[2].text, let time = row[4].timestamp else { continue }
            let starts = (row[6].text ?? "").split(separator: " ").compactMap { try? Timestamp(rfc3339: String($0)) }
            let value = WorkloadObservation(target: NodeRef(kind, key), firstStart: row[3].timestamp,
                                            live: row[5].text == "true", starts: starts, evidence: Self.shas(row[8]))
            observations.append(Observation(owner: owner, time: time, ownerUID: row[7].text, value: value))
        }
        for row in try reader.rows("""
            SELECT w.key, e.qualifier, e.certainty, p.key, \(Self.evidenceColumn)
            FROM nodes w JOIN edges e ON e.src = w.id AND e.kind = 'controlledBy' JOIN nodes p ON p.id = e.dst
            WHERE w.kind = 'workload' AND p.kind = 'workload' AND e.qualifier NOT LIKE 'derived:%'
            """) {
            guard let child = row[0].text, let qualifier = row[1].text, let parent = row[3].text, parent != child else { continue }
            let link = ControllerLink(qualifier: qualifier, certainty: Certainty(rawValue: row[2].text ?? "") ?? .inferred,
                                      parent: parent, evidence: Self.shas(row[4]))
            controllers[child, default: []].append(link)
        }
        // Edges of intermediate controllers, to lift to the top controller.
        let controlled = Set(controllers.keys)
        guard !controlled.isEmpty else { return }
        for row in try reader.rows("""
            SELECT w.key, e.kind, t.kind, t.key, e.first_seen, e.last_seen, e.certainty, e.attrs, \(Self.evidenceColumn)
            FROM nodes w JOIN edges e ON e.src = w.id AND e.kind IN ('runsAs', 'mounts', 'inNamespace')
            JOIN nodes t ON t.id = e.dst
            WHERE w.kind = 'workload' AND e.qualifier NOT LIKE 'derived:%'
            """) {
            guard let owner = row[0].text, controlled.contains(owner), let kind = EdgeKind(rawValue: row[1].text ?? ""),
                  let targetKind = NodeKind(rawValue: row[2].text ?? ""), let targetKey = row[3].text else { continue }
            ownedEdges.append(OwnedEdge(owner: owner, kind: kind, target: NodeRef(targetKind, targetKey),
                                        firstSeen: row[4].timestamp, lastSeen: row[5].timestamp,
                                        certainty: Certainty(rawValue: row[6].text ?? "") ?? .inferred,
                                        attributesJSON: row[7].text, evidence: Self.shas(row[8])))
        }
    }

    private static func shas(_ value: SQLValue) -> [String] {
        (value.text ?? "").split(separator: " ").map(String.init)
    }
}
