import CustodyCore

/// The stored id and mergeable state (interval, certainty) of edges an ingest run has written
/// or looked up, by their unique key: later groups of the run find their repeated edges here
/// instead of with a unique-index descent each (a fleet of SBOMs repeats ≈ 1.3 M edges, and the
/// lookup join was a fifth of the write thread).
///
/// It is never wrong, only incomplete: an edge it lacks is looked up in SQLite as before. To
/// stay right it is dropped whenever what it mirrors may have changed behind it — a rolled-back
/// group, a failed transaction, another connection's commit (`PRAGMA data_version`), any other
/// write on this connection (`CaseDatabase.writeDerived`) — and every merge into a cached edge
/// updates it. Only unqualified edges between nodes with ids below 2^28 are kept (in a case,
/// nearly all), under one packed integer like `GroupFacts`' own edge index.
///
/// When a run starts recording into an empty graph, the cache is also `complete`: it holds
/// every unqualified edge stored, so an edge it lacks is new and needs no lookup at all (the
/// fleet's 670,000 new dependency edges between known packages). Anything stored without
/// being recorded ends that.
///
/// It only records while `recording` (more groups follow in the run), so a single-document
/// ingest never pays for it. Memory: 32 bytes a slot, at most ¾ of the slots used (64 MiB for
/// the fleet benchmark's 1.2 M edges).
struct EdgeIdentityCache: Sendable {
    /// What the lookup join read: the stored id, interval ends and certainty.
    struct Entry: Sendable {
        /// The edge id shifted left by 3; bit 0: `firstSeen` is known, bit 1: `lastSeen` is,
        /// bit 2: certainty is `inferred`.
        private var idAndFlags: Int64
        private var firstSeen: Int64
        private var lastSeen: Int64

        init?(id: Int64, state: StoredFactMerges.EdgeState) {
            let inferred: Bool
            switch state.certainty {
            case Certainty.recorded.rawValue: inferred = false
            case Certainty.inferred.rawValue: inferred = true
            default: return nil  // Not written by this build: left to SQLite.
            }
            guard id > 0, id < 1 << 60 else { return nil }
            let flags: Int64 = (state.firstSeen == nil ? 0 : 1) | (state.lastSeen == nil ? 0 : 2) | (inferred ? 4 : 0)
            idAndFlags = id << 3 | flags
            firstSeen = state.firstSeen ?? 0
            lastSeen = state.lastSeen ?? 0
        }

        /// The value of empty slots (`EdgeKeyTable`).
        static let unused = Entry(idAndFlags: 0, firstSeen: 0, lastSeen: 0)

        private init(idAndFlags: Int64, firstSeen: Int64, lastSeen: Int64) {
            self.idAndFlags = idAndFlags
            self.firstSeen = firstSeen
            self.lastSeen = lastSeen
        }

        var id: Int64 { idAndFlags >> 3 }

        var state: StoredFactMerges.EdgeState {
            .init(firstSeen: idAndFlags & 1 != 0 ? firstSeen : nil, lastSeen: idAndFlags & 2 != 0 ? lastSeen : nil,
                  certainty: idAndFlags & 4 != 0 ? Certainty.inferred.rawValue : Certainty.recorded.rawValue)
        }
    }

    /// What the cache knows of an edge.
    enum Lookup {
        case stored(Entry)
        /// Not stored (the cache is complete and lacks it).
        case new
        /// Ask SQLite.
        case unknown
    }

    /// Whether new edges are added (updates to cached ones are always made).
    var recording = false
    /// `PRAGMA data_version` when the entries were last known to match the database.
    var dataVersion: Int64?
    /// Every unqualified stored edge is cached (see the type's comment).
    private(set) var complete = false
    private var table = EdgeKeyTable()

    var count: Int { table.count }

    /// `UNIQUE (src, kind, dst, qualifier)` with an empty qualifier: the kind's ordinal
    /// (8 bits) and the stored ids of both ends (28 bits each); nil if the edge is not kept.
    @inline(__always)
    private static func key(src: Int64, kind: EdgeKind, dst: Int64, qualifier: String) -> UInt64? {
        guard qualifier.isEmpty, src > 0, src < 1 << 28, dst > 0, dst < 1 << 28 else { return nil }
        return kind.packed(Int32(src), Int32(dst))
    }

    /// The edge between stored nodes `src` and `dst`, as far as the cache knows.
    func find(src: Int64, kind: EdgeKind, dst: Int64, qualifier: String) -> Lookup {
        guard table.count > 0 || complete else { return .unknown }
        guard let key = Self.key(src: src, kind: kind, dst: dst, qualifier: qualifier) else {
            // Qualified edges are never kept; unkeyable unqualified ones end completeness.
            return .unknown
        }
        if let entry = table[key] { return .stored(entry) }
        return complete ? .new : .unknown
    }

    /// Records that the edge is stored as `id` in `state` (inserted, looked up or merged):
    /// replaces a cached entry always, adds a new one only while recording.
    mutating func record(src: Int64, kind: EdgeKind, dst: Int64, qualifier: String, id: Int64, state: StoredFactMerges.EdgeState) {
        guard let key = Self.key(src: src, kind: kind, dst: dst, qualifier: qualifier) else {
            if qualifier.isEmpty { complete = false }
            return
        }
        if recording, let entry = Entry(id: id, state: state) {
            table.insert(key, entry)  // One probe: adds or replaces.
            return
        }
        let known = table.contains(key)
        guard recording || known else {
            complete = false
            return
        }
        guard let entry = Entry(id: id, state: state) else {
            // Cannot happen for rows this build writes; never keep a stale entry.
            if known { removeAll() }
            complete = false
            return
        }
        table.insert(key, entry)
    }

    /// Starts recording into an empty graph: from now on the cache is complete.
    mutating func startComplete() {
        table = EdgeKeyTable()
        complete = true
    }

    /// Forgets every edge (the database may no longer match).
    mutating func removeAll() {
        table = EdgeKeyTable()
        complete = false
    }

    /// Forgets every edge if another connection committed since the entries were made
    /// (`version`: `PRAGMA data_version`, read inside the transaction that will use them).
    mutating func validate(dataVersion version: Int64?) {
        if version == nil || version != dataVersion { removeAll() }
        dataVersion = version
    }
}
