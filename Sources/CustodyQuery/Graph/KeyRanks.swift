import CustodyCore
import Foundation

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
        let order = KeyOrder.sortedIndices(entries.map(\.key))
        rank.reserveCapacity(entries.count)
        var previous: String?
        for index in order {
            let entry = entries[index]
            if let previous, !(previous < entry.key) {
                // Equal to the one before (as `String` compares): the same rank.
            } else {
                keys.append(entry.key)
            }
            previous = entry.key
            rank[entry.id] = Int32(keys.count - 1)
        }
    }

    subscript(id: Int64) -> Int32? { rank[id] }

    /// Whether some key holds a NUL byte (hostile input, which some orderings treat apart).
    /// Searched with `memchr`: a byte at a time through `String.UTF8View` cost more than
    /// ranking when the ranks cover every node of a large answer.
    var anyKeyHoldsNUL: Bool {
        keys.contains { key in
            var key = key
            return key.withUTF8 { bytes in bytes.baseAddress.map { memchr($0, 0, bytes.count) != nil } ?? false }
        }
    }
}
