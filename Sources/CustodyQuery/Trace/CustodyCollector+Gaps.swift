import CustodyCore

extension CustodyCollector {
    /// How far a registry push may lie outside the run that produced the digest and still be
    /// that run's push (registry and runner clocks differ; a push ends after the log line).
    static let pushSlack: Int64 = 5 * 60 * 1_000_000_000

    /// What the evidence does not show, per traced digest (over all digests of its image).
    func gaps() -> [TraceResult.Gap] {
        var gaps: [TraceResult.Gap] = []
        let key = { (id: Int64) in graph.nodes[id]?.ref.key ?? "" }
        for target in starts.keys.sorted() {
            let digest = key(target)
            let members = members(of: target)
            let produced = edges(into: members, .produced)
            let attests = edges(into: members, .attests)
            let pushes = edges(into: members, .pushed)
            func gap(_ kind: String, _ subject: String, _ message: String) {
                gaps.append(.init(kind: kind, subject: subject, message: message))
            }

            if produced.isEmpty {
                gap("no-run", digest, "no CI run is known to have produced this digest (built outside CI, or its build logs were not ingested)")
            }
            let provenance = attests.filter { edge in
                let type = graph.nodes[edge.source]?.attributes["predicateType"] ?? ""
                return type.contains("provenance") || claimEdges.contains { $0.source == edge.source && $0.kind != .signedBy }
            }
            if provenance.isEmpty { gap("no-provenance", digest, "no provenance for this digest") }
            if edges(into: members, .describes).isEmpty, members.allSatisfy({ (packageCounts[$0] ?? 0) == 0 }) {
                gap("no-sbom", digest, "no SBOM for this digest")
            }
            if pushes.isEmpty { gap("no-push", digest, "no registry push of this digest was recorded") }
            for push in pushes.sorted(by: { $0.id < $1.id }) where !produced.contains(where: { covers($0, push.firstSeen) }) {
                let when = push.firstSeen.map { " at \($0.rfc3339)" } ?? ""
                let detail = produced.isEmpty ? "no run produced this digest" : "no run that produced this digest was running then"
                gap("push-without-run", digest, "pushed by \(key(push.source))\(when), an identity that no run used: \(detail)")
            }
            let signatures = claimEdges.filter { edge in edge.kind == .signedBy && attests.contains { $0.source == edge.source } }
            if !attests.isEmpty, signatures.isEmpty {
                gap("no-signature", digest, "the attestations of this digest are not signed")
            }
            for signature in signatures {
                switch signature.attributes["verified"] {
                case "true": break
                case "false":
                    gap("signature-failed", key(signature.source), "the signature by \(key(signature.target)) failed verification")
                default:
                    gap("unverified-signature", key(signature.source), "signed by \(key(signature.target)), but the signature was not verified")
                }
            }
            for run in Set(produced.map(\.source)).sorted() where !runEdges.contains(where: { $0.source == run && $0.kind == .builtFrom }) {
                gap("run-without-commit", key(run), "the run that produced \(digest) has no recorded commit")
            }
            let claimedRuns = Set(claimEdges.filter { edge in edge.kind == .claimsRun && provenance.contains { $0.source == edge.source } }.map(\.target))
            let producers = Set(produced.map(\.source))
            if !claimedRuns.isEmpty, !producers.isEmpty, claimedRuns.isDisjoint(with: producers) {
                let claimed = claimedRuns.map(key).sorted().joined(separator: ", ")
                let logged = producers.map(key).sorted().joined(separator: ", ")
                gap("provenance-run-mismatch", digest, "provenance names run \(claimed) but the CI evidence shows \(logged) pushed it")
            }
        }
        return gaps
    }

    /// Whether a `produced` edge's run interval (with slack) contains `time`; unknown ends are open.
    private func covers(_ produced: Edge, _ time: Timestamp?) -> Bool {
        guard let time else { return true }
        if let first = produced.firstSeen, time.nanosecondsSinceEpoch < first.nanosecondsSinceEpoch - Self.pushSlack { return false }
        if let last = produced.lastSeen, time.nanosecondsSinceEpoch > last.nanosecondsSinceEpoch + Self.pushSlack { return false }
        return true
    }
}
