import CustodyCore
import Foundation
import GRDB

/// A stored document's identity and provenance, without its bytes.
public struct StoredDocumentInfo: Sendable, Hashable {
    public var id: Int64
    public var sha256: String
    public var format: String
    public var source: String
    /// Size of the original (decoded) bytes.
    public var size: Int
    public var observedAt: Timestamp?
}

/// A node that a document supports (`node_evidence`), with the location inside the document.
public struct DocumentNodeLink: Sendable, Hashable {
    public var documentID: Int64
    public var node: StoredNode
    public var location: String?
}

/// Streaming access to stored evidence bytes, for consumers that must re-read documents rather
/// than facts: `custody logs grep` over gigabytes of stored CI logs, and derivations that
/// re-parse small documents (workflow files) whose content is not all in the graph.
///
/// Bytes come back still encoded (`StoredContent`), so that callers can decode them on other
/// cores while this read transaction fetches the next blob; `ContentCodec.decode` turns them
/// back into the original document.
extension GraphReader {
    /// Documents of the given formats, in storage order.
    public func documents(formats: [String]) throws -> [StoredDocumentInfo] {
        guard !formats.isEmpty else { return [] }
        let marks = formats.map { _ in "?" }.joined(separator: ",")
        return try Row.fetchAll(db, sql: """
            SELECT id, sha256, format, source, size, observed_at FROM documents
            WHERE format IN (\(marks)) ORDER BY id
            """, arguments: StatementArguments(formats)).map { row in
            StoredDocumentInfo(id: row[0], sha256: row[1], format: row[2], source: row[3], size: row[4],
                               observedAt: (row[5] as Int64?).map(Timestamp.init(nanosecondsSinceEpoch:)))
        }
    }

    /// The stored (encoded) bytes of one document.
    public func storedContent(documentID: Int64) throws -> StoredContent? {
        guard let row = try Row.fetchOne(db, sql: "SELECT encoding, content FROM documents WHERE id = ?",
                                         arguments: [documentID]) else { return nil }
        let blob: [UInt8] = (row[1] as DatabaseValue).storage.bytes
        return StoredContent(encoding: row[0], bytes: blob)
    }

    /// The original bytes of one document.
    public func content(documentID: Int64) throws -> [UInt8]? {
        try storedContent(documentID: documentID).map(ContentCodec.decode)
    }

    /// Calls `body` with the encoded bytes of each listed document, in id order, one blob in
    /// memory at a time (a cursor, not a fetch-all). `body` returns false to stop early.
    public func forEachStoredContent(documentIDs: [Int64], _ body: (Int64, StoredContent) throws -> Bool) throws {
        let sorted = documentIDs.sorted()
        var index = 0
        // Bounded IN lists keep the statement small however many documents are asked for.
        while index < sorted.count {
            let chunk = sorted[index..<min(sorted.count, index + 500)]
            index += chunk.count
            let marks = chunk.map { _ in "?" }.joined(separator: ",")
            let cursor = try Row.fetchCursor(db, sql: "SELECT id, encoding, content FROM documents WHERE id IN (\(marks)) ORDER BY id",
                                             arguments: StatementArguments(Array(chunk)))
            while let row = try cursor.next() {
                let blob: [UInt8] = (row[2] as DatabaseValue).storage.bytes
                if try !body(row[0], StoredContent(encoding: row[1], bytes: blob)) { return }
            }
        }
    }

    /// The nodes of `kinds` that documents of `formats` support, with their locations: which
    /// run and job a stored log belongs to, which commits a workflow file was found at.
    public func documentNodes(formats: [String], kinds: [NodeKind]) throws -> [DocumentNodeLink] {
        guard !formats.isEmpty, !kinds.isEmpty else { return [] }
        let formatMarks = formats.map { _ in "?" }.joined(separator: ",")
        let kindMarks = kinds.map { _ in "?" }.joined(separator: ",")
        let arguments: [any DatabaseValueConvertible] = formats + kinds.map(\.rawValue)
        return try Row.fetchAll(db, sql: """
            SELECT d.id, n.id, n.kind, n.key, n.attrs, ne.location
            FROM documents d
            JOIN node_evidence ne ON ne.document_id = d.id
            JOIN nodes n ON n.id = ne.node_id
            WHERE d.format IN (\(formatMarks)) AND n.kind IN (\(kindMarks))
            ORDER BY d.id, n.kind, n.key
            """, arguments: StatementArguments(arguments)).compactMap { row in
            guard let kind = NodeKind(rawValue: row[2]) else { return nil }
            let node = StoredNode(id: row[1], ref: NodeRef(kind, row[3]), attributesJSON: row[4])
            return DocumentNodeLink(documentID: row[0], node: node, location: row[5])
        }
    }
}

extension StoredNode {
    init(id: Int64, ref: NodeRef, attributesJSON: String?) {
        self.id = id
        self.ref = ref
        self.attributesJSON = attributesJSON
    }
}

extension DatabaseValue.Storage {
    /// Blob bytes (text is accepted too, as its UTF-8); empty for anything else.
    fileprivate var bytes: [UInt8] {
        switch self {
        case let .blob(data): [UInt8](data)
        case let .string(text): Array(text.utf8)
        default: []
        }
    }
}
