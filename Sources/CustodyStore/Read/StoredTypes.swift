import CustodyCore
import GRDB

/// A node as stored, with its database id (stable within one case database).
public struct StoredNode: Sendable, Hashable {
    public var id: Int64
    public var ref: NodeRef
    public var attributesJSON: String?

    init?(row: Row) {
        guard let kind = NodeKind(rawValue: row[1]) else { return nil }
        id = row[0]
        ref = NodeRef(kind, row[2])
        attributesJSON = row[3]
    }
}

public struct StoredPackage: Sendable, Hashable {
    public var id: Int64
    public var key: String
    public var version: String?
}

/// An edge as stored, seen from one end: `other` is the node at the far end.
public struct StoredEdge: Sendable, Hashable {
    public var id: Int64
    public var kind: EdgeKind
    public var source: Int64
    public var target: Int64
    public var qualifier: String
    public var firstSeen: Timestamp?
    public var lastSeen: Timestamp?
    public var certainty: Certainty
    public var attributesJSON: String?
    public var other: NodeRef

    init?(row: Row) {
        guard let kind = EdgeKind(rawValue: row[1]), let otherKind = NodeKind(rawValue: row[9]) else { return nil }
        id = row[0]
        self.kind = kind
        source = row[2]
        target = row[3]
        qualifier = row[4]
        firstSeen = (row[5] as Int64?).map(Timestamp.init(nanosecondsSinceEpoch:))
        lastSeen = (row[6] as Int64?).map(Timestamp.init(nanosecondsSinceEpoch:))
        certainty = Certainty(rawValue: row[7]) ?? .inferred
        attributesJSON = row[8]
        other = NodeRef(otherKind, row[10])
    }
}

/// One document supporting a fact, and where inside it.
public struct EvidenceLink: Sendable, Hashable {
    public var sha256: String
    public var format: String
    public var source: String
    public var location: String?
}

public struct GraphStatistics: Sendable {
    public var documents = 0
    public var documentBytes = 0
    public var storedBytes = 0
    public var documentsByFormat: [String: Int] = [:]
    public var nodesByKind: [String: Int] = [:]
    public var edgesByKind: [String: Int] = [:]
    public var diagnostics = 0
}
