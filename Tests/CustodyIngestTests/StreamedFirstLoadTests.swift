import CustodyCore
import CustodyIngest
import CustodyStore
import Foundation
import Testing

/// A large document alone in a run, into a case without facts, is written while it is read
/// (`IngestPipeline.prepare(streaming:)`). It must store exactly what the ordinary write stores
/// (only the ids differ: document order instead of key order), and nothing when it fails.
@Suite("Streamed first load", .serialized)
struct StreamedFirstLoadTests {
    /// Every table of the case with ids replaced by keys (ingest times left out).
    static func contents(_ database: CaseDatabase) throws -> [String] {
        let queries = [
            """
            SELECT kind, key, attrs, location, purl_type, purl_namespace, purl_name, purl_version, d.sha256
            FROM nodes n LEFT JOIN documents d ON d.id = n.document_id ORDER BY kind, key
            """,
            """
            SELECT s.kind, s.key, e.kind, t.kind, t.key, e.qualifier, e.first_seen, e.last_seen, e.certainty, e.attrs,
                   e.location, d.sha256
            FROM edges e JOIN nodes s ON s.id = e.src JOIN nodes t ON t.id = e.dst LEFT JOIN documents d ON d.id = e.document_id
            ORDER BY 1, 2, 3, 4, 5, 6
            """,
            "SELECT sha256, format, source, size, observed_at, ingestor, ingestor_version, encoding, hex(content) FROM documents ORDER BY sha256",
            """
            SELECT d.sha256, g.severity, g.message, g.location FROM diagnostics g JOIN documents d ON d.id = g.document_id
            ORDER BY 1, 2, 3, 4
            """,
            "SELECT count(*) FROM node_evidence_extra UNION ALL SELECT count(*) FROM edge_evidence_extra",
            "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name",
        ]
        return try database.read { reader in try queries.flatMap { try reader.rows($0).map { "\($0)" } } }
    }

    /// Ingests `path` alone into a fresh case, streamed (threshold 0) or not (no threshold).
    static func ingest(_ path: String, streamed: Bool) throws -> (IngestReport, CaseDatabase) {
        var (pipeline, database) = try CITest.pipeline()
        pipeline.streamMinimumBytes = streamed ? 0 : .max
        return (pipeline.run(paths: [path]), database)
    }

    /// The sbom node's id and the number of nodes.
    static func sbomNodeID(_ database: CaseDatabase) throws -> (id: String, count: String) {
        let row = try database.read { try $0.rows("SELECT (SELECT id FROM nodes WHERE kind = 'sbom'), (SELECT count(*) FROM nodes)") }
        return ("\(row[0][0])", "\(row[0][1])")
    }

    /// `chunked`: the document has more than one chunk of components (2,048).
    static func expectSame(_ path: String, chunked: Bool = false, _ comment: Comment) throws {
        let (streamedReport, streamed) = try ingest(path, streamed: true)
        let (plainReport, plain) = try ingest(path, streamed: false)
        #expect(streamedReport.entries.map { "\($0.outcome)" } == plainReport.entries.map { "\($0.outcome)" }, comment)
        #expect(streamedReport.entries.map { $0.diagnostics.map(\.message) } == plainReport.entries.map { $0.diagnostics.map(\.message) },
                comment)
        #expect(try contents(streamed) == contents(plain), comment)
        // Ids in key order put the sbom node last; streamed ones follow the document's chunks,
        // and the sbom node is in the first.
        #expect(try sbomNodeID(plain).id == sbomNodeID(plain).count, comment)
        if chunked { #expect(try sbomNodeID(streamed).id != sbomNodeID(streamed).count, comment) }
    }

    @Test func everyCycloneDXFixtureStoresWhatTheOrdinaryWriteStores() throws {
        let directory = SharedFixtures.fixture("sbom/cyclonedx")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(names.count >= 10)
        for name in names {
            try Self.expectSame(directory.appendingPathComponent(name).path, "\(name)")
        }
    }

    /// Components beyond two publications (2,048 each), the last but 500 repeating an early one
    /// with more to say (a cpe, a property: merged into facts already written), nested
    /// components, repeated and unknown dependency references.
    static func synthetic(components: Int = 5_000, badPurlAt: Int? = nil, dependenciesFirst: Bool = false) -> String {
        let repeated = components - 500
        var parts: [String] = []
        for index in 0..<components {
            let purl = index == badPurlAt ? "5" : "\"pkg:npm/mod\(index == repeated ? 5 : index)@1.\(index == repeated ? 5 : index).0\""
            var fields = ["\"bom-ref\": \"ref-\(index)\"", "\"type\": \"library\"", "\"name\": \"mod\(index)\"", "\"purl\": \(purl)"]
            if index == repeated {
                fields.append("\"cpe\": \"cpe:2.3:a:acme:mod5:1.5.0:*:*:*:*:*:*:*\"")
                fields.append("\"properties\": [{\"name\": \"acme:tier\", \"value\": \"gold\"}]")
            }
            if index == 700 {
                fields.append("\"components\": [{\"bom-ref\": \"nested-1\", \"type\": \"library\", \"name\": \"inner\", \"purl\": \"pkg:pypi/inner@2.0\"}]")
            }
            parts.append("{" + fields.joined(separator: ", ") + "}")
        }
        var dependencies: [String] = []
        for index in 0..<(components / 2) {
            let targets = ["\"ref-\((index * 7 + 1) % components)\"", "\"ref-\((index * 13 + 2) % components)\"",
                           index % 100 == 0 ? "\"missing-\(index)\"" : "\"ref-\((index * 7 + 1) % components)\"",
                           "\"nested-1\""]
            dependencies.append("{\"ref\": \"ref-\(index)\", \"dependsOn\": [\(targets.joined(separator: ", "))]}")
        }
        let sections = ["\"components\": [\(parts.joined(separator: ",\n"))]", "\"dependencies\": [\(dependencies.joined(separator: ",\n"))]"]
        return """
            {"bomFormat": "CycloneDX", "specVersion": "1.5", "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
             "version": 1, "metadata": {"timestamp": "2024-05-01T10:00:00Z",
               "component": {"type": "container", "name": "registry.example/app", "version": "sha256:\(String(repeating: "ab", count: 32))"}},
             \((dependenciesFirst ? sections.reversed() : sections).joined(separator: ",\n"))}
            """
    }

    static func write(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("custody-streamed-\(UUID().uuidString).cdx.json")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func factsMergedIntoAfterTheyWereWritten() throws {
        let path = try Self.write(Self.synthetic())
        try Self.expectSame(path, chunked: true, "synthetic")
        let (_, database) = try Self.ingest(path, streamed: true)
        #expect(try CITest.attribute(database, .package, "pkg:npm/mod5@1.5.0", "cpe") == "cpe:2.3:a:acme:mod5:1.5.0:*:*:*:*:*:*:*")
        let tier = try database.read {
            try $0.rows("""
                SELECT json_extract(e.attrs, '$."property:acme:tier"') FROM edges e JOIN nodes d ON d.id = e.dst
                WHERE e.kind = 'contains' AND d.key = 'pkg:npm/mod5@1.5.0'
                """)
        }
        #expect(tier.map { "\($0[0])" } == ["\(SQLValue.text("gold"))"])
        #expect(try CITest.nodes(database, .package).contains("pkg:pypi/inner@2.0"))
    }

    /// The walk hands back the tape of the components it has read: the dependencies, read
    /// after them, must be intact wherever they are in the document.
    @Test func dependenciesBeforeComponents() throws {
        let path = try Self.write(Self.synthetic(dependenciesFirst: true))
        try Self.expectSame(path, chunked: true, "dependencies first")
        let (_, database) = try Self.ingest(path, streamed: true)
        #expect(try CITest.targets(database, .dependsOn, from: "pkg:npm/mod0@1.0.0")
            == ["pkg:npm/mod1@1.1.0", "pkg:npm/mod2@1.2.0", "pkg:pypi/inner@2.0"])
    }

    @Test func aDocumentRejectedWhileStreamingLeavesNothing() throws {
        let bad = try Self.write(Self.synthetic(badPurlAt: 4_600))
        var (pipeline, database) = try CITest.pipeline()
        pipeline.streamMinimumBytes = 0
        let report = pipeline.run(paths: [bad])
        guard case let .rejected(error) = try #require(report.entries.first).outcome else {
            Issue.record("expected a rejection, got \(report.entries)")
            return
        }
        #expect(error.message.contains("purl must be a string"))
        #expect(error.location?.pointer == "/components/4600/purl")
        let counts = try database.read { try $0.rows("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM nodes), (SELECT count(*) FROM edges)") }
        #expect(counts.map { $0.map { "\($0)" } } == [Array(repeating: "\(SQLValue.integer(0))", count: 3)])
        // The case is whole: the next document is written as usual, indexes and all.
        let good = try Self.write(Self.synthetic())
        #expect(pipeline.run(paths: [good]).entries.allSatisfy { if case .stored = $0.outcome { true } else { false } })
        let (_, plain) = try Self.ingest(good, streamed: false)
        #expect(try Self.contents(database) == Self.contents(plain))
    }

    @Test func aCaseWithFactsIsWrittenTheOrdinaryWay() throws {
        let small = SharedFixtures.fixture("sbom/cyclonedx/python-app.cyclonedx-bom-3.11.0.cdx-1.4.json").path
        let large = try Self.write(Self.synthetic())
        var (streamed, streamedCase) = try CITest.pipeline()
        streamed.streamMinimumBytes = 0
        var (plain, plainCase) = try CITest.pipeline()
        plain.streamMinimumBytes = .max
        for pipeline in [streamed, plain] {
            _ = pipeline.run(paths: [small])
            _ = pipeline.run(paths: [large])
        }
        #expect(try Self.contents(streamedCase) == Self.contents(plainCase))
    }
}
