/// A node asserted by a document: its identity, attributes and where in the document it was
/// found. Attributes are plain strings (JSON output shows them as written).
public struct NodeFact: Sendable {
    public var ref: NodeRef
    public var attributes: [String: String]
    /// Pointer or line inside the document that asserted it (`/components/12`, `:431`), in
    /// its batch's `locations` (`FactBatch.location(of:)`).
    public var location: LocationRange
    /// The purl parts of a package node when the ingestor already parsed its purl, so that the
    /// store does not parse 100,000 purls a second time for its package columns.
    public var package: PackageColumns?

    public init(ref: NodeRef, attributes: [String: String] = [:], location: LocationRange = .none, package: PackageColumns? = nil) {
        self.ref = ref
        self.attributes = attributes
        self.location = location
        self.package = package
    }
}

/// The decoded purl parts the store indexes for version-insensitive package lookups
/// (`nodes.purl_*`): namespace is empty, not nil, when the purl has none.
public struct PackageColumns: Sendable, Equatable {
    public var type: String
    public var namespace: String
    public var name: String
    public var version: String?

    public init(type: String, namespace: String, name: String, version: String?) {
        self.type = type
        self.namespace = namespace
        self.name = name
        self.version = version
    }

    public init(_ purl: PackageURL) {
        self.init(type: purl.type, namespace: purl.namespace ?? "", name: purl.name, version: purl.version)
    }
}

/// An index into `FactBatch.nodes`; edges name their ends by it so that deduplication hashes
/// integers, not strings.
public typealias LocalNodeID = Int32

/// An edge asserted by a document, between two nodes of the same batch.
///
/// Stored properties are declared largest first, so that the one-byte enums fill what would
/// be padding: 72 bytes a fact instead of 88 (a large SBOM has 400,000 edges).
public struct EdgeFact: Sendable {
    /// Separates several distinct facts of the same kind between the same nodes (two separate
    /// intervals in which a tag pointed to a digest). Empty for most edges.
    public var qualifier: String
    public var attributes: [String: String]
    public var firstSeen: Timestamp?
    public var lastSeen: Timestamp?
    public var from: LocalNodeID
    public var to: LocalNodeID
    /// In its batch's `locations` (`FactBatch.location(of:)`).
    public var location: LocationRange
    public var kind: EdgeKind
    public var certainty: Certainty

    public init(kind: EdgeKind, from: LocalNodeID, to: LocalNodeID, qualifier: String = "",
                firstSeen: Timestamp? = nil, lastSeen: Timestamp? = nil, certainty: Certainty = .recorded,
                attributes: [String: String] = [:], location: LocationRange = .none) {
        self.kind = kind
        self.from = from
        self.to = to
        self.qualifier = qualifier
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.certainty = certainty
        self.attributes = attributes
        self.location = location
    }
}

extension Optional where Wrapped == Timestamp {
    /// The earlier of two optional instants, ignoring unknowns.
    public func earliest(_ other: Timestamp?) -> Timestamp? {
        switch (self, other) {
        case let (a?, b?): Swift.min(a, b)
        case let (a?, nil): a
        case let (nil, b): b
        }
    }

    /// The later of two optional instants, ignoring unknowns.
    public func latest(_ other: Timestamp?) -> Timestamp? {
        switch (self, other) {
        case let (a?, b?): Swift.max(a, b)
        case let (a?, nil): a
        case let (nil, b): b
        }
    }
}
