import CustodyCore

extension CustodyCollector {
    func fill(_ result: inout TraceResult) throws {
        let rows = ResultRows(graph: graph, window: window)
        let key = { (id: Int64) in graph.nodes[id]?.ref.key ?? "" }
        var evidenceEdges: [Int64] = []

        result.artifacts = try rows.artifacts(starts.mapValues(\.certainty))
        for (id, path) in family where starts[id] == nil {
            guard let last = path.lastEdge else { continue }
            result.related.append(.init(digest: key(id), relation: last.source == id ? "index" : "manifest", of: key(traced(id))))
        }
        for edge in baseImages {
            result.related.append(.init(digest: key(edge.target), relation: "base-image", of: key(traced(edge.source))))
        }

        var runCertainty: [Int64: Certainty] = [:]
        for edge in incoming where edge.kind == .produced {
            let certainty = min(edge.certainty, family[edge.target]?.certainty ?? .recorded,
                                starts[traced(edge.target)]?.certainty ?? .recorded)
            runCertainty[edge.source] = max(runCertainty[edge.source] ?? .inferred, certainty)
            let runEdges = self.runEdges.filter { $0.source == edge.source }
            let commit = runEdges.first { $0.kind == .builtFrom }?.target
            let workflow = runEdges.first { $0.kind == .ranWorkflow }?.target
            let repository = [commit, workflow].compactMap { $0 }.lazy
                .compactMap { source in repositoryEdges.first { $0.source == source }?.target }.first
            result.builds.append(.init(run: key(edge.source), digest: key(edge.target), workflow: workflow.map(key),
                                       commit: commit.map(key),
                                       repository: repository.map(key) ?? graph.nodes[edge.source]?.attributes["repository"],
                                       triggered_by: runEdges.filter { $0.kind == .triggeredBy }.map { key($0.target) }.sorted(),
                                       evidence: ([edge.id] + runEdges.map(\.id)).map { String($0) }))
            evidenceEdges += [edge.id] + runEdges.map(\.id)
        }
        result.runs = runCertainty.compactMap { id, certainty in graph.nodes[id].map { rows.run($0, certainty: certainty) } }
            .sorted { $0.key < $1.key }

        for edge in incoming where edge.kind == .pushed {
            result.pushes.append(.init(digest: key(edge.target), identity: key(edge.source), at: edge.firstSeen?.rfc3339,
                                       attributes: edge.attributes, evidence: [String(edge.id)]))
            evidenceEdges.append(edge.id)
        }
        for edge in incoming where edge.kind == .attests {
            let claims = claimEdges.filter { $0.source == edge.source }
            func claimed(_ kind: EdgeKind) -> [String] { claims.filter { $0.kind == kind }.map { key($0.target) }.sorted() }
            result.attestations.append(.init(key: key(edge.source), digest: key(edge.target),
                                             predicate_type: graph.nodes[edge.source]?.attributes["predicateType"],
                                             builders: claimed(.claimsBuilder), commits: claimed(.claimsCommit),
                                             runs: claimed(.claimsRun), evidence: [String(edge.id)]))
            for signature in claims where signature.kind == .signedBy {
                let attributes = signature.attributes
                result.signatures.append(.init(attestation: key(edge.source), digest: key(edge.target), signer: key(signature.target),
                                               verified: attributes["verified"].map { $0 == "true" },
                                               result: attributes["verification"] ?? attributes["result"],
                                               evidence: [String(signature.id)]))
            }
            evidenceEdges += [edge.id] + claims.map(\.id)
        }
        for edge in incoming where edge.kind == .describes && graph.nodes[edge.source]?.ref.kind == .sbom {
            result.sboms.append(.init(key: key(edge.source), digest: key(edge.target), packages: packageCounts[edge.target] ?? 0,
                                      evidence: [String(edge.id)]))
            evidenceEdges.append(edge.id)
        }

        let targetWorkloads = self.targetWorkloads
        for edge in ranEdges where starts[edge.target] != nil && window.admits(edge) {
            if !targetWorkloads.isEmpty, !targetWorkloads.contains(edge.source) { continue }
            if let row = rows.workload(edge, certainty: starts[edge.target]?.certainty ?? .recorded) { result.workloads.append(row) }
        }
        result.workloads = ResultRows.sorted(result.workloads)

        let chains = try starts.keys.sorted().map { try chain(for: $0) }
        let rendered = try rows.render(chains)
        result.chains = Array(rendered.paths)
        if let primary, let index = starts.keys.sorted().firstIndex(of: primary) { result.chain = rendered.paths[index] }

        result.gaps = gaps()
        try attachEvidence(&result, edges: evidenceEdges, chainEvidence: rendered.evidence)
        result.related.sort { ($0.of, $0.relation, $0.digest) < ($1.of, $1.relation, $1.digest) }
        result.builds.sort { ($0.digest, $0.run) < ($1.digest, $1.run) }
        result.pushes.sort { ($0.digest, $0.at ?? "", $0.identity) < ($1.digest, $1.at ?? "", $1.identity) }
        result.attestations.sort { ($0.digest, $0.key) < ($1.digest, $1.key) }
        result.signatures.sort { ($0.digest, $0.attestation, $0.signer) < ($1.digest, $1.attestation, $1.signer) }
        result.sboms.sort { ($0.digest, $0.key) < ($1.digest, $1.key) }
    }

    /// The chain of one traced digest: its start path, then the run that produced it (or a
    /// digest of the same image it produced), the commit and repository — or, with no run,
    /// who pushed it.
    func chain(for target: Int64) throws -> GraphPath {
        guard var path = starts[target] else { throw CustodyError(.internalError, "no start path for a traced digest") }
        let members = members(of: target)
        let produced = edges(into: members, .produced).sorted { $0.certainty != $1.certainty ? $0.certainty > $1.certainty : $0.id < $1.id }
        if let edge = produced.first, let run = graph.nodes[edge.source] {
            if edge.target != target, let member = family[edge.target] {
                for step in member.steps.dropFirst() {
                    guard let via = member.edge(of: step), let node = graph.nodes[step.nodeID] else { continue }
                    path = path.appending(node, via: via)
                }
            }
            path = path.appending(run, via: edge)
            let fromRun = runEdges.filter { $0.source == run.id }
            if let built = fromRun.first(where: { $0.kind == .builtFrom }), let commit = graph.nodes[built.target] {
                path = path.appending(commit, via: built)
                if let inRepo = repositoryEdges.first(where: { $0.source == commit.id }), let repo = graph.nodes[inRepo.target] {
                    path = path.appending(repo, via: inRepo)
                }
            } else if let ran = fromRun.first(where: { $0.kind == .ranWorkflow }), let workflow = graph.nodes[ran.target] {
                path = path.appending(workflow, via: ran)
                if let defined = repositoryEdges.first(where: { $0.source == workflow.id }), let repo = graph.nodes[defined.target] {
                    path = path.appending(repo, via: defined)
                }
            }
        } else if let push = edges(into: [target], .pushed).min(by: { ($0.firstSeen?.nanosecondsSinceEpoch ?? 0, $0.id) < ($1.firstSeen?.nanosecondsSinceEpoch ?? 0, $1.id) }),
                  let identity = graph.nodes[push.source] {
            path = path.appending(identity, via: push)
        }
        return path
    }

    /// Replaces the edge ids parked in each section's `evidence` with document hashes, and
    /// lists every document once in `result.evidence`.
    private func attachEvidence(_ result: inout TraceResult, edges: [Int64], chainEvidence: [TraceResult.Evidence]) throws {
        let links = try graph.evidence(edges: Set(edges))
        var all: [String: TraceResult.Evidence] = [:]
        for item in chainEvidence { all[item.sha256] = item }
        for link in links.values.joined() where all[link.sha256] == nil {
            all[link.sha256] = .init(sha256: link.sha256, format: link.format, source: link.source)
        }
        func documents(_ ids: [String]) -> [String] {
            Array(Set(ids.compactMap(Int64.init).flatMap { links[$0]?.map(\.sha256) ?? [] })).sorted()
        }
        for index in result.builds.indices { result.builds[index].evidence = documents(result.builds[index].evidence) }
        for index in result.pushes.indices { result.pushes[index].evidence = documents(result.pushes[index].evidence) }
        for index in result.attestations.indices { result.attestations[index].evidence = documents(result.attestations[index].evidence) }
        for index in result.signatures.indices { result.signatures[index].evidence = documents(result.signatures[index].evidence) }
        for index in result.sboms.indices { result.sboms[index].evidence = documents(result.sboms[index].evidence) }
        result.evidence = all.values.sorted { $0.sha256 < $1.sha256 }
    }
}
