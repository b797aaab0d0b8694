import CustodyCore

/// The order in which rows reach SQLite's unique indexes: sorted the way the index is, each
/// insert lands next to the previous one in `UNIQUE(kind, key)` and `UNIQUE(src, kind, dst,
/// qualifier)` instead of on a random page. Only speed depends on the order.
enum WriteOrder {
    /// Node indexes sorted by kind and key: by key (`KeyOrder`, which compares ASCII keys as
    /// bytes, SQLite's order), then by kind with a counting pass that keeps the keys' order
    /// within each kind.
    static func nodes(_ nodes: [NodeFact]) -> [Int32] {
        let ranks = nodes.map { Int(nodeRank[$0.ref.kind]!) }
        var starts = [Int](repeating: 0, count: nodeRank.count + 1)
        for rank in ranks { starts[rank + 1] += 1 }
        for rank in 1..<starts.count { starts[rank] += starts[rank - 1] }
        var order = [Int32](repeating: 0, count: nodes.count)
        for index in KeyOrder.sortedIndices(nodes.map(\.ref.key)) {
            order[starts[ranks[index]]] = Int32(index)
            starts[ranks[index]] += 1
        }
        return order
    }

    /// Edge indexes (all, or those of `subset`) sorted by stored source id, kind, stored
    /// destination id and qualifier; `nodeIDs` are the stored ids of the batch nodes.
    static func edges(_ edges: [EdgeFact], nodeIDs: [Int64], among subset: [Int32]? = nil) -> [Int32] {
        var keyed = [(src: Int64, low: UInt64, index: Int32)]()
        keyed.reserveCapacity(subset?.count ?? edges.count)
        func add(_ index: Int32) {
            // Field by field: a copy of the whole fact would retain its strings.
            let kind = edges[Int(index)].kind, from = edges[Int(index)].from, to = edges[Int(index)].to
            let low = UInt64(edgeRankByOrdinal[Int(kind.ordinal)]) << 56 | UInt64(nodeIDs[Int(to)])
            keyed.append((nodeIDs[Int(from)], low, index))
        }
        if let subset {
            for index in subset { add(index) }
        } else {
            for index in edges.indices { add(Int32(index)) }
        }
        keyed.sort { a, b in
            if a.src != b.src { return a.src < b.src }
            if a.low != b.low { return a.low < b.low }
            return edges[Int(a.index)].qualifier < edges[Int(b.index)].qualifier
        }
        return keyed.map(\.index)
    }

    private static let nodeRank: [NodeKind: UInt8] = ranks(NodeKind.self)
    private static let edgeRank: [EdgeKind: UInt8] = ranks(EdgeKind.self)
    /// `edgeRank` by `EdgeKind.ordinal`: an array read instead of a hash per edge (a fleet
    /// run sorts 1.2 M new edges).
    private static let edgeRankByOrdinal: [UInt8] = {
        var ranks = [UInt8](repeating: 0, count: 256)
        for (kind, rank) in edgeRank { ranks[Int(kind.ordinal)] = rank }
        return ranks
    }()

    /// Each case's position among the raw values in byte order (the order SQLite stores them).
    private static func ranks<Kind: CaseIterable & RawRepresentable & Hashable>(_: Kind.Type) -> [Kind: UInt8]
        where Kind.RawValue == String {
        let sorted = Kind.allCases.sorted { $0.rawValue < $1.rawValue }
        return Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, UInt8($0)) })
    }
}
