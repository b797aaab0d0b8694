import Foundation
import Testing

/// The CLI and its JSON contract (docs/OUTPUT.md), run as a process against the hand-built
/// incident: every subject flag, the exit codes, every output format.
@Suite(.serialized) struct BlastRadiusCLITests {
    let graph: GraphFixture

    init() throws {
        graph = try Incident.build()
    }

    func custody(_ arguments: [String]) throws -> CustodyProcess.Output {
        try CustodyProcess.run(arguments + ["--db", graph.path])
    }

    @Test func jsonContractFields() throws {
        let output = try custody(["blast-radius", "--package", Incident.debug442, "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        let json = try output.json()
        for key in ["subject", "window", "runs", "artifacts", "workloads", "secrets", "paths", "evidence"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        let window = try #require(json["window"] as? [String: Any])
        #expect(Set(window.keys) == ["from", "to", "at"] && window["at"] is NSNull)
        let run = try #require((json["runs"] as? [[String: Any]])?.first)
        #expect(Set(run.keys).isSuperset(of: ["key", "provider", "repository", "run_id", "attempt", "started_at", "certainty"]))
        let artifact = try #require((json["artifacts"] as? [[String: Any]])?.first)
        #expect(Set(artifact.keys).isSuperset(of: ["digest", "media_type", "repositories", "tags", "first_seen", "last_seen"]))
        let workload = try #require((json["workloads"] as? [[String: Any]])?.first)
        #expect(Set(workload.keys).isSuperset(of: ["cluster", "namespace", "kind", "name", "digest", "first_seen", "last_seen",
                                                   "last_seen_tight", "running"]))
        let secret = try #require((json["secrets"] as? [[String: Any]])?.first)
        #expect(Set(secret.keys) == ["key", "reached_by"])
        let path = try #require((json["paths"] as? [[[String: Any]]])?.first)
        #expect(Set(path[0].keys) == ["kind", "key"])
        #expect(Set(path[1].keys).isSuperset(of: ["edge", "first_seen", "last_seen", "evidence"]))
        let evidence = try #require((json["evidence"] as? [[String: Any]])?.first)
        #expect(Set(evidence.keys) == ["sha256", "format", "source"])
    }

    @Test(arguments: [
        ["--vuln", "CVE-2025-59144"], ["--action", "tj-actions/changed-files"], ["--fetched", "https://codecov.io/bash"],
        ["--commit", Incident.c3], ["--repo", "acme/app"], ["--workflow", "acme/app/.github/workflows/release.yml"],
        ["--builder", Incident.builder], ["--signer", "key:abcd"], ["--actor", "mallory"], ["--digest", Incident.i1],
        ["--image", Incident.tag10], ["--secret", Incident.dbCreds], ["--package", "pkg:npm/debug", "--versions", "vers:npm/>=4.4.2"],
    ])
    func everySubjectFlag(_ flags: [String]) throws {
        let output = try custody(["blast-radius"] + flags + ["--format", "json"])
        #expect(output.status == 0, "\(flags): \(output.stderr)")
        let json = try output.json()
        let subject = try #require(json["subject"] as? [String: Any])
        #expect((subject["matched"] as? [String])?.isEmpty == false, "\(flags)")
    }

    @Test func exitCodes() throws {
        #expect(try custody(["blast-radius", "--actor", "nobody"]).status == 1)
        let none = try custody(["blast-radius"])
        #expect(none.status == 2 && none.stderr.contains("exactly one subject"))
        #expect(try custody(["blast-radius", "--actor", "a", "--digest", Incident.i1]).status == 2)
        let ambiguous = try custody(["blast-radius", "--commit", "1111"])
        #expect(ambiguous.status == 2 && ambiguous.stderr.contains(Incident.c2))
        #expect(try custody(["blast-radius", "--versions", "vers:npm/>=1", "--actor", "x"]).status == 2)
        #expect(try custody(["blast-radius", "--actor", "mallory", "--at", "2025-03-15T07:00:00Z", "--from", "2025-03-01T00:00:00Z"]).status == 2)
        #expect(try custody(["blast-radius", "--actor", "mallory", "--at", "yesterday"]).status == 2)
        #expect(try custody(["trace"]).status == 2)
        #expect(try custody(["trace", "--digest", "sha256:" + String(repeating: "9", count: 64)]).status == 1)
    }

    @Test func windowFlagsReachTheEngine() throws {
        let json = try custody(["blast-radius", "--actor", "mallory", "--at", "2025-03-15T07:00:00Z", "--format", "json"]).json()
        #expect((json["artifacts"] as? [[String: Any]])?.compactMap { $0["digest"] as? String } == [Incident.i2])
        #expect((json["window"] as? [String: Any])?["at"] as? String == "2025-03-15T07:00:00Z")
        let workloads = try custody(["blast-radius", "--digest", Incident.i2, "--format", "json"]).json()["workloads"] as? [[String: Any]]
        let row = try #require(workloads?.first)
        #expect(row["last_seen"] is NSNull && row["running"] as? Bool == true)
    }

    @Test func otherFormats() throws {
        let table = try custody(["blast-radius", "--package", Incident.debug442])
        #expect(table.stdout.contains("runs (2)") && table.stdout.contains("WORKLOAD") && table.stdout.contains(Incident.api))
        let csv = try custody(["blast-radius", "--package", Incident.debug442, "--format", "csv"])
        #expect(csv.stdout.contains("# artifacts"))
        #expect(csv.stdout.contains("digest,repositories,tags"))
        let markdown = try custody(["blast-radius", "--package", Incident.debug442, "--format", "markdown"])
        #expect(markdown.stdout.contains("### workloads") && markdown.stdout.contains("| --- |"))
        let lines = try custody(["blast-radius", "--package", Incident.debug442, "--format", "jsonl"]).stdout.split(separator: "\n")
        #expect(lines.count >= 8)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["section"] != nil)
        }
    }

    @Test func traceJSON() throws {
        let output = try custody(["trace", "--digest", Incident.p, "--format", "json"])
        #expect(output.status == 0, "\(output.stderr)")
        let json = try output.json()
        for key in ["target", "chain", "attestations", "signatures", "evidence", "runs", "artifacts", "gaps"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        let gaps = (json["gaps"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []
        #expect(gaps.contains("no-provenance") && gaps.contains("push-without-run"))
        let table = try custody(["trace", "--workload", Incident.api])
        #expect(table.stdout.contains("gaps (") && table.stdout.contains("chain (") && table.stdout.contains(Incident.r2))
    }
}
