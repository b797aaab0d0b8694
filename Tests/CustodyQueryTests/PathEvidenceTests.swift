import CustodyCore
import CustodyQuery
import Testing

/// Path elements name every document behind their edge, sorted by hash; the answer's evidence
/// lists each document once.
@Suite struct PathEvidenceTests {
    @Test func anEdgeAssertedByTwoDocumentsNamesBoth() throws {
        let graph = try GraphFixture()
        let digest = "sha256:" + String(repeating: "a", count: 64)
        let purl = "pkg:npm/left-pad@1.0.0"
        for source in ["sbom-b.json", "sbom-a.json"] {
            try graph.ingest(source) { f in
                f.node(.artifact, digest)
                f.edge(.contains, (.artifact, digest), (.package, purl))
            }
        }
        try graph.ingest("sbom-c.json") { f in f.node(.package, "pkg:npm/other@1.0.0") }
        let result = try graph.blast(.package(purl: purl, versions: nil))
        #expect(result.evidence.map(\.source).sorted() == ["sbom-a.json", "sbom-b.json"])
        #expect(result.evidence.map(\.sha256) == result.evidence.map(\.sha256).sorted())
        let path = try #require(result.paths.first { $0.last?.key == digest })
        let contains = try #require(path.first { $0.edge == "contains" })
        #expect(contains.evidence == result.evidence.map(\.sha256))
    }
}
