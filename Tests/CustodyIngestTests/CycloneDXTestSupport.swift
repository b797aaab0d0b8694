import CustodyCore
import CustodyIngest
import Foundation
import Testing

/// Helpers shared by the CycloneDX test files.
enum CycloneDXTest {
    static func json(_ text: String, source: String = "inline.cdx.json") throws -> FactBatch {
        try CycloneDXJSONIngestor().ingest(IngestInput(source: source, fileName: source, bytes: Array(text.utf8)))
    }

    static func xml(_ text: String, source: String = "inline.cdx.xml") throws -> FactBatch {
        try CycloneDXXMLIngestor().ingest(IngestInput(source: source, fileName: source, bytes: Array(text.utf8)))
    }

    static func fixture(_ name: String) throws -> FactBatch {
        let relative = "sbom/cyclonedx/" + name
        let input = IngestInput(source: relative, fileName: name, bytes: try SharedFixtures.bytes(relative))
        return name.hasSuffix(".xml") ? try CycloneDXXMLIngestor().ingest(input) : try CycloneDXJSONIngestor().ingest(input)
    }

    static func scenario(_ relative: String) throws -> FactBatch {
        let url = SharedFixtures.scenario(relative)
        let bytes = try [UInt8](Data(contentsOf: url))
        return try CycloneDXJSONIngestor().ingest(IngestInput(source: relative, fileName: url.lastPathComponent, bytes: bytes))
    }

    /// The `CustodyError` an ingest throws, or nil (with a failed expectation) when it does not.
    static func rejection(_ body: () throws -> FactBatch, sourceLocation: Testing.SourceLocation = #_sourceLocation)
        -> CustodyError? {
        do {
            _ = try body()
            Issue.record("expected a rejection, the document was accepted", sourceLocation: sourceLocation)
            return nil
        } catch let error as CustodyError {
            return error
        } catch {
            Issue.record("expected a CustodyError, got \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }
}

extension FactBatch {
    var sbomNode: NodeFact? { nodes.first { $0.ref.kind == .sbom } }

    /// What the SBOM `describes`, or the sbom node itself when nothing is described.
    var subjectRef: NodeRef? {
        guard let sbom = sbomNode, let sbomID = localID(of: sbom.ref) else { return nil }
        if let edge = edges.first(where: { $0.kind == .describes && $0.from == sbomID }) { return ref(edge.to) }
        return sbom.ref
    }

    var packageKeys: Set<String> { Set(nodes.filter { $0.ref.kind == .package }.map(\.ref.key)) }

    func node(_ kind: NodeKind, _ key: String) -> NodeFact? { nodes.first { $0.ref == NodeRef(kind, key) } }

    func edges(_ kind: EdgeKind, from: NodeRef? = nil, to: NodeRef? = nil) -> [EdgeFact] {
        let fromID = from.flatMap { localID(of: $0) }
        let toID = to.flatMap { localID(of: $0) }
        if from != nil, fromID == nil { return [] }
        if to != nil, toID == nil { return [] }
        return edges.filter { edge in
            edge.kind == kind && (fromID.map { edge.from == $0 } ?? true) && (toID.map { edge.to == $0 } ?? true)
        }
    }

    func hasEdge(_ kind: EdgeKind, _ from: NodeRef, _ to: NodeRef) -> Bool { !edges(kind, from: from, to: to).isEmpty }

    var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
}

/// Records a short issue (not the whole batch) when an edge is missing or unexpectedly present.
func expectEdge(_ batch: FactBatch, _ kind: EdgeKind, _ from: NodeRef, _ to: NodeRef, present: Bool = true,
                sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    if batch.hasEdge(kind, from, to) != present {
        Issue.record("\(present ? "missing" : "unexpected") edge \(from) -\(kind.rawValue)-> \(to)", sourceLocation: sourceLocation)
    }
}
