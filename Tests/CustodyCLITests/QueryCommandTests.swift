import Foundation
import Testing

/// `blast-radius --package`, `stats` and `sql` over real SBOMs.
@Suite struct PackageQuestionTests {
    static func ingestedFixtures() throws -> String {
        let db = CLI.temporaryDatabase()
        let result = try CLI.run(["ingest", CLI.shared.appendingPathComponent("fixtures/sbom").path, "--db", db])
        try #require(result.status == 0, "\(result.stderr)")
        return db
    }

    @Test func lodashIsFoundInJuiceShopWithEvidence() throws {
        let db = try Self.ingestedFixtures()
        let result = try CLI.run(["blast-radius", "--package", "pkg:npm/lodash", "--db", db, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try CLI.json(result.stdout)
        let subject = try #require(json["subject"] as? [String: Any])
        #expect(subject["kind"] as? String == "package")
        let matched = subject["matched"] as? [String] ?? []
        // Versions checked with python3 over the fixture: lodash 2.4.2 and 4.17.21 are listed.
        #expect(matched == ["pkg:npm/lodash@2.4.2", "pkg:npm/lodash@4.17.21"], "\(matched)")
        let containers = json["containers"] as? [[String: Any]] ?? []
        #expect(containers.contains { ($0["key"] as? String)?.hasPrefix("pkg:npm/juice-shop@14.1.1") == true }, "\(containers)")
        let evidence = json["evidence"] as? [[String: Any]] ?? []
        #expect(evidence.contains { ($0["source"] as? String)?.hasSuffix("juice-shop-11.1.2.cyclonedx-npm.cdx-1.4.json") == true })
        let paths = json["paths"] as? [[[String: Any]]] ?? []
        #expect(paths.contains { path in path.contains { $0["edge"] as? String == "contains" } })
    }

    @Test func exactVersionVersusAnyVersion() throws {
        let db = try Self.ingestedFixtures()
        let exact = try CLI.json(try CLI.run(["blast-radius", "--package", "pkg:npm/lodash@4.17.21", "--db", db, "--format", "json"]).stdout)
        #expect((exact["subject"] as? [String: Any])?["matched"] as? [String] == ["pkg:npm/lodash@4.17.21"])
        let none = try CLI.run(["blast-radius", "--package", "pkg:npm/lodash@0.0.0-not-there", "--db", db])
        #expect(none.status == 1, "nothing matched must exit 1")
    }

    @Test func digestSubjectsFromImageSBOMs() throws {
        let db = CLI.temporaryDatabase()
        let sbom = CLI.shared.appendingPathComponent("scenarios/D-chalk-debug/sbom")
        try #require(try CLI.run(["ingest", sbom.path, "--db", db]).status == 0)
        let result = try CLI.run(["blast-radius", "--package", "pkg:npm/debug", "--versions", "vers:npm/>=4.4.2|<4.4.3",
                                  "--db", db, "--format", "json"])
        let artifacts = Set((try CLI.json(result.stdout)["artifacts"] as? [[String: Any]] ?? []).compactMap { $0["digest"] as? String })
        #expect(artifacts == ["sha256:0137dfe999c7744ad7652b2ac5fa20cf2896678c79a2507ab74b762fd970ee46",
                              "sha256:76b3a085de0a8fd6c43bbca912fed3f01baae2e5250fea3d71cdfc2ca4310210"])
        let table = try CLI.run(["blast-radius", "--package", "pkg:npm/chalk@5.6.1", "--db", db])
        #expect(table.stdout.contains("sha256:0137dfe999c7744ad7652b2ac5fa20cf2896678c79a2507ab74b762fd970ee46"))
        #expect(!table.stdout.contains("76b3a085"))
    }

    @Test func usageErrorsExitTwo() throws {
        let db = try Self.ingestedFixtures()
        #expect(try CLI.run(["blast-radius", "--db", db]).status == 2)
        #expect(try CLI.run(["blast-radius", "--package", "not a purl", "--db", db]).status == 2)
        #expect(try CLI.run(["blast-radius", "--package", "pkg:npm/x", "--at", "yesterday", "--db", db]).status == 2)
        #expect(try CLI.run(["no-such-command"]).status == 2)
        #expect(try CLI.run(["--help"]).status == 0)
    }

    @Test func sqlIsReadOnlyAndViewsAnswer() throws {
        let db = try Self.ingestedFixtures()
        let rows = try CLI.run(["sql", "SELECT count(*) AS n FROM v_packages WHERE name = :name", "--param", "name=lodash", "--db", db, "--format", "csv"])
        #expect(rows.status == 0, "\(rows.stderr)")
        #expect(rows.stdout.hasPrefix("n\r\n"))
        let write = try CLI.run(["sql", "DELETE FROM nodes", "--db", db])
        #expect(write.status == 2)
        #expect(write.stderr.contains("read-only"))
        let stats = try CLI.run(["stats", "--db", db, "--format", "json"])
        #expect(stats.status == 0)
        #expect(stats.stdout.contains("\"package\""))
    }
}
