import CustodyCore
@testable import CustodyIngest
import CustodyStore
import Foundation
import Testing

/// The kube/ directories of the published scenarios, ingested through `IngestPipeline` into a
/// temporary case database with `--cluster`, checked at the fact level with SQL. The expected
/// rows were computed by an independent python3 implementation of the scenarios/README.md
/// interval rules over the same files (owners from replicasets-/jobs-*.json, snapshot times
/// from the file names), not with custody; D4 and F5 are also the expected.json intervals.
@Suite("Kubernetes scenarios")
struct KubernetesScenarioTests {
    static let dChalk: [RanRow] = [
        row("web-eu1/ingress/Deployment/ingress-nginx-controller", "de21985fa0c1157ed222b6f0e7879855b15e78d4858c86f4198fc87920629ab6", "2025-07-30T09:00:00Z", nil, nil),
        row("web-eu1/kube-system/DaemonSet/kube-proxy", "50136ba31544379325bb70a825ecd3b8f513bebd578c1c3de27f6af9d9ffdb33", "2025-06-02T07:55:00Z", nil, nil),
        row("web-eu1/kube-system/Deployment/coredns", "e1754505dbd27c69bebde4577e122bdbd091c256fce8942970234b2f0ad9479b", "2025-06-02T08:00:00Z", nil, nil),
        // D4: orders-api still runs its debug@4.4.2 digest.
        row("web-eu1/web/Deployment/orders-api", "76b3a085de0a8fd6c43bbca912fed3f01baae2e5250fea3d71cdfc2ca4310210", "2025-09-08T14:10:00Z", nil, nil),
        // D4: storefront ran the malicious digest from 14:05 to the 2025-09-09T12:00 snapshot.
        row("web-eu1/web/Deployment/storefront", "0137dfe999c7744ad7652b2ac5fa20cf2896678c79a2507ab74b762fd970ee46", "2025-09-08T14:05:00Z", "2025-09-09T12:00:00Z", "2025-09-09T09:30:00Z"),
        row("web-eu1/web/Deployment/storefront", "0e110db804a4d594dfa240fd69b57cadb491fde2c6c6077b60719c73e714e21b", "2025-09-08T12:45:00Z", "2025-09-08T15:00:00Z", "2025-09-08T14:05:00Z"),
        row("web-eu1/web/Deployment/storefront", "d033cac4f8f25fe2969e10a6e10911693c1863b429b872c5396b71e98d69e4f1", "2025-09-09T09:30:00Z", nil, nil),
        row("web-eu1/web/StatefulSet/redis", "2c47b03b250d7176d057d0787613d22a79377a272081a59a62611ae3d9c54d2c", "2025-08-21T07:40:12Z", nil, nil),
    ]

    static let fCodecov: [RanRow] = [
        row("prod-us1/kube-system/DaemonSet/kube-proxy", "cb9a45e661f1d786c65dadaf575c328dccbf0a68cb718f88d6dc250253b15c82", "2020-12-14T09:58:00Z", nil, nil),
        row("prod-us1/kube-system/Deployment/coredns", "536839380c0ac1022457456ac15b6bc6bfb3c34661db23d66c2226c29d9b6dc1", "2020-12-14T10:00:00Z", nil, nil),
        // The CronJob's completed pods started after each previous snapshot: still running.
        row("prod-us1/prod/CronJob/invoice-reminder", "ae38d245557ec50372c4764763847ee26ccc248bbc74c19329fdaac8e1a8f56a", "2021-02-26T06:00:00Z", nil, nil),
        // F5.
        row("prod-us1/prod/Deployment/billing-service", "12127cef75dc3ffc6735b1ee95a87dc333bfa62c5ebc50825314300ae0caea07", "2021-03-10T17:00:00Z", "2021-04-10T00:00:00Z", "2021-04-05T11:00:00Z"),
        row("prod-us1/prod/Deployment/billing-service", "847acca88553bac241e5b76791da8a3dc845865ea58ddf7ca401e467d0547db3", "2021-01-12T16:00:00Z", "2021-03-15T00:00:00Z", "2021-03-10T17:00:00Z"),
        row("prod-us1/prod/Deployment/billing-service", "e07cd0a3602266ac724f3fb63fe2f58cb387daafc08309208a2b049b9daa3089", "2021-04-05T11:00:00Z", nil, nil),
        row("prod-us1/prod/Pod/psql-debug", "ef533d05c7928c02ed1ebf38579b25c837a3c669450cc2e8a58cc7835c950ebc", "2021-03-29T13:12:08Z", "2021-04-10T00:00:00Z", nil),
        row("prod-us1/prod/StatefulSet/pgbouncer", "4899b1fa9ee449f5212b46a7dc69f1d54c843c245a36dba53fb1af16797eb4e5", "2021-02-03T12:20:41Z", nil, nil),
    ]

    static func row(_ workload: String, _ hex: String, _ first: String, _ last: String?, _ tight: String?) -> RanRow {
        RanRow(workload: workload, digest: "sha256:" + hex, first: first, last: last, tight: tight,
               running: last == nil ? "true" : "false", certainty: "recorded")
    }

    /// Ingests `paths` (one pipeline run each) into a fresh case database.
    static func ingest(_ runs: [[String]], cluster: String) throws -> (CaseDatabase, IngestReport) {
        let (database, _) = try KubeTest.database()
        let pipeline = IngestPipeline(database: database)
        var last = IngestReport()
        for paths in runs {
            last = pipeline.run(paths: paths, options: IngestOptions(cluster: cluster))
            #expect(last.entries.allSatisfy { if case .rejected = $0.outcome { false } else { true } }, "\(last.entries)")
            #expect(last.derivationErrors.isEmpty, "\(last.derivationErrors)")
        }
        return (database, last)
    }

    @Test("D-chalk-debug: D4 intervals and every other workload's")
    func dChalk() throws {
        let directory = SharedFixtures.scenario("D-chalk-debug/kube/web-eu1").path
        let (database, report) = try Self.ingest([[directory]], cluster: "web-eu1")
        // pods-/replicasets-2025-09-09T00 repeat the bytes of 2025-09-08T15, and 2025-09-10T12
        // those of 2025-09-09T12: the pipeline stores identical bytes once (see the report to
        // the lead), so 8 of the 10 files are new documents and 3 pod snapshots are recorded.
        #expect(report.newDocuments == 8)
        #expect(try KubeTest.ranEdges(database) == Self.dChalk)
        // Lifted from the ReplicaSets' pods to the Deployment.
        let storefront = "web-eu1/web/Deployment/storefront"
        #expect(try KubeTest.targets(database, from: storefront, .mounts) == ["k8s:web-eu1/web/storefront-session-keys"])
        #expect(try KubeTest.targets(database, from: storefront, .runsAs) == ["k8s-sa:web-eu1/web/storefront"])
        #expect(try KubeTest.targets(database, from: storefront, .inNamespace) == ["web-eu1/web"])
        #expect(try KubeTest.targets(database, from: "web-eu1/web", .inCluster) == ["web-eu1"])
        // The pending recommendations pod (empty imageID) is a diagnostic, not a silent drop.
        let diagnostics = try database.read { try $0.rows("SELECT message FROM diagnostics WHERE message LIKE '%recommendations%empty imageID%'") }
        #expect(diagnostics.count == 3, "one per stored pod snapshot")
    }

    @Test("F-codecov: F5 interval, CronJob workload through Job owners, workload secrets")
    func fCodecov() throws {
        let directory = SharedFixtures.scenario("F-codecov/kube/prod-us1").path
        let (database, _) = try Self.ingest([[directory]], cluster: "prod-us1")
        #expect(try KubeTest.ranEdges(database) == Self.fCodecov)
        #expect(try KubeTest.targets(database, from: "prod-us1/prod/Deployment/billing-service", .mounts)
            == ["k8s:prod-us1/prod/billing-db-creds", "k8s:prod-us1/prod/billing-service-token-5q557"])
        #expect(try KubeTest.targets(database, from: "prod-us1/prod/CronJob/invoice-reminder", .runsAs) == ["k8s-sa:prod-us1/prod/billing-jobs"])
    }

    @Test("batching does not matter: one snapshot file per ingest, pods before ReplicaSets, then all again")
    func incremental() throws {
        let directory = SharedFixtures.scenario("D-chalk-debug/kube/web-eu1")
        // Time order (identical bytes at a later time are skipped by the pipeline, so newest
        // first would lose the 2025-09-09T12:00 snapshot: reported to the lead).
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .sorted { ($0.dropFirst($0.hasPrefix("pods-") ? 5 : 12), $0) < ($1.dropFirst($1.hasPrefix("pods-") ? 5 : 12), $1) }
            .map { directory.appendingPathComponent($0).path }
        let (database, last) = try Self.ingest(files.map { [$0] } + [[directory.path]], cluster: "web-eu1")
        #expect(last.newDocuments == 0)
        #expect(try KubeTest.ranEdges(database) == Self.dChalk)
    }

    @Test("without the ReplicaSet files the Deployment is inferred from pod-template-hash")
    func inferredWithoutReplicaSets() throws {
        let directory = SharedFixtures.scenario("D-chalk-debug/kube/web-eu1")
        let pods = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix("pods-") }.sorted()
            .map { directory.appendingPathComponent($0).path }
        let (database, _) = try Self.ingest([pods], cluster: "web-eu1")
        let expected = Self.dChalk.map { row -> RanRow in
            var row = row
            if row.workload.contains("/Deployment/") { row.certainty = "inferred" }
            return row
        }
        #expect(try KubeTest.ranEdges(database) == expected)
    }
}
