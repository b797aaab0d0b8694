import CustodyCore

/// Gathers everything behind the traced digests in a fixed number of batched reads: the
/// other manifests of each image, then in one read each the pushes, producing runs,
/// attestations, SBOMs and workloads of all of them, then the runs' workflows and commits,
/// the commits' repositories and the attestations' claims and signatures.
struct CustodyCollector {
    let graph: GraphAccess
    let window: TimeWindow
    /// The best path to every traced digest, by digest id.
    private(set) var starts: [Int64: GraphPath] = [:]
    /// Every digest of the traced images (traced ones included) with the path from the traced one.
    private(set) var family: [Int64: GraphPath] = [:]

    /// Pushes, productions, attestations and SBOMs of the family (not `ran`: see `ranEdges`).
    private(set) var incoming: [Edge] = []
    /// The `ran` edges of the traced digests that the workload rows may show: every one into
    /// them, or for a traced workload only that workload's (read from it: a digest can be run
    /// by hundreds of workloads, and the other edges searched per digest stay short).
    private(set) var ranEdges: [Edge] = []
    private(set) var baseImages: [Edge] = []
    private(set) var packageCounts: [Int64: Int] = [:]
    private(set) var runEdges: [Edge] = []
    private(set) var repositoryEdges: [Edge] = []
    private(set) var claimEdges: [Edge] = []

    init(graph: GraphAccess, window: TimeWindow, starts: [GraphPath]) {
        self.graph = graph
        self.window = window
        for path in starts where path.endKind == .artifact {
            if let existing = self.starts[path.endID], !Self.isLater(path, than: existing) { continue }
            self.starts[path.endID] = path
        }
    }

    /// What lies behind a digest is not windowed: its build happened when it happened.
    var unwindowed: Traversal { Traversal(graph: graph, window: .unbounded) }

    mutating func collect() throws {
        // Fresh one-node paths, so that a member's path starts at the digest it belongs to.
        try graph.load(starts.keys)
        family = try unwindowed.closure(starts.keys.sorted().compactMap { graph.nodes[$0] }.map(graph.startPath), [.hasManifest])
        let digests = Array(family.keys)
        let workloads = targetWorkloads
        incoming = try graph.edges(.incoming, of: digests, kinds: [.produced, .pushed, .attests, .describes] + (workloads.isEmpty ? [.ran] : []))
        if workloads.isEmpty {
            ranEdges = incoming.filter { $0.kind == .ran }
            incoming.removeAll { $0.kind == .ran }
        } else {
            ranEdges = try graph.edges(.outgoing, of: workloads, kinds: [.ran]).filter { family[$0.target] != nil }
        }
        baseImages = try graph.edges(.outgoing, of: digests, kinds: [.baseImage])
        for row in try graph.reader.rows("""
            SELECT src, count(*) FROM edges WHERE kind = 'contains' AND src IN (SELECT value FROM json_each(?)) GROUP BY src
            """, [.text(GraphAccess.jsonList(digests))]) {
            if let id = row[0].int64, let count = row[1].int64 { packageCounts[id] = Int(count) }
        }
        let runs = Set(incoming.filter { $0.kind == .produced }.map(\.source))
        runEdges = try graph.edges(.outgoing, of: runs, kinds: [.ranWorkflow, .builtFrom, .triggeredBy])
        let sources = Set(runEdges.filter { $0.kind == .ranWorkflow || $0.kind == .builtFrom }.map(\.target))
        repositoryEdges = try graph.edges(.outgoing, of: sources, kinds: [.inRepository, .definedIn])
        let attestations = Set(incoming.filter { $0.kind == .attests }.map(\.source))
        claimEdges = try graph.edges(.outgoing, of: attestations, kinds: [.claimsBuilder, .claimsCommit, .claimsRun, .signedBy])
    }

    /// The workloads traced (`trace --workload`), whose paths start at them; empty otherwise.
    var targetWorkloads: Set<Int64> {
        Set(starts.values.compactMap { $0.steps.count > 1 && $0.steps[0].nodeKind == .workload ? $0.steps[0].nodeID : nil })
    }

    /// The traced digest whose chain is `chain`: the one a workload still runs, else the one
    /// seen last (a tag's current digest, a workload's latest).
    var primary: Int64? {
        starts.max { a, b in Self.isLater(b.value, than: a.value) }?.key
    }

    /// Orders start paths: running first, then by the later interval end, then start.
    static func isLater(_ a: GraphPath, than b: GraphPath) -> Bool {
        func rank(_ path: GraphPath) -> (Int, Int64, Int64, Int64) {
            guard let edge = path.lastEdge else { return (0, 0, 0, -path.endID) }
            let running = edge.attributes["running"] == "true" ? 1 : 0
            let end = (edge.lastSeen ?? edge.firstSeen)?.nanosecondsSinceEpoch ?? Int64.min
            return (running, edge.lastSeen == nil ? Int64.max : end, edge.firstSeen?.nanosecondsSinceEpoch ?? Int64.min, -path.endID)
        }
        return rank(a) > rank(b)
    }

    /// The traced digest a family member belongs to.
    func traced(_ member: Int64) -> Int64 { family[member]?.steps.first?.nodeID ?? member }

    func edges(into digests: Set<Int64>, _ kind: EdgeKind) -> [Edge] {
        incoming.filter { $0.kind == kind && digests.contains($0.target) }
    }

    /// The digests of the traced image `target` (index and manifests).
    func members(of target: Int64) -> Set<Int64> {
        Set(family.keys.filter { traced($0) == target })
    }

    func outgoing(_ edges: [Edge], from node: Int64, _ kind: EdgeKind) -> [Edge] {
        edges.filter { $0.source == node && $0.kind == kind }
    }
}
