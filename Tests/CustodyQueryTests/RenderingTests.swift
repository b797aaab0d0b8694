import CustodyExport
@testable import CustodyQuery
import Foundation
import Testing

/// The one renderer protocol: JSON complete and decodable into the contract types, terminal
/// tables summarized, every other format complete.
@Suite struct RenderingTests {
    let graph: GraphFixture

    init() throws {
        graph = try Incident.build()
    }

    @Test func jsonRoundTripsIntoTheContractTypes() throws {
        for subject in [BlastRadiusSubject.package(purl: "pkg:npm/debug", versions: nil), .vulnerability("CVE-2025-59144"),
                        .secret("db-creds")] {
            let result = try graph.blast(subject)
            let text = BlastRadiusRendering.render(result, format: .json)
            let decoded = try JSONDecoder().decode(BlastRadiusResult.self, from: Data(text.utf8))
            #expect(decoded == result, "\(subject)")
        }
        for target in [TraceTarget.workload(Incident.api), .digest(Incident.p), .digest(Incident.m1)] {
            let result = try graph.trace(target)
            let decoded = try JSONDecoder().decode(TraceResult.self, from: Data(TraceRendering.render(result, format: .json).utf8))
            #expect(decoded == result, "\(target)")
        }
    }

    @Test func jsonEscapesHostileText() throws {
        try graph.ingest("hostile.json") { f in
            f.edge(.contains, (.artifact, Incident.x), (.package, "pkg:npm/evil@1.0.0"))
            f.edge(.describes, (.sbom, "urn:\"quote\\back\nline\u{1B}[31m"), (.artifact, Incident.x))
        }
        let result = try graph.trace(.digest(Incident.x))
        let text = TraceRendering.render(result, format: .json)
        let decoded = try JSONDecoder().decode(TraceResult.self, from: Data(text.utf8))
        #expect(decoded.sboms.first?.key == "urn:\"quote\\back\nline\u{1B}[31m")
        #expect(!TraceRendering.render(result, format: .table).contains("\u{1B}"), "terminal output is escaped")
    }

    @Test func largeFanOutIsSummarizedOnlyInTerminalTables() {
        var result = BlastRadiusResult(subject: .init(kind: "package", key: "pkg:npm/x@1", matched: ["pkg:npm/x@1"]),
                                       window: .init(from: nil, to: nil, at: nil))
        result.workloads = (0..<1_300).map { index in
            .init(cluster: "c", namespace: "n", kind: "Deployment", name: "w\(index)", digest: "sha256:00", first_seen: nil,
                  last_seen: nil, last_seen_tight: nil, running: true, certainty: "recorded")
        }
        let table = BlastRadiusRendering.render(result, format: .table)
        #expect(table.contains("workloads (1300)") && table.contains("+1,250 more"))
        #expect(BlastRadiusRendering.render(result, format: .csv).split(whereSeparator: \.isNewline).filter { $0.hasPrefix("c/n/") }.count == 1_300)
        #expect(BlastRadiusRendering.render(result, format: .jsonl).split(separator: "\n").count == 1_300)
        let json = BlastRadiusRendering.render(result, format: .json)
        #expect((try? JSONDecoder().decode(BlastRadiusResult.self, from: Data(json.utf8)))?.workloads.count == 1_300)
    }
}
