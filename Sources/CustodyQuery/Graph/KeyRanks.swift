/// Nodes numbered in the order of their keys, equal keys (as `String` compares them) equal
/// numbers: sorting tens of thousands of rows by the ranks of the nodes they name gives the
/// order of sorting them by those nodes' keys, with integer comparisons instead of string
/// ones, and each distinct key is compared only while ranking.
struct KeyRanks {
    private(set) var rank: [Int64: Int32] = [:]
    /// The key of each rank (the first in sorted order among equal ones).
    private(set) var keys: [String] = []

    init(_ ids: some Sequence<Int64>, in graph: GraphAccess) {
        var entries: [(id: Int64, key: String)] = []
        for id in Set(ids) { if let node = graph.nodes[id] { entries.append((id, node.ref.key)) } }
        entries.sort { $0.key < $1.key }
        rank.reserveCapacity(entries.count)
        for (index, entry) in entries.enumerated() {
            if index == 0 || entries[index - 1].key < entry.key { keys.append(entry.key) }
            rank[entry.id] = Int32(keys.count - 1)
        }
    }

    subscript(id: Int64) -> Int32? { rank[id] }
}
