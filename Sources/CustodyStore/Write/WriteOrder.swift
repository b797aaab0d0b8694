import CustodyCore

/// The order in which a bulk load gives rows to SQLite's unique indexes: sorted the way the
/// index is, each insert appends to `UNIQUE(kind, key)` and `UNIQUE(src, kind, dst,
/// qualifier)` instead of landing on a random page. Only speed depends on the order (SQLite
/// compares TEXT bytewise; Swift's `<` agrees for ASCII, which keys nearly always are).
enum WriteOrder {
    /// Node indexes sorted by kind and key.
    static func nodes(_ nodes: [NodeFact]) -> [Int32] {
        let kinds = nodes.map { kindRank(ofNode: $0.ref.kind) }
        let keys = nodes.map(\.ref.key)
        var order = Array(0..<Int32(nodes.count))
        kinds.withUnsafeBufferPointer { kinds in
            keys.withUnsafeBufferPointer { keys in
                order.sort { a, b in
                    let x = Int(a), y = Int(b)
                    if kinds[x] != kinds[y] { return kinds[x] < kinds[y] }
                    return keys[x] < keys[y]
                }
            }
        }
        return order
    }

    /// Edge indexes sorted by stored source id, kind, stored destination id and qualifier.
    /// `nodeIDs` are those of a bulk load: below 2^28, so that one integer holds the first three.
    static func edges(_ edges: [EdgeFact], nodeIDs: [Int64]) -> [Int32] {
        var keyed = [(key: UInt64, index: Int32)]()
        keyed.reserveCapacity(edges.count)
        for (index, edge) in edges.enumerated() {
            let key = UInt64(nodeIDs[Int(edge.from)]) << 36 | UInt64(edgeRank[edge.kind]!) << 28 | UInt64(nodeIDs[Int(edge.to)])
            keyed.append((key, Int32(index)))
        }
        keyed.sort { a, b in
            if a.key != b.key { return a.key < b.key }
            return edges[Int(a.index)].qualifier < edges[Int(b.index)].qualifier
        }
        return keyed.map(\.index)
    }

    /// Each edge kind's position among the kinds' raw values in byte order.
    fileprivate static let edgeRank: [EdgeKind: UInt8] = {
        let sorted = EdgeKind.allCases.sorted { $0.rawValue < $1.rawValue }
        return Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, UInt8($0)) })
    }()

    private static let nodeRank: [NodeKind: UInt8] = {
        let sorted = NodeKind.allCases.sorted { $0.rawValue < $1.rawValue }
        return Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, UInt8($0)) })
    }()

    private static func kindRank(ofNode kind: NodeKind) -> UInt8 { nodeRank[kind]! }
}

extension WriteOrder {
    /// Edge indexes sorted by stored source id, kind, stored destination id and qualifier, for
    /// ids of any size (a graph that already holds facts).
    static func edges(_ edges: [EdgeFact], storedIDs nodeIDs: [Int64]) -> [Int32] {
        var keyed = [(src: Int64, low: UInt64, index: Int32)]()
        keyed.reserveCapacity(edges.count)
        for (index, edge) in edges.enumerated() {
            let low = UInt64(rank(of: edge.kind)) << 56 | UInt64(nodeIDs[Int(edge.to)])
            keyed.append((nodeIDs[Int(edge.from)], low, Int32(index)))
        }
        keyed.sort { a, b in
            if a.src != b.src { return a.src < b.src }
            if a.low != b.low { return a.low < b.low }
            return edges[Int(a.index)].qualifier < edges[Int(b.index)].qualifier
        }
        return keyed.map(\.index)
    }

    static func rank(of kind: EdgeKind) -> UInt8 { edgeRank[kind]! }
}
