import CustodyCore

/// One small incident, written as the facts ingestors would assert, used by most tests:
///
/// - run R1 (03-10 10:00–10:10) used tj-actions/changed-files at SHA_TJ (recorded), built
///   commit C1 of github.com/acme/app, could read APP_TOKEN, pushed index I1 (manifest M1;
///   M1's SBOM has debug@4.4.2); attestation A1 (verified, names R1, builder, C1) attests I1;
/// - run R2 (03-12 10:00–10:10) used codecov/codecov-action@v1 (unresolved, inferred) and
///   fetched https://codecov.io/bash, built C2, pushed I2 (debug@4.4.1, no SBOM node);
///   A2 attests I2, signed by key:abcd, not verified; mallory re-pushed I2 on 03-15;
/// - run R3 (03-20) built D1 on top of I1 (baseImage), built C3;
/// - P was pushed by mallory on 03-15 with no run (tag app:latest → P);
/// - X contains debug@4.4.2 but a VEX says not affected by CVE-2025-59144;
/// - tag app:1.0 → I1 (03-10 10:09 – 03-12 10:09) then → I2 (03-12 10:09 – open);
/// - workload prod-eu/pay/Deployment/api ran I1 (03-10 12:00 – 03-13 00:00, tight 03-12 20:00)
///   then I2 (03-12 20:00 – still running), mounts db-creds; prod-eu/pay/Deployment/worker ran
///   D1 from 03-21 (running).
enum Incident {
    static let shaTJ = "0e58ed8671d6b60d0890c21b07f8835ace038e67"
    static let c1 = "1111111111111111111111111111111111111111"
    static let c2 = "1111222222222222222222222222222222222222"
    static let c3 = "3333333333333333333333333333333333333333"
    static let i1 = "sha256:" + String(repeating: "1", count: 64)
    static let m1 = "sha256:" + String(repeating: "2", count: 64)
    static let i2 = "sha256:" + String(repeating: "3", count: 64)
    static let d1 = "sha256:" + String(repeating: "4", count: 64)
    static let p = "sha256:" + String(repeating: "5", count: 64)
    static let x = "sha256:" + String(repeating: "6", count: 64)
    static let r1 = "github:acme/app/101"
    static let r2 = "github:acme/app/102"
    static let r3 = "github:acme/app/103"
    static let api = "prod-eu/pay/Deployment/api"
    static let worker = "prod-eu/pay/Deployment/worker"
    static let repo = "github.com/acme/app"
    static let workflow = "github.com/acme/app/.github/workflows/release.yml"
    static let tj = "tj-actions/changed-files@" + shaTJ
    static let codecov = "codecov/codecov-action@v1"
    static let debug442 = "pkg:npm/debug@4.4.2"
    static let debug441 = "pkg:npm/debug@4.4.1"
    static let builder = "https://github.com/actions/runner/github-hosted"
    static let oidc = "oidc:https://token.actions.githubusercontent.com:repo:acme/app:ref:refs/heads/main"
    static let mallory = "actor:registry:mallory"
    static let ciBot = "actor:registry:ci-bot"
    static let appToken = "github:acme/app:APP_TOKEN"
    static let dbCreds = "k8s:prod-eu/pay/db-creds"
    static let tag10 = "registry.acme.example/acme/app:1.0"
    static let tagLatest = "registry.acme.example/acme/app:latest"

    static func build() throws -> GraphFixture {
        let graph = try GraphFixture()
        try graph.ingest("runs.json") { f in
            run(&f, r1, id: "101", start: "2025-03-10T10:00:00Z", end: "2025-03-10T10:10:00Z", commit: c1)
            run(&f, r2, id: "102", start: "2025-03-12T10:00:00Z", end: "2025-03-12T10:10:00Z", commit: c2)
            run(&f, r3, id: "103", start: "2025-03-20T10:00:00Z", end: "2025-03-20T10:10:00Z", commit: c3)
            f.node(.action, codecov, ["unresolved": "true"])
            f.edge(.usedAction, (.run, r1), (.action, tj), "2025-03-10T10:00:00Z", "2025-03-10T10:10:00Z", attributes: ["ref": "v45"])
            f.edge(.usedAction, (.run, r2), (.action, codecov), "2025-03-12T10:00:00Z", "2025-03-12T10:10:00Z",
                   certainty: .inferred, attributes: ["ref": "v1"])
            f.edge(.fetched, (.run, r2), (.remoteScript, "https://codecov.io/bash"), "2025-03-12T10:00:00Z", "2025-03-12T10:10:00Z")
            f.edge(.couldRead, (.run, r1), (.secret, appToken), "2025-03-10T10:00:00Z", "2025-03-10T10:10:00Z")
            f.edge(.couldRead, (.run, r2), (.secret, appToken), "2025-03-12T10:00:00Z", "2025-03-12T10:10:00Z")
            f.edge(.produced, (.run, r1), (.artifact, i1), "2025-03-10T10:00:00Z", "2025-03-10T10:10:00Z")
            f.edge(.produced, (.run, r2), (.artifact, i2), "2025-03-12T10:00:00Z", "2025-03-12T10:10:00Z")
            f.edge(.produced, (.run, r3), (.artifact, d1), "2025-03-20T10:00:00Z", "2025-03-20T10:10:00Z")
        }
        try graph.ingest("images.json") { f in
            f.node(.artifact, i1, ["mediaType": "application/vnd.oci.image.index.v1+json"])
            f.edge(.hasManifest, (.artifact, i1), (.artifact, m1))
            f.edge(.baseImage, (.artifact, d1), (.artifact, i1))
            for digest in [i1, i2, p] { f.edge(.storedIn, (.artifact, digest), (.imageRepository, "registry.acme.example/acme/app")) }
            f.edge(.pointsTo, (.tag, tag10), (.artifact, i1), "2025-03-10T10:09:00Z", "2025-03-12T10:09:00Z", qualifier: "1")
            f.edge(.pointsTo, (.tag, tag10), (.artifact, i2), "2025-03-12T10:09:00Z", nil, qualifier: "2")
            f.edge(.pointsTo, (.tag, tagLatest), (.artifact, p), "2025-03-15T08:00:00Z", nil)
            f.edge(.pushed, (.identity, ciBot), (.artifact, i1), "2025-03-10T10:09:00Z", "2025-03-10T10:09:00Z")
            f.edge(.pushed, (.identity, ciBot), (.artifact, i2), "2025-03-12T10:09:00Z", "2025-03-12T10:09:00Z")
            f.edge(.pushed, (.identity, mallory), (.artifact, i2), "2025-03-15T07:00:00Z", "2025-03-15T07:00:00Z")
            f.edge(.pushed, (.identity, mallory), (.artifact, p), "2025-03-15T08:00:00Z", "2025-03-15T08:00:00Z")
        }
        try graph.ingest("sbom.cdx.json", format: "cyclonedx-json") { f in
            f.edge(.describes, (.sbom, "urn:uuid:m1"), (.artifact, m1), "2025-03-10T10:05:00Z", "2025-03-10T10:05:00Z")
            f.edge(.contains, (.artifact, m1), (.package, debug442), "2025-03-10T10:05:00Z", "2025-03-10T10:05:00Z")
            f.edge(.contains, (.artifact, i2), (.package, debug441), "2025-03-12T10:05:00Z", "2025-03-12T10:05:00Z")
            f.edge(.contains, (.artifact, x), (.package, debug442), "2025-03-01T00:00:00Z", "2025-03-01T00:00:00Z")
        }
        try graph.ingest("advisory.json", format: "osv") { f in
            f.edge(.aliasOf, (.vulnerability, "GHSA-4x49-vf9v-38px"), (.vulnerability, "CVE-2025-59144"))
            f.edge(.affects, (.vulnerability, "GHSA-4x49-vf9v-38px"), (.package, "pkg:npm/debug"),
                   attributes: ["vers": "vers:npm/>=4.4.2|<4.4.3"])
            f.edge(.notAffected, (.artifact, x), (.vulnerability, "CVE-2025-59144"),
                   attributes: ["status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"])
        }
        try graph.ingest("provenance.intoto.json", format: "in-toto") { f in
            f.node(.attestation, "sha256:a1", ["predicateType": "https://slsa.dev/provenance/v1"])
            f.node(.attestation, "sha256:a2", ["predicateType": "https://slsa.dev/provenance/v1"])
            f.edge(.attests, (.attestation, "sha256:a1"), (.artifact, i1))
            f.edge(.claimsBuilder, (.attestation, "sha256:a1"), (.builder, builder + "@v2"), "2025-03-10T10:10:00Z", "2025-03-10T10:10:00Z")
            f.edge(.claimsCommit, (.attestation, "sha256:a1"), (.commit, c1), "2025-03-10T10:10:00Z", "2025-03-10T10:10:00Z")
            f.edge(.claimsRun, (.attestation, "sha256:a1"), (.run, r1), "2025-03-10T10:10:00Z", "2025-03-10T10:10:00Z")
            f.edge(.signedBy, (.attestation, "sha256:a1"), (.identity, oidc), "2025-03-10T10:10:00Z", "2025-03-10T10:10:00Z",
                   attributes: ["verified": "true", "verification": "certificate chain and Rekor inclusion verified"])
            f.edge(.attests, (.attestation, "sha256:a2"), (.artifact, i2))
            f.edge(.signedBy, (.attestation, "sha256:a2"), (.identity, "key:abcd"), "2025-03-12T10:10:00Z", "2025-03-12T10:10:00Z")
        }
        try graph.ingest("pods.json", format: "kubernetes-json") { f in
            f.edge(.ran, (.workload, api), (.artifact, i1), "2025-03-10T12:00:00Z", "2025-03-13T00:00:00Z",
                   attributes: ["running": "false", "last_seen_tight": "2025-03-12T20:00:00Z"])
            f.edge(.ran, (.workload, api), (.artifact, i2), "2025-03-12T20:00:00Z", "2025-03-20T00:00:00Z", attributes: ["running": "true"])
            f.edge(.ran, (.workload, worker), (.artifact, d1), "2025-03-21T00:00:00Z", "2025-03-22T00:00:00Z", attributes: ["running": "true"])
            f.edge(.mounts, (.workload, api), (.secret, dbCreds), "2025-03-10T12:00:00Z", "2025-03-20T00:00:00Z")
        }
        return graph
    }

    private static func run(_ f: inout Facts, _ key: String, id: String, start: String, end: String, commit: String) {
        f.node(.run, key, ["provider": "github", "repository": "acme/app", "run_id": id, "attempt": "1",
                           "started_at": start, "completed_at": end])
        f.edge(.ranWorkflow, (.run, key), (.workflow, workflow), start, end)
        f.edge(.builtFrom, (.run, key), (.commit, commit), start, end)
        f.edge(.inRepository, (.commit, commit), (.repository, repo))
        f.edge(.definedIn, (.workflow, workflow), (.repository, repo))
        f.edge(.triggeredBy, (.run, key), (.identity, "actor:github:octocat"), start, end)
    }
}
