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

    init(reader: GraphReader) throws {
        let evidence = try Evidence(reader: reader)
        for row in try reader.rows("""
            SELECT c.key, e.last_seen, e.id
            FROM nodes c JOIN edges e ON e.src = c.id AND e.kind = 'observed' AND e.dst = c.id
            WHERE c.kind = 'cluster' AND e.qualifier LIKE 'snapshot:%'
            """) {
            guard let cluster = row[0].text, let time = row[1].timestamp else { continue }
            snapshots[cluster, default: [:]][time, default: []] += evidence.shas(of: row[2])
        }
        // The same pods (same start times) show up in snapshot after snapshot: parse each
        // `starts` list once.
        var parsedStarts: [String: [Timestamp]] = [:]
        for row in try reader.rows("""
            SELECT w.key, t.kind, t.key, e.first_seen, e.last_seen, json_extract(e.attrs, '$.live'),
                   json_extract(e.attrs, '$.starts'), json_extract(e.attrs, '$.owner_uid'), e.id
            FROM nodes w JOIN edges e ON e.src = w.id AND e.kind = 'observed' JOIN nodes t ON t.id = e.dst
            WHERE w.kind = 'workload' AND e.qualifier LIKE 'snapshot:%'
            """) {
            guard let owner = row[0].text, let kindText = row[1].text, let kind = NodeKind(rawValue: kindText),
                  let key = row[2].text, let time = row[4].timestamp else { continue }
            let startsText = row[6].text ?? ""
            let starts: [Timestamp]
            if let known = parsedStarts[startsText] {
                starts = known
            } else {
                starts = startsText.split(separator: " ").compactMap { try? Timestamp(rfc3339: String($0)) }
                parsedStarts[startsText] = starts
            }
            let value = WorkloadObservation(target: NodeRef(kind, key), firstStart: row[3].timestamp,
                                            live: row[5].text == "true", starts: starts, evidence: evidence.shas(of: row[8]))
            observations.append(Observation(owner: owner, time: time, ownerUID: row[7].text, value: value))
        }
        for row in try reader.rows("""
            SELECT w.key, e.qualifier, e.certainty, p.key, e.id
            FROM nodes w JOIN edges e ON e.src = w.id AND e.kind = 'controlledBy' JOIN nodes p ON p.id = e.dst
            WHERE w.kind = 'workload' AND p.kind = 'workload' AND e.qualifier NOT LIKE 'derived:%'
            """) {
            guard let child = row[0].text, let qualifier = row[1].text, let parent = row[3].text, parent != child else { continue }
            let link = ControllerLink(qualifier: qualifier, certainty: Certainty(rawValue: row[2].text ?? "") ?? .inferred,
                                      parent: parent, evidence: evidence.shas(of: row[4]))
            controllers[child, default: []].append(link)
        }
        // Edges of intermediate controllers, to lift to the top controller.
        let controlled = Set(controllers.keys)
        guard !controlled.isEmpty else { return }
        for row in try reader.rows("""
            SELECT w.key, e.kind, t.kind, t.key, e.first_seen, e.last_seen, e.certainty, e.attrs, e.id
            FROM nodes w JOIN edges e ON e.src = w.id AND e.kind IN ('runsAs', 'mounts', 'inNamespace')
            JOIN nodes t ON t.id = e.dst
            WHERE w.kind = 'workload' AND e.qualifier NOT LIKE 'derived:%'
            """) {
            guard let owner = row[0].text, controlled.contains(owner), let kind = EdgeKind(rawValue: row[1].text ?? ""),
                  let targetKind = NodeKind(rawValue: row[2].text ?? ""), let targetKey = row[3].text else { continue }
            ownedEdges.append(OwnedEdge(owner: owner, kind: kind, target: NodeRef(targetKind, targetKey),
                                        firstSeen: row[4].timestamp, lastSeen: row[5].timestamp,
                                        certainty: Certainty(rawValue: row[6].text ?? "") ?? .inferred,
                                        attributesJSON: row[7].text, evidence: evidence.shas(of: row[8])))
        }
    }
}

/// The documents behind every edge the derivation reads, fetched in one pass.
///
/// `edge_evidence` is a UNION ALL view; SQLite cannot push a correlated `edge_id = e.id` into
/// it, so a per-row subquery materialized (and indexed) the whole view once per query. One
/// grouped scan, restricted to the edge kinds read here, costs a single pass, and carrying
/// document ids instead of joining `documents` for every row keeps the strings short.
struct Evidence {
    private var documentsByEdge: [Int64: [String]] = [:]

    init(reader: GraphReader) throws {
        var shaByID: [Int64: String] = [:]
        for row in try reader.rows("SELECT id, sha256 FROM documents") {
            guard case let .integer(id) = row[0], let sha = row[1].text else { continue }
            shaByID[id] = sha
        }
        for row in try reader.rows("""
            SELECT edge_id, group_concat(document_id, ' ') FROM edge_evidence
            WHERE edge_id IN (SELECT id FROM edges WHERE kind IN ('observed', 'controlledBy', 'runsAs', 'mounts', 'inNamespace'))
            GROUP BY edge_id
            """) {
            guard case let .integer(edge) = row[0], let ids = row[1].text else { continue }
            documentsByEdge[edge] = ids.utf8.split(separator: UInt8(ascii: " ")).compactMap { digits in
                Int64(Substring(digits)).flatMap { shaByID[$0] }
            }
        }
    }

    /// `sha256` of each document supporting the edge whose id is `edge`.
    func shas(of edge: SQLValue) -> [String] {
        guard case let .integer(id) = edge else { return [] }
        return documentsByEdge[id] ?? []
    }
}
