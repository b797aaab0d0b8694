/// A hash index of a batch's facts by position: each slot is one 64-bit word (32 bits of the
/// key's hash, the fact's position + 1), and the facts themselves settle equality. For
/// 400,000 edges it takes 4 MiB where `[UInt64: Int]` took 16 (a `Dictionary` keeps its load
/// under 3/4, so 400,000 keys got 2^20 buckets of 16 bytes).
///
/// Linear probing, load at most 4/5. Hashes come from `Hasher` (seeded per process), so
/// hostile input cannot choose keys that collide.
struct FactIndex: Sendable {
    private var slots: [UInt64] = []
    private(set) var count = 0

    /// Makes room for `capacity` facts without growing.
    mutating func reserve(_ capacity: Int) {
        guard capacity > count, Self.size(for: capacity) > slots.count else { return }
        rehash(size: Self.size(for: capacity))
    }

    /// The position of the fact with `hash` for which `matches` holds.
    func first(hash: Int, where matches: (Int) -> Bool) -> Int? {
        guard !slots.isEmpty else { return nil }
        let tag = UInt64(UInt32(truncatingIfNeeded: hash)) << 32
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var index = Int(truncatingIfNeeded: hash) & mask
            while slots[index] != 0 {
                if slots[index] & 0xFFFF_FFFF_0000_0000 == tag, matches(Int(slots[index] & 0xFFFF_FFFF) - 1) {
                    return Int(slots[index] & 0xFFFF_FFFF) - 1
                }
                index = (index + 1) & mask
            }
            return nil
        }
    }

    /// Records the fact at `position` (not in the index yet) under `hash`.
    mutating func insert(_ position: Int, hash: Int) {
        precondition(position < Int(UInt32.max), "a batch holds fewer than 2^32 facts")
        if (count + 1) * 5 > slots.count * 4 { rehash(size: Self.size(for: count + 1)) }
        place(UInt64(UInt32(truncatingIfNeeded: hash)) << 32 | UInt64(position + 1))
        count += 1
    }

    private mutating func place(_ slot: UInt64) {
        slots.withUnsafeMutableBufferPointer { slots in
            let mask = slots.count - 1
            // The tag is the hash's low 32 bits, so it also gives the home slot.
            var index = Int(slot >> 32) & mask
            while slots[index] != 0 { index = (index + 1) & mask }
            slots[index] = slot
        }
    }

    private mutating func rehash(size: Int) {
        let old = slots
        slots = Array(repeating: 0, count: size)
        for slot in old where slot != 0 { place(slot) }
    }

    /// The smallest power of two (at least 16) that holds `count` at a load of 4/5 or less.
    private static func size(for count: Int) -> Int {
        var size = 16
        while count * 5 > size * 4 { size <<= 1 }
        return size
    }
}
