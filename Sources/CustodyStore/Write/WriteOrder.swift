import CustodyCore
import Foundation

/// The order in which rows reach SQLite's unique indexes: sorted the way the index is, each
/// insert lands next to the previous one in `UNIQUE(kind, key)` and `UNIQUE(src, kind, dst,
/// qualifier)` instead of on a random page. Only speed depends on the order.
enum WriteOrder {
    /// Node indexes sorted by kind and key, keys compared by their UTF-8 bytes as SQLite's
    /// BINARY collation does. The keys are copied into one buffer first: comparing Swift
    /// strings (`<`) cost twice as much as the copy and the `memcmp`s together.
    static func nodes(_ nodes: [NodeFact]) -> [Int32] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(nodes.reduce(0) { $0 + $1.ref.key.utf8.count })
        var spans: [(kind: UInt8, start: Int32, count: Int32)] = []
        spans.reserveCapacity(nodes.count)
        for node in nodes {
            let start = bytes.count
            bytes.append(contentsOf: node.ref.key.utf8)
            spans.append((nodeRank[node.ref.kind]!, Int32(start), Int32(bytes.count - start)))
        }
        var order = Array(0..<Int32(nodes.count))
        bytes.withUnsafeBufferPointer { bytes in
            spans.withUnsafeBufferPointer { spans in
                let base = bytes.baseAddress
                order.sort { a, b in
                    let x = spans[Int(a)], y = spans[Int(b)]
                    if x.kind != y.kind { return x.kind < y.kind }
                    let shared = Int(min(x.count, y.count))
                    let compared = shared == 0 ? 0 : memcmp(base! + Int(x.start), base! + Int(y.start), shared)
                    return compared != 0 ? compared < 0 : x.count < y.count
                }
            }
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
