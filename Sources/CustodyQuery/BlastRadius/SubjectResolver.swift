import CustodyCore
import Foundation
import CustodyStore

/// Resolves a blast-radius subject to its nodes and the first things they reach. Subjects
/// that name built things (packages, advisories, digests, tags, pushers, signers, builders)
/// seed artifacts; the others are in `SubjectResolver+Runs.swift` and seed runs.
struct SubjectResolver {
    let graph: GraphAccess
    let window: TimeWindow
    var walk: Traversal { Traversal(graph: graph, window: window) }

    func resolve(_ subject: BlastRadiusSubject) throws -> Seeds {
        switch subject {
        case let .package(purl, versions): try package(purl, versions)
        case let .vulnerability(id): try vulnerability(id)
        case let .digest(text): try digest(text)
        case let .image(text): try image(text)
        case let .actor(name): try actor(name)
        case let .signer(id): try signer(id)
        case let .builder(id): try builder(id)
        case let .action(text): try action(text)
        case let .fetched(url): try fetched(url)
        case let .commit(sha): try commit(sha)
        case let .repository(text): try repository(text)
        case let .workflow(path): try workflow(path)
        case let .secret(key): try secret(key)
        }
    }

    private func package(_ purl: String, _ versions: String?) throws -> Seeds {
        var seeds = Seeds()
        let stored = try PackageMatcher(reader: graph.reader).match(purl: purl, versions: versions)
        try graph.load(stored.map(\.id))
        let nodes = stored.compactMap { graph.nodes[$0.id] }
        seeds.match(nodes)
        seeds.packages = nodes.map(graph.startPath)
        return seeds
    }

    /// An advisory and its aliases (both directions, transitively) → the packages they affect
    /// (a versioned package as is; a versionless one through the range on the edge) and the
    /// packages scanners found affected. VEX `notAffected` statements are kept apart.
    private func vulnerability(_ id: String) throws -> Seeds {
        var seeds = Seeds()
        let text = id.trimmingCharacters(in: .whitespaces)
        var found = try graph.nodes(kind: .vulnerability, keys: [text, Self.canonicalAdvisoryID(text)])
        if found.isEmpty { found = try graph.nodes(kind: .vulnerability, like: SubjectText.like(text)) }
        let aliases = try walk.closure(found.map(graph.startPath), [.aliasOf])
        seeds.match(aliases.values.compactMap { graph.nodes[$0.endID] }.sorted { $0.ref < $1.ref })
        let advisories = Array(aliases.values)

        for path in try walk.hop(advisories, .outgoing, [.affects]) {
            guard let edge = path.lastEdge, let node = graph.nodes[path.endID] else { continue }
            let purl = try? PackageURL(parsing: node.ref.key)
            if purl?.version != nil || purl == nil {
                seeds.packages.append(path)
                continue
            }
            let matcher = AffectedVersions(attributes: edge.attributes)
            for candidate in try graph.reader.packages(type: purl!.type, namespace: purl!.namespace ?? "", name: purl!.name)
            where candidate.version.map(matcher.contains) ?? false {
                guard let versioned = try graph.node(candidate.id) else { continue }
                seeds.packages.append(path.appending(versioned, link: .versionInRange))
            }
        }
        for path in try walk.hop(advisories, .incoming, [.affectedBy]) {
            seeds.packages.append(path)
            guard let edge = path.lastEdge else { continue }
            let scope = edge.attributes["artifact"] ?? (edge.qualifier.hasPrefix("sha256:") ? edge.qualifier : nil)
            if let scope, let artifact = try graph.nodes(kind: .artifact, keys: [scope.lowercased()]).first {
                seeds.artifacts.append(path.appending(artifact, link: .foundIn))
            }
        }
        for path in try walk.hop(advisories, .incoming, [.notAffected]) where seeds.notAffected[path.endID] == nil {
            seeds.notAffected[path.endID] = path
        }
        return seeds
    }

    /// `cve-2025-1` → `CVE-2025-1`; the id after a known prefix keeps its case (GHSA ids are
    /// lower-case after the prefix).
    static func canonicalAdvisoryID(_ text: String) -> String {
        guard let dash = text.firstIndex(of: "-") else { return text.uppercased() }
        return text[..<dash].uppercased() + text[dash...]
    }

    private func digest(_ text: String) throws -> Seeds {
        let key: String
        do {
            key = try Digest(parsing: text.trimmingCharacters(in: .whitespaces)).description
        } catch {
            throw CustodyError.usage("--digest: \(text) is not a digest; example: sha256:0137dfe9…(64 hex digits)")
        }
        var seeds = Seeds()
        let nodes = try graph.nodes(kind: .artifact, keys: [key])
        seeds.match(nodes)
        seeds.artifacts = nodes.map(graph.startPath)
        return seeds
    }

    /// A tag → the digests it pointed to in the window (or at `--at`); a reference with a
    /// digest is that digest. A reference no tag history knows falls back to what SBOMs and
    /// pod specs wrote for it (`image-reference` → `refersTo`).
    private func image(_ text: String) throws -> Seeds {
        let reference: ImageReference
        do {
            reference = try ImageReference(parsing: text.trimmingCharacters(in: .whitespaces))
        } catch {
            throw CustodyError.usage("--image: \(text) is not an image reference (\(error)); example: ghcr.io/acme/app:1.4.2")
        }
        if let digest = reference.digest { return try self.digest(digest.description) }
        let key = "\(reference.repository):\(reference.tag ?? "latest")"
        var seeds = Seeds()
        let tags = try graph.nodes(kind: .tag, keys: [key])
        let references = try graph.nodes(kind: .imageReference, keys: [key])
        seeds.match(tags + references)
        seeds.artifacts = try walk.hop(tags.map(graph.startPath), .outgoing, [.pointsTo])
            + walk.hop(references.map(graph.startPath), .outgoing, [.refersTo]) { _, node in node.ref.kind == .artifact }
        return seeds
    }

    /// What a registry or CI account pushed (`identity -pushed-> artifact`, instants).
    private func actor(_ name: String) throws -> Seeds {
        var seeds = Seeds()
        let text = name.trimmingCharacters(in: .whitespaces)
        var identities = try graph.nodes(kind: .identity, keys: [text])
        if identities.isEmpty { identities = try graph.nodes(kind: .identity, like: "actor:%:" + SubjectText.like(text)) }
        seeds.match(identities)
        seeds.artifacts = try walk.hop(identities.map(graph.startPath), .outgoing, [.pushed])
        return seeds
    }

    /// What an identity signed: `attestation -signedBy-> identity`, then what it attests.
    private func signer(_ id: String) throws -> Seeds {
        var seeds = Seeds()
        let text = id.trimmingCharacters(in: .whitespaces)
        var identities = try graph.nodes(kind: .identity, keys: [text, "key:" + text])
        if identities.isEmpty {
            // The subject of an OIDC identity alone (a workflow ref, an e-mail); accounts are `--actor`.
            identities = try graph.nodes(kind: .identity, like: "%:" + SubjectText.like(text)).filter { !$0.ref.key.hasPrefix("actor:") }
        }
        seeds.match(identities)
        let attestations = try walk.hop(identities.map(graph.startPath), .incoming, [.signedBy])
        seeds.artifacts = try walk.hop(attestations, .outgoing, [.attests])
        return seeds
    }

    /// What attestations say a builder built (exact id, else every id it prefixes, so that a
    /// reusable-workflow builder matches all its `@refs/tags/…` versions), and the runs they name.
    private func builder(_ id: String) throws -> Seeds {
        var seeds = Seeds()
        let text = id.trimmingCharacters(in: .whitespaces)
        var builders = try graph.nodes(kind: .builder, keys: [text])
        if builders.isEmpty { builders = try graph.nodes(kind: .builder, like: SubjectText.like(text) + "%") }
        seeds.match(builders)
        let attestations = try walk.hop(builders.map(graph.startPath), .incoming, [.claimsBuilder])
        seeds.artifacts = try walk.hop(attestations, .outgoing, [.attests])
        seeds.runs = try walk.hop(attestations, .outgoing, [.claimsRun])
        return seeds
    }
}
