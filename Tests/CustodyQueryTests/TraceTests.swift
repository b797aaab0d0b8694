import CustodyCore
import CustodyQuery
import Testing

/// `trace`: the chain of custody backwards, and every gap it reports.
@Suite struct TraceTests {
    let graph: GraphFixture

    init() throws {
        graph = try Incident.build()
    }

    @Test func fullChainHasNoGaps() throws {
        let result = try graph.trace(.digest(Incident.i1))
        #expect(result.target.matched == [Incident.i1])
        #expect(result.artifacts.map(\.digest) == [Incident.i1])
        #expect(result.runs.map(\.key) == [Incident.r1])
        #expect(result.chain.compactMap(\.key) == [Incident.i1, Incident.r1, Incident.c1, Incident.repo])
        #expect(result.chain.compactMap(\.edge) == ["produced", "builtFrom", "inRepository"])
        let build = try #require(result.builds.first)
        #expect(build.workflow == Incident.workflow && build.commit == Incident.c1 && build.repository == Incident.repo)
        #expect(build.triggered_by == ["actor:github:octocat"])
        #expect(result.pushes.map(\.identity) == [Incident.ciBot])
        #expect(result.attestations.first?.runs == [Incident.r1])
        #expect(result.signatures.first?.verified == true)
        #expect(result.sboms.map(\.key) == ["urn:uuid:m1"] && result.sboms.first?.packages == 1)
        #expect(result.related.contains { $0.digest == Incident.m1 && $0.relation == "manifest" })
        #expect(result.gaps.isEmpty, "\(result.gaps)")
        #expect(result.workloads.map(\.workloadKey) == [Incident.api])
        #expect(!result.evidence.isEmpty && result.pushes.first?.evidence.isEmpty == false)
    }

    @Test func gapsOfAReleaseRePushedOutsideCI() throws {
        let result = try graph.trace(.digest(Incident.i2))
        #expect(result.runs.map(\.key) == [Incident.r2])
        let kinds = Set(result.gaps.map(\.kind))
        // I2 has SBOM content (contains) without an SBOM node: that is an SBOM, not a gap.
        #expect(kinds == ["push-without-run", "unverified-signature"], "\(result.gaps)")
        let push = try #require(result.gaps.first { $0.kind == "push-without-run" })
        #expect(push.message.contains(Incident.mallory) && push.message.contains("2025-03-15T07:00:00Z"))
        #expect(result.signatures.first?.verified == nil)
    }

    @Test func gapsOfADigestPushedOutsideCI() throws {
        let result = try graph.trace(.digest(Incident.p))
        #expect(result.runs.isEmpty)
        #expect(Set(result.gaps.map(\.kind)) == ["no-run", "no-provenance", "no-sbom", "push-without-run"])
        #expect(result.gaps.contains { $0.message == "no provenance for this digest" })
        #expect(result.chain.compactMap(\.key) == [Incident.p, Incident.mallory], "with no run, the chain ends at the pusher")
    }

    @Test func platformManifestFindsTheRunThatPushedItsIndex() throws {
        let result = try graph.trace(.digest(Incident.m1))
        #expect(result.runs.map(\.key) == [Incident.r1])
        #expect(result.chain.compactMap(\.edge) == ["hasManifest", "produced", "builtFrom", "inRepository"])
        #expect(!result.gaps.contains { $0.kind == "no-run" || $0.kind == "no-sbom" })
    }

    @Test func workloadTraceFollowsTheWindow() throws {
        let all = try graph.trace(.workload(Incident.api))
        #expect(all.artifacts.map(\.digest) == [Incident.i1, Incident.i2])
        #expect(all.runs.map(\.key) == [Incident.r1, Incident.r2])
        #expect(all.chain.compactMap(\.key).prefix(3) == [Incident.api, Incident.i2, Incident.r2], "the running digest is primary")
        #expect(all.chains.count == 2)
        #expect(all.workloads.count == 2 && all.workloads.allSatisfy { $0.workloadKey == Incident.api })

        let then = try graph.trace(.workload(Incident.api), T.at("2025-03-11T00:00:00Z"))
        #expect(then.artifacts.map(\.digest) == [Incident.i1])
        #expect(then.runs.map(\.key) == [Incident.r1])
        #expect(try graph.trace(.workload("prod-eu/pay/deployment/api")).artifacts.count == 2, "kind case is forgiven")
        #expect(try graph.trace(.workload("prod-eu/pay/Deployment/nope")).isEmpty)
        #expect(throws: CustodyError.self) { try graph.trace(.workload("api")) }
    }

    @Test func imageTraceUsesTheTagHistory() throws {
        #expect(try graph.trace(.image(Incident.tag10), T.at("2025-03-11T00:00:00Z")).artifacts.map(\.digest) == [Incident.i1])
        let both = try graph.trace(.image(Incident.tag10))
        #expect(both.artifacts.map(\.digest) == [Incident.i1, Incident.i2])
        #expect(both.chain.first?.key == Incident.tag10 && both.chain.compactMap(\.key).dropFirst().first == Incident.i2)
        #expect(try graph.trace(.image("registry.acme.example/acme/app@\(Incident.p)")).artifacts.map(\.digest) == [Incident.p])
        #expect(throws: CustodyError.self) { try graph.trace(.image("UPPER CASE")) }
    }

    @Test func provenanceNamingAnotherRunIsAGap() throws {
        try graph.ingest("forged.intoto.json") { f in
            f.node(.attestation, "sha256:a3", ["predicateType": "https://slsa.dev/provenance/v1"])
            f.edge(.attests, (.attestation, "sha256:a3"), (.artifact, Incident.d1))
            f.edge(.claimsRun, (.attestation, "sha256:a3"), (.run, "github:acme/other/1"))
            f.edge(.signedBy, (.attestation, "sha256:a3"), (.identity, "key:ffff"), attributes: ["verified": "false"])
        }
        let kinds = Set(try graph.trace(.digest(Incident.d1)).gaps.map(\.kind))
        #expect(kinds.isSuperset(of: ["provenance-run-mismatch", "signature-failed", "no-push"]))
    }
}
