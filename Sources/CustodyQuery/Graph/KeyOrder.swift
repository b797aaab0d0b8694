import Foundation

/// Sorts many strings in `String` order, faster: when every one is ASCII, their bytes are
/// copied into one buffer and compared with `memcmp` (ASCII needs no Unicode normalization,
/// so byte order is `String` order there); otherwise `String`'s own `<`. Sorting the keys of
/// a large answer (thousands of workloads, secrets, path ends) with `<` cost a tenth of it.
enum KeyOrder {
    /// The positions of `keys` in ascending order; equal keys keep their relative order.
    static func sortedIndices(_ keys: [String]) -> [Int] {
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
            let base = all.baseAddress
            return Array(keys.indices).sorted { a, b in
                let (x, y) = (bounds[a], bounds[b])
                guard let base else { return x.count < y.count }
                let order = memcmp(base + x.start, base + y.start, min(x.count, y.count))
                return order != 0 ? order < 0 : x.count < y.count
            }
        }
    }
}
