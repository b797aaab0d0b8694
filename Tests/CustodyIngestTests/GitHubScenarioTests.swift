import CustodyCore
import CustodyIngest
import CustodyStore
import Foundation
import Testing

/// The CI evidence of the two published scenarios (`repos/` and `gha/`) through the real
/// pipeline, checked at the fact level against what their `expected.json` needs: the runs,
/// what they pushed (and not the config digests), their action uses and their secrets.
@Suite("GitHub scenarios", .serialized)
struct GitHubScenarioTests {
    static let codecov = SharedFixtures.scenario("F-codecov")
    static let chalk = SharedFixtures.scenario("D-chalk-debug")

    static func run(_ id: String, _ repository: String) -> String { "github:acme/\(repository)/\(id)" }

    @Test func codecovRunsUsesSecretsAndDigests() throws {
        let (pipeline, database) = try CITest.pipeline()
        let reports = CITest.ingest([Self.codecov.appendingPathComponent("repos").path, Self.codecov.appendingPathComponent("gha").path],
                                    into: pipeline)
        #expect(reports.allSatisfy { $0.rejections.isEmpty && $0.derivationErrors.isEmpty })
        let runs = try CITest.nodes(database, .run)
        #expect(runs == Set(["9400000001", "9400000002", "9400000003", "9400000004"].map { Self.run($0, "billing-service") }
            + [Self.run("9400000101", "cli"), Self.run("9400000102", "cli"), Self.run("9400000201", "docs-site")]))
        // Runners before v2.280.0: the use is a mutable ref plus the run's time.
        for id in ["9400000001", "9400000002", "9400000003", "9400000004"] {
            let run = Self.run(id, "billing-service")
            #expect(try CITest.targets(database, .usedAction, from: run).contains("codecov/codecov-action@v1"))
            #expect(try CITest.edges(database, .usedAction, from: run, to: "codecov/codecov-action@v1").allSatisfy { $0.certainty == "inferred" })
            #expect(try CITest.attribute(database, .action, "codecov/codecov-action@v1", "unresolved") == "true")
            #expect(try CITest.attribute(database, .run, run, "incomplete") == nil)
        }
        for run in [Self.run("9400000101", "cli"), Self.run("9400000102", "cli"), Self.run("9400000201", "docs-site")] {
            #expect(try !CITest.targets(database, .usedAction, from: run).contains { $0.hasPrefix("codecov/") })
        }
        // The interval of the use is the run's: 9400000002 inside the window, 9400000004 after it.
        let inside = try #require(CITest.edges(database, .usedAction, from: Self.run("9400000002", "billing-service"),
                                               to: "codecov/codecov-action@v1").first)
        #expect(inside.first.map { $0 >= CITest.time("2021-02-15T10:00:00Z") && $0 < CITest.time("2021-02-15T10:02:00Z") } == true)
        let after = try #require(CITest.edges(database, .usedAction, from: Self.run("9400000004", "billing-service"),
                                              to: "codecov/codecov-action@v1").first)
        #expect(after.first.map { $0 > CITest.time("2021-04-02T00:00:00Z") } == true)

        // F3: only the pushed digests; not the base image pulls or the postgres service.
        #expect(try CITest.targets(database, .produced, from: Self.run("9400000003", "billing-service"))
            == ["sha256:12127cef75dc3ffc6735b1ee95a87dc333bfa62c5ebc50825314300ae0caea07"])
        #expect(try CITest.targets(database, .produced, from: Self.run("9400000004", "billing-service"))
            == ["sha256:e07cd0a3602266ac724f3fb63fe2f58cb387daafc08309208a2b049b9daa3089"])
        for id in ["9400000001", "9400000002"] {
            #expect(try CITest.targets(database, .produced, from: Self.run(id, "billing-service")).isEmpty)
        }
        let artifacts = try CITest.nodes(database, .artifact)
        #expect(!artifacts.contains("sha256:ef533d05c7928c02ed1ebf38579b25c837a3c669450cc2e8a58cc7835c950ebc"))
        #expect(try CITest.targets(database, .pointsTo, from: "registry.acme.example/acme/billing-service:2.7.0")
            == ["sha256:12127cef75dc3ffc6735b1ee95a87dc333bfa62c5ebc50825314300ae0caea07"])

        // F2: the secrets of the test job (CODECOV_TOKEN from workflow env) and the release job.
        let ci: Set<String> = ["CODECOV_TOKEN", "DATABASE_URL_TEST", "GITHUB_TOKEN"]
        let release: Set<String> = ["CODECOV_TOKEN", "GPG_RELEASE_KEY", "REGISTRY_PUSH_TOKEN", "GITHUB_TOKEN"]
        for (id, names) in [("9400000001", ci), ("9400000002", ci), ("9400000003", release), ("9400000004", release)] {
            #expect(try CITest.targets(database, .couldRead, from: Self.run(id, "billing-service"))
                == Set(names.map { "github:acme/billing-service:\($0)" }), "run \(id)")
        }
        #expect(try CITest.targets(database, .couldRead, from: Self.run("9400000101", "cli")) == ["github:acme/cli:CODECOV_TOKEN"])
        #expect(try CITest.targets(database, .couldRead, from: Self.run("9400000201", "docs-site")) == ["github:acme/docs-site:GITHUB_TOKEN"])

        // The hand-written uploader: `bash <(curl -s https://codecov.io/bash)` is recorded.
        #expect(try CITest.edges(database, .fetched, from: Self.run("9400000101", "cli"), to: "https://codecov.io/bash")
            .contains { $0.certainty == "recorded" })
    }

    @Test func chalkDigestsActionsAndSecrets() throws {
        let (pipeline, database) = try CITest.pipeline()
        // gha before repos: derived facts must not depend on the order.
        CITest.ingest([Self.chalk.appendingPathComponent("gha").path, Self.chalk.appendingPathComponent("repos").path], into: pipeline)
        let storefront = { (id: String) in Self.run(id, "storefront-web") }
        let produced: [(String, String)] = [
            (storefront("9200000001"), "sha256:0e110db804a4d594dfa240fd69b57cadb491fde2c6c6077b60719c73e714e21b"),
            (storefront("9200000002"), "sha256:0137dfe999c7744ad7652b2ac5fa20cf2896678c79a2507ab74b762fd970ee46"),
            (storefront("9200000003"), "sha256:d033cac4f8f25fe2969e10a6e10911693c1863b429b872c5396b71e98d69e4f1"),
            (Self.run("9200000101", "orders-api"), "sha256:76b3a085de0a8fd6c43bbca912fed3f01baae2e5250fea3d71cdfc2ca4310210"),
        ]
        for (run, digest) in produced {
            #expect(try CITest.targets(database, .produced, from: run) == [digest], "\(run)")
            #expect(try CITest.attribute(database, .run, run, "incomplete") == nil)
        }
        // Config digests printed by the builds are not artifacts of the graph.
        let artifacts = try CITest.nodes(database, .artifact)
        for config in ["sha256:faacab258afb052fc98f45b6c43ca512fe909035b01cc6721c2f4076ed7b1c68",
                       "sha256:9bd09394bb606388009c8f0fddca3924b0f585b40ee4c5ecb050a822870c7314",
                       "sha256:2466f425c19ab4561a56b9617e832c609ac8e42a9a745d31d316af080d0523fe",
                       "sha256:92c2997f5e6d1f864e8e12e7d470f55e5dcbdb4a94b4e23a6524dafe0bc61f12"] {
            #expect(!artifacts.contains(config), "\(config)")
        }
        // Action SHAs as the runner resolved them, nested composite actions included.
        let uses = try CITest.targets(database, .usedAction, from: storefront("9200000002"))
        #expect(uses.contains("actions/checkout@daf18a88a7213b74b78f8ccfbdc9ce2ca158522b"))
        #expect(uses.contains("docker/build-push-action@e05f6310923745a9f84343d20d463d50694e97b4"))
        #expect(uses.contains("actions/attest@9506c264a43e8bc9865c6a37195facf2a55d13a7"))
        #expect(!uses.contains { $0.hasSuffix("@v4") || $0.hasSuffix("@v3") }, "a logged SHA leaves no inferred use by ref")
        // `vars.PUBLIC_API_BASE` is not a secret.
        #expect(try CITest.targets(database, .couldRead, from: storefront("9200000002"))
            == ["github:acme/storefront-web:SENTRY_AUTH_TOKEN", "github:acme/storefront-web:REGISTRY_PUSH_TOKEN"])
        // Jobs merge with the job records through the sibling jobs.json.
        #expect(try CITest.nodes(database, .job).contains("\(storefront("9200000002"))/jobs/44600000006"))
        #expect(try CITest.attribute(database, .job, "\(storefront("9200000002"))/jobs/44600000006", "runner_image") == "ubuntu-24.04")
    }

    /// Re-ingesting after the derivation ran once gives the same derived facts (replace, not add).
    @Test func derivationIsIdempotent() throws {
        let (pipeline, database) = try CITest.pipeline()
        CITest.ingest([Self.codecov.appendingPathComponent("repos").path, Self.codecov.appendingPathComponent("gha").path], into: pipeline)
        let before = try database.read { try $0.rows("SELECT count(*) FROM edges WHERE qualifier LIKE 'derived:%'") }
        _ = pipeline.runDerivations()
        let after = try database.read { try $0.rows("SELECT count(*) FROM edges WHERE qualifier LIKE 'derived:%'") }
        #expect(before == after)
        #expect(before.first?.first?.int64 ?? 0 > 0)
    }
}
