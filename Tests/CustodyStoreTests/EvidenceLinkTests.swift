import CustodyCore
import CustodyStore
import Testing

/// Evidence links keep each document's own location. Locations are ranges of one buffer per
/// batch or group (`LocationText`, which stores a location equal to the previous one once), so
/// equal, equally long but different, missing and repeated locations in a row must each come
/// back as written.
@Suite struct EvidenceLinkTests {
    private static let image = "sha256:" + String(repeating: "c", count: 64)
    /// Per document: where it asserts the node and the edge. Same length, different bytes
    /// ("/same/place" and "/samE/place") must not be taken for each other.
    private static let locations: [String?] = ["/first", "/same/place", "/same/place", "/samE/place", nil, "/same/place", "/x"]

    private static func documents() -> [(document: DocumentInput, batch: FactBatch)] {
        locations.enumerated().map { index, location in
            var batch = FactBatch()
            let artifact = batch.node(.artifact, image, at: location)
            let package = batch.node(.package, "pkg:npm/left-pad@1.3.0", at: location.map { $0 + "/package" })
            batch.edge(.contains, from: artifact, to: package, at: location)
            return (document("e\(index)", source: "doc\(index).json"), batch)
        }
    }

    private static func links(_ db: CaseDatabase, table: String, subject: String) throws -> [String] {
        try db.runReadOnly(sql: """
            SELECT d.source || '=' || coalesce(x.location, 'NULL') FROM \(table) x JOIN documents d ON d.id = x.document_id
            ORDER BY d.source, x.\(subject)
            """).rows.compactMap { $0.first?.text }
    }

    @Test(arguments: [false, true]) func everyLinkKeepsItsDocumentsLocation(grouped: Bool) throws {
        let db = try CaseDatabase(path: temporaryDatabasePath())
        if grouped {
            _ = try db.writeSession { session in
                try session.ingest(group: Self.documents(), ingestedAt: Timestamp(secondsSinceEpoch: 1)).map { try $0.get() }
            }
        } else {
            for (document, batch) in Self.documents() {
                _ = try db.ingest(document: document, batch: batch, ingestedAt: Timestamp(secondsSinceEpoch: 1))
            }
        }
        // The first document's location is on the row itself; the others are links.
        let expected = Self.locations.enumerated().dropFirst().map { "doc\($0.offset).json=\($0.element ?? "NULL")" }
        #expect(try Self.links(db, table: "edge_evidence_extra", subject: "edge_id") == expected)
        let packages = Self.locations.enumerated().dropFirst().map { "doc\($0.offset).json=\($0.element.map { $0 + "/package" } ?? "NULL")" }
        #expect(try Self.links(db, table: "node_evidence_extra", subject: "node_id").sorted() == (expected + packages).sorted())
    }
}
