import Foundation

/// Sorts many strings in `String` order, faster: when every one is ASCII, their bytes are
/// copied into one buffer and compared as bytes (ASCII needs no Unicode normalization, so
/// byte order is `String` order there); otherwise `String`'s own `<`. Sorting the keys of a
/// large answer (thousands of workloads, secrets, path ends) with `<` cost a tenth of it; the
/// graph writer puts a batch's nodes in index order with it (`WriteOrder`).
public enum KeyOrder {
    /// The positions of `keys` in ascending order; equal keys keep their relative order.
    public static func sortedIndices(_ keys: [String]) -> [Int] {
        var bytes: [UInt8] = []
        var bounds: [(start: Int, count: Int)] = []
        bounds.reserveCapacity(keys.count)
        for key in keys {
            var key = key
            let ascii = key.withUTF8 { utf8 -> Bool in
                for byte in utf8 where byte >= 0x80 { return false }
                bounds.append((bytes.count, utf8.count))
                bytes.append(contentsOf: utf8)
                return true
            }
            if !ascii { return Array(keys.indices).sorted { keys[$0] < keys[$1] } }
        }
        return bytes.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return Array(keys.indices) }
            // Keys of one kind share a long beginning ("sha256:", "cluster"): the eight bytes
            // after what all of them share decide most comparisons as one integer comparison.
            let shared = sharedPrefixCount(all, bounds)
            var entries = bounds.indices.map { index in
                Entry(word: word(base, bounds[index], from: shared), index: Int32(index))
            }
            entries.sort { a, b in
                if a.word != b.word { return a.word < b.word }
                let (x, y) = (bounds[Int(a.index)], bounds[Int(b.index)])
                let order = memcmp(base + x.start, base + y.start, min(x.count, y.count))
                return order != 0 ? order < 0 : x.count < y.count
            }
            return entries.map { Int($0.index) }
        }
    }

    private struct Entry {
        /// Eight bytes of the key after the shared beginning, the first the most significant,
        /// zeros past its end: unequal words order as the keys do.
        var word: UInt64
        var index: Int32
    }

    /// How many leading bytes every key has in common.
    private static func sharedPrefixCount(_ all: UnsafeBufferPointer<UInt8>, _ bounds: [(start: Int, count: Int)]) -> Int {
        guard let first = bounds.first else { return 0 }
        var shared = first.count
        for bound in bounds.dropFirst() {
            shared = min(shared, bound.count)
            var index = 0
            while index < shared, all[first.start + index] == all[bound.start + index] { index += 1 }
            shared = index
            if shared == 0 { break }
        }
        return shared
    }

    private static func word(_ base: UnsafePointer<UInt8>, _ bound: (start: Int, count: Int), from offset: Int) -> UInt64 {
        var word: UInt64 = 0
        for index in offset..<(offset + 8) {
            word = word << 8 | (index < bound.count ? UInt64(base[bound.start + index]) : 0)
        }
        return word
    }
}
