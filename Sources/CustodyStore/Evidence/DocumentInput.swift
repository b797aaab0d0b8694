import CustodyCore

/// One evidence document as the pipeline hands it to the store: its identity (sha256 of its
/// bytes), what read it, where it came from, and its raw bytes already encoded for storage.
public struct DocumentInput: Sendable {
    public var sha256: String
    public var format: String
    public var source: String
    public var size: Int
    public var observedAt: Timestamp?
    public var ingestor: String
    public var ingestorVersion: String
    public var stored: StoredContent

    public init(sha256: String, format: String, source: String, size: Int, observedAt: Timestamp?,
                ingestor: String, ingestorVersion: String, stored: StoredContent) {
        self.sha256 = sha256
        self.format = format
        self.source = source
        self.size = size
        self.observedAt = observedAt
        self.ingestor = ingestor
        self.ingestorVersion = ingestorVersion
        self.stored = stored
    }
}

/// Raw document bytes as stored: `encoding` is `zstd`, `gzip` (written by earlier versions) or
/// `identity` (documents under 256 bytes).
public struct StoredContent: Sendable {
    public var encoding: String
    public var bytes: [UInt8]

    public init(encoding: String, bytes: [UInt8]) {
        self.encoding = encoding
        self.bytes = bytes
    }
}

/// What one document's write added to the graph.
public struct WriteSummary: Sendable, Equatable {
    public var nodesAdded = 0
    public var edgesAdded = 0
    public var nodesSeen = 0
    public var edgesSeen = 0

    public init() {}

    public static func += (a: inout WriteSummary, b: WriteSummary) {
        a.nodesAdded += b.nodesAdded
        a.edgesAdded += b.edgesAdded
        a.nodesSeen += b.nodesSeen
        a.edgesSeen += b.edgesSeen
    }
}
