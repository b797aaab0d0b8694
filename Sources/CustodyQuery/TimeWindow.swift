import CustodyCore

/// The time restriction of a question (DESIGN.md §3): `--at T` keeps edges whose interval
/// contains T; `--from/--to` keeps edges whose interval overlaps the window. Unknown interval
/// ends are open: an edge with no times is kept (timeless facts are not guessed away).
public struct TimeWindow: Sendable, Equatable {
    public var from: Timestamp?
    public var to: Timestamp?
    public var at: Timestamp?

    public init(from: Timestamp? = nil, to: Timestamp? = nil, at: Timestamp? = nil) {
        self.from = from
        self.to = to
        self.at = at
    }

    public static let unbounded = TimeWindow()

    public var isUnbounded: Bool { from == nil && to == nil && at == nil }

    /// Whether an edge seen from `first` to `last` (nil = unknown / still open) passes.
    /// Both ends are inclusive: a push (an instant) at exactly `--to` is inside the window.
    public func admits(first: Timestamp?, last: Timestamp?) -> Bool {
        if let at {
            if let first, first > at { return false }
            if let last, last < at { return false }
            return true
        }
        if let to, let first, first > to { return false }
        if let from, let last, last < from { return false }
        return true
    }

    /// Whether the window applies to edges of `kind` at all (see `timeBound`).
    public static func applies(to kind: EdgeKind) -> Bool { timeBound.contains(kind) }

    /// Edges that record an event or a state that held for a while: a run's use of something
    /// (its interval is the run time), a push or delete (an instant), a tag pointing to a digest
    /// (the tag history), a workload running a digest, an attestation's claims and signature
    /// (its time), a workload mounting a secret (the snapshots that showed it).
    ///
    /// Every other edge states a fact about content, which holds as long as the content exists:
    /// what a digest contains (the SBOM's creation time only says when someone looked), which
    /// manifests an index lists, what an image was built on, what an advisory affects, which
    /// repository a commit belongs to. Filtering those by the window would lose, for `--at` a day
    /// after the SBOM was made, every digest the SBOM describes.
    static let timeBound: Set<EdgeKind> = [
        .usedAction, .fetched, .produced, .builtFrom, .ranWorkflow, .triggeredBy, .couldRead, .partOf,
        .pushed, .deleted, .pointsTo, .ran, .mounts, .claimsBuilder, .claimsCommit, .claimsRun, .signedBy,
    ]

    /// Whether `edge` passes: content facts always do, time-bound ones when their interval
    /// meets the window.
    /// A workload still running a digest is an open interval whatever end the snapshot bound
    /// wrote, so `--at` after the last snapshot still finds it.
    func admits(_ edge: Edge) -> Bool {
        // No window admits everything (checked first: a hop tests thousands of `ran` edges,
        // and whether one is running means scanning its attributes).
        if isUnbounded { return true }
        guard Self.timeBound.contains(edge.kind) else { return true }
        let open = edge.kind == .ran && edge.isRunning
        return admits(first: edge.firstSeen, last: open ? nil : edge.lastSeen)
    }
}
