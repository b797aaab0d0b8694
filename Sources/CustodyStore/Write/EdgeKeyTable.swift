/// An open-addressing hash table from packed edge keys (never 0) to `EdgeIdentityCache.Entry`,
/// each slot one 32-byte record: a probe usually touches one cache line, where `Dictionary`
/// touches its bitmap, key and value arrays (three misses on a table of tens of MiB) and hashes
/// with SipHash. Keys are spread by a Fibonacci multiply; collisions probe linearly. Entries
/// are never removed one by one (the cache is dropped as a whole).
struct EdgeKeyTable: Sendable {
    private struct Slot: Sendable {
        /// 0: empty.
        var key: UInt64
        var entry: EdgeIdentityCache.Entry
    }

    private var slots: [Slot] = []
    /// log2 of `slots.count`; the hash's top `bits` bits pick the first slot.
    private var bits = 0
    private(set) var count = 0

    private static let initialBits = 16

    subscript(key: UInt64) -> EdgeIdentityCache.Entry? {
        guard !slots.isEmpty else { return nil }
        return slots.withUnsafeBufferPointer { slots in
            var index = first(key)
            let mask = slots.count - 1
            while true {
                let slot = slots[index]
                if slot.key == key { return slot.entry }
                if slot.key == 0 { return nil }
                index = (index + 1) & mask
            }
        }
    }

    func contains(_ key: UInt64) -> Bool { self[key] != nil }

    /// Adds `entry` under `key` (not 0), or replaces the one there.
    mutating func insert(_ key: UInt64, _ entry: EdgeIdentityCache.Entry) {
        precondition(key != 0, "0 marks an empty slot")
        if (count + 1) * 4 > slots.count * 3 { grow() }
        let first = first(key)
        let added = slots.withUnsafeMutableBufferPointer { slots in
            var index = first
            let mask = slots.count - 1
            while true {
                if slots[index].key == key {
                    slots[index].entry = entry
                    return false
                }
                if slots[index].key == 0 {
                    slots[index] = Slot(key: key, entry: entry)
                    return true
                }
                index = (index + 1) & mask
            }
        }
        if added { count += 1 }
    }

    @inline(__always)
    private func first(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - bits))
    }

    /// Doubles the slots (or makes the first ones) and puts every entry back.
    private mutating func grow() {
        let old = slots
        bits = old.isEmpty ? Self.initialBits : bits + 1
        slots = Array(repeating: Slot(key: 0, entry: .unused), count: 1 << bits)
        count = 0
        for slot in old where slot.key != 0 {
            insert(slot.key, slot.entry)
        }
    }
}
