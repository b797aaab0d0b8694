import CustodyCore
import CustodyQuery
import Testing

/// Every subject kind of `blast-radius`, on the hand-built incident (`Incident`).
@Suite struct BlastRadiusSubjectTests {
    let graph: GraphFixture

    init() throws {
        graph = try Incident.build()
    }

    @Test func packageReachesManifestIndexDerivedImageRunsWorkloadsAndSecrets() throws {
        let result = try graph.blast(.package(purl: Incident.debug442, versions: nil))
        #expect(result.subject.matched == [Incident.debug442])
        #expect(result.artifactKeys == [Incident.i1, Incident.m1, Incident.d1, Incident.x].sorted())
        #expect(result.runKeys == [Incident.r1, Incident.r3])
        #expect(result.workloadKeys == ["\(Incident.api) \(Incident.i1)", "\(Incident.worker) \(Incident.d1)"])
        #expect(result.secretKeys == [Incident.appToken, Incident.dbCreds])
        #expect(result.secrets.first { $0.key == Incident.dbCreds }?.reached_by == [Incident.api])
        let path = try #require(result.paths.first { $0.last?.key == Incident.d1 })
        #expect(path.compactMap(\.edge) == ["contains", "hasManifest", "baseImage"])
        #expect(result.evidence.map(\.source).contains("sbom.cdx.json"))
    }

    @Test func packageWithoutVersionAndWithRange() throws {
        let any = try graph.blast(.package(purl: "pkg:npm/debug", versions: nil))
        #expect(any.subject.matched == ["pkg:npm/debug", Incident.debug441, Incident.debug442])
        #expect(any.artifactKeys.contains(Incident.i2))
        let range = try graph.blast(.package(purl: "pkg:npm/debug", versions: "vers:npm/>=4.4.2|<4.4.3"))
        #expect(range.subject.matched == [Incident.debug442])
        #expect(!range.artifactKeys.contains(Incident.i2))
        #expect(throws: CustodyError.self) { try graph.blast(.package(purl: "not a purl", versions: nil)) }
        #expect(throws: CustodyError.self) { try graph.blast(.package(purl: Incident.debug442, versions: "vers:npm/>=1")) }
    }

    @Test func vulnerabilityFollowsAliasesRangesAndVEX() throws {
        let result = try graph.blast(.vulnerability("cve-2025-59144"))
        #expect(result.subject.matched == ["CVE-2025-59144", "GHSA-4x49-vf9v-38px"])
        #expect(result.artifactKeys == [Incident.i1, Incident.m1, Incident.d1].sorted())
        #expect(result.not_affected.map(\.digest) == [Incident.x])
        #expect(result.not_affected.first?.justification == "vulnerable_code_not_in_execute_path")
        let path = try #require(result.paths.first { $0.last?.key == Incident.m1 })
        #expect(path.compactMap(\.edge) == ["aliasOf", "affects", "versionInRange", "contains"])
    }

    @Test func actionBySHAPrefixRefAndName() throws {
        for text in ["tj-actions/changed-files@\(Incident.shaTJ)", "tj-actions/changed-files@0e58ed8", "TJ-Actions/Changed-Files",
                     "tj-actions/changed-files@v45"] {
            let result = try graph.blast(.action(text))
            #expect(result.runKeys == [Incident.r1], "\(text)")
            #expect(result.artifactKeys == [Incident.i1, Incident.m1, Incident.d1].sorted(), "\(text)")
            // Runs that used the action, not the producers of derived images.
            #expect(!result.runKeys.contains(Incident.r3))
        }
        #expect(try graph.blast(.action("tj-actions/changed-files@ffffffff")).isEmpty)
        #expect(throws: CustodyError.self) { try graph.blast(.action("changed-files")) }
    }

    @Test func unresolvedActionIsInferredAlongThePath() throws {
        let result = try graph.blast(.action("codecov/codecov-action"))
        #expect(result.runs.map(\.certainty) == ["inferred"])
        #expect(result.artifacts.map(\.certainty) == ["inferred"])
        #expect(result.workloads.allSatisfy { $0.certainty == "inferred" })
        #expect(result.workloadKeys == ["\(Incident.api) \(Incident.i2)"])
    }

    @Test func fetchedScriptByPrefix() throws {
        for text in ["https://codecov.io/bash", "https://codecov.io", "codecov.io/ba"] {
            #expect(try graph.blast(.fetched(text)).runKeys == [Incident.r2], "\(text)")
        }
        #expect(try graph.blast(.fetched("https://example.invalid/")).isEmpty)
    }

    @Test func commitFullUniquePrefixAndAmbiguousPrefix() throws {
        #expect(try graph.blast(.commit(Incident.c1)).runKeys == [Incident.r1])
        #expect(try graph.blast(.commit("3333")).runKeys == [Incident.r3])
        let error = #expect(throws: CustodyError.self) { try graph.blast(.commit("1111")) }
        #expect(error?.code == .usage)
        #expect(error?.message.contains(Incident.c1) == true && error?.message.contains(Incident.c2) == true)
        // The commit's attestation also names I1.
        #expect(try graph.blast(.commit(Incident.c1)).artifactKeys.contains(Incident.i1))
    }

    @Test func repositoryWorkflowBuilderSignerActor() throws {
        for text in ["acme/app", "https://github.com/acme/app.git", "github.com/acme/app"] {
            #expect(try graph.blast(.repository(text)).runKeys == [Incident.r1, Incident.r2, Incident.r3], "\(text)")
        }
        #expect(try graph.blast(.workflow("acme/app/.github/workflows/release.yml")).runKeys.count == 3)
        #expect(try graph.blast(.workflow(".github/workflows/release.yml")).runKeys.count == 3)
        let builder = try graph.blast(.builder(Incident.builder))
        #expect(builder.subject.matched == [Incident.builder + "@v2"])
        // The run the attestation names, and the producers of what it reaches (R3 built on I1).
        #expect(builder.runKeys == [Incident.r1, Incident.r3])
        #expect(builder.artifactKeys.contains(Incident.i1))
        #expect(try graph.blast(.signer("repo:acme/app:ref:refs/heads/main")).artifactKeys.contains(Incident.i1))
        #expect(try graph.blast(.signer("abcd")).artifactKeys == [Incident.i2])
        let actor = try graph.blast(.actor("mallory"))
        #expect(actor.artifactKeys == [Incident.i2, Incident.p].sorted())
        #expect(try graph.blast(.actor(Incident.mallory)).artifactKeys == actor.artifactKeys)
    }

    @Test func digestImageAndSecret() throws {
        let digest = try graph.blast(.digest(Incident.i1.uppercased().replacingOccurrences(of: "SHA256", with: "sha256")))
        #expect(digest.artifactKeys == [Incident.i1, Incident.m1, Incident.d1].sorted())
        #expect(digest.runKeys == [Incident.r1, Incident.r3])
        #expect(throws: CustodyError.self) { try graph.blast(.digest("sha256:xyz")) }

        #expect(try graph.blast(.image(Incident.tag10)).artifactKeys.contains(Incident.i2))
        #expect(try graph.blast(.image("registry.acme.example/acme/app")).artifactKeys.contains(Incident.p))

        let secret = try graph.blast(.secret("db-creds"))
        #expect(secret.workloadKeys == ["\(Incident.api) \(Incident.i1)", "\(Incident.api) \(Incident.i2)"])
        #expect(secret.artifacts.isEmpty)
        #expect(try graph.blast(.secret("APP_TOKEN")).runKeys == [Incident.r1, Incident.r2])
    }

    @Test func unknownSubjectsMatchNothing() throws {
        #expect(try graph.blast(.package(purl: "pkg:npm/left-pad@1.0.0", versions: nil)).isEmpty)
        #expect(try graph.blast(.vulnerability("CVE-1999-0001")).isEmpty)
        #expect(try graph.blast(.actor("nobody")).isEmpty)
    }
}

extension BlastRadiusResult {
    var artifactKeys: [String] { artifacts.map(\.digest) }
    var runKeys: [String] { runs.map(\.key) }
    var secretKeys: [String] { secrets.map(\.key) }
    /// `workload digest`, sorted.
    var workloadKeys: [String] { workloads.map { "\($0.workloadKey) \($0.digest)" }.sorted() }
}
