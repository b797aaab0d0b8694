import CustodyCore
import CustodyQuery
import Testing

/// DESIGN.md §3: `--at T` keeps edges whose interval contains T; `--from/--to` keeps edges whose
/// interval overlaps the window; unknown ends are open; a run's interval is its run time, a
/// push an instant; content facts (what a digest contains) are not windowed.
@Suite struct TimeWindowTests {
    let graph: GraphFixture

    init() throws {
        graph = try Incident.build()
    }

    @Test func admitsIntervals() {
        let first = T.time("2025-03-10T10:00:00Z")
        let last = T.time("2025-03-10T10:10:00Z")
        #expect(T.at("2025-03-10T10:05:00Z").admits(first: first, last: last))
        #expect(T.at("2025-03-10T10:00:00Z").admits(first: first, last: last), "ends are inclusive")
        #expect(T.at("2025-03-10T10:10:00Z").admits(first: first, last: last), "ends are inclusive")
        #expect(!T.at("2025-03-10T10:10:01Z").admits(first: first, last: last))
        #expect(!T.at("2025-03-10T09:59:59Z").admits(first: first, last: last))
        #expect(T.at("2030-01-01T00:00:00Z").admits(first: first, last: nil), "open interval")
        #expect(T.at("2000-01-01T00:00:00Z").admits(first: nil, last: last), "unknown start")
        #expect(T.at("2000-01-01T00:00:00Z").admits(first: nil, last: nil), "timeless facts pass")
        #expect(T.window("2025-03-10T10:09:00Z", "2025-03-11T00:00:00Z").admits(first: first, last: last), "overlap at the end")
        #expect(T.window("2025-03-01T00:00:00Z", "2025-03-10T10:00:00Z").admits(first: first, last: last), "overlap at the start")
        #expect(!T.window("2025-03-10T10:10:01Z", nil).admits(first: first, last: last))
        #expect(!T.window(nil, "2025-03-10T09:00:00Z").admits(first: first, last: last))
        #expect(T.window(nil, nil).admits(first: first, last: last))
        #expect(TimeWindow.applies(to: .ran) && TimeWindow.applies(to: .pushed) && TimeWindow.applies(to: .usedAction))
        #expect(!TimeWindow.applies(to: .contains) && !TimeWindow.applies(to: .hasManifest) && !TimeWindow.applies(to: .baseImage))
    }

    @Test func runIntervalIsItsRunTime() throws {
        let action = BlastRadiusSubject.action("tj-actions/changed-files")
        #expect(try graph.blast(action, T.at("2025-03-10T10:05:00Z")).runKeys == [Incident.r1])
        #expect(try graph.blast(action, T.at("2025-03-10T11:00:00Z")).runKeys.isEmpty)
        #expect(try graph.blast(action, T.window("2025-03-10T10:09:00Z", "2025-03-30T00:00:00Z")).runKeys == [Incident.r1])
        #expect(try graph.blast(action, T.window("2025-03-11T00:00:00Z", "2025-03-30T00:00:00Z")).isEmpty)
        #expect(try graph.blast(action, T.window(nil, "2025-03-10T09:59:00Z")).isEmpty)
    }

    @Test func pushIsAnInstant() throws {
        let actor = BlastRadiusSubject.actor("mallory")
        #expect(try graph.blast(actor, T.window("2025-03-15T07:30:00Z", nil)).artifactKeys == [Incident.p])
        #expect(try graph.blast(actor, T.at("2025-03-15T07:00:00Z")).artifactKeys == [Incident.i2])
        #expect(try graph.blast(actor, T.at("2025-03-15T07:00:01Z")).isEmpty)
        #expect(try graph.blast(actor, T.window("2025-03-01T00:00:00Z", "2025-03-15T08:00:00Z")).artifactKeys == [Incident.i2, Incident.p])
    }

    @Test func workloadIntervalsAndStillRunning() throws {
        let package = BlastRadiusSubject.package(purl: "pkg:npm/debug", versions: nil)
        let all = try graph.blast(package)
        let api = try #require(all.workloads.first { $0.workloadKey == Incident.api && $0.digest == Incident.i1 })
        #expect(api.first_seen == "2025-03-10T12:00:00Z" && api.last_seen == "2025-03-13T00:00:00Z")
        #expect(api.last_seen_tight == "2025-03-12T20:00:00Z" && !api.running)
        let current = try #require(all.workloads.first { $0.digest == Incident.i2 })
        #expect(current.running && current.last_seen == nil && current.last_seen_tight == nil)

        // Content facts are timeless: the SBOM was made on 03-10, the digests are found years later.
        let later = try graph.blast(package, T.at("2027-01-01T00:00:00Z"))
        #expect(later.artifactKeys.contains(Incident.m1))
        // Only still-running intervals contain a late instant, whatever end the snapshot wrote.
        #expect(later.workloadKeys == ["\(Incident.api) \(Incident.i2)", "\(Incident.worker) \(Incident.d1)"])
        #expect(later.runs.isEmpty, "no run happened then")

        let during = try graph.blast(package, T.at("2025-03-11T00:00:00Z"))
        #expect(during.workloadKeys == ["\(Incident.api) \(Incident.i1)"])
        let overlap = try graph.blast(package, T.window("2025-03-12T21:00:00Z", "2025-03-12T22:00:00Z"))
        #expect(overlap.workloadKeys == ["\(Incident.api) \(Incident.i1)", "\(Incident.api) \(Incident.i2)"])
    }

    @Test func tagHistoryUnderTheWindow() throws {
        let image = BlastRadiusSubject.image(Incident.tag10)
        #expect(try graph.blast(image, T.at("2025-03-11T00:00:00Z")).artifactKeys == [Incident.i1, Incident.m1, Incident.d1].sorted())
        #expect(try graph.blast(image, T.at("2025-03-13T00:00:00Z")).artifactKeys == [Incident.i2])
        #expect(try graph.blast(image, T.at("2025-03-01T00:00:00Z")).isEmpty)
        let artifacts = try graph.blast(image, T.at("2025-03-13T00:00:00Z")).artifacts
        #expect(artifacts.first?.tags == [Incident.tag10], "tags shown are the ones in the window")
        #expect(try graph.blast(image).artifacts.first { $0.digest == Incident.i1 }?.tags == [Incident.tag10])
    }

    @Test func certaintyIsTheWeakestEdge() throws {
        let inferred = try graph.blast(.fetched("https://codecov.io/bash"))
        #expect(inferred.runs.map(\.certainty) == ["recorded"])
        let viaAction = try graph.blast(.action("codecov/codecov-action"))
        #expect(viaAction.runs.map(\.certainty) == ["inferred"])
        let edges = viaAction.paths.first { $0.last?.key == Incident.i2 }?.compactMap(\.certainty)
        #expect(edges == ["inferred", "recorded"])
    }
}
