import CustodyCore

/// `bom-ref` → package node, keyed by UTF-8 bytes so that the JSON reader can resolve the
/// 300,000 `dependsOn` references of a large SBOM straight from the document's bytes, without
/// creating a `String` per reference (which was most of the cost of reading dependencies).
///
/// Open addressing over a power-of-two array of slots that hold everything a probe needs
/// (hash tag, node, key position), so a lookup touches one slot and the key's bytes: with
/// 100,000 refs the table is far larger than the cache. Keys live in one byte arena. Hashes
/// come from `Hasher` (seeded per process), so hostile `bom-ref`s cannot be chosen to collide.
struct BomRefIndex {
    private struct Slot {
        var tag: UInt32 = 0
        var node: LocalNodeID = -1
        var start: Int32 = 0
        var count: Int32 = 0
    }

    private var slots: [Slot]
    private var arena: [UInt8] = []
    private(set) var count = 0

    init(capacity: Int = 16) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: Slot(), count: size)
        arena.reserveCapacity(capacity * 16)
    }

    /// The node of `key`, if any.
    func node(for key: UnsafeBufferPointer<UInt8>) -> LocalNodeID? {
        let hash = Self.hash(key)
        return slots.withUnsafeBufferPointer { slots in
            arena.withUnsafeBufferPointer { arena in
                let mask = slots.count - 1
                var index = hash & mask
                while true {
                    let slot = slots[index]
                    if slot.node < 0 { return nil }
                    if Self.matches(slot, key, UInt32(truncatingIfNeeded: hash), arena) { return slot.node }
                    index = (index + 1) & mask
                }
            }
        }
    }

    func node(for key: String) -> LocalNodeID? {
        var key = key
        return key.withUTF8 { node(for: $0) }
    }

    /// Records `key` → `node` unless `key` is known; returns the node it already had.
    mutating func insert(_ key: String, _ node: LocalNodeID) -> LocalNodeID? {
        var key = key
        return key.withUTF8 { insert($0, node) }
    }

    private mutating func insert(_ key: UnsafeBufferPointer<UInt8>, _ node: LocalNodeID) -> LocalNodeID? {
        if let existing = self.node(for: key) { return existing }
        let hash = Self.hash(key)
        let start = Int32(arena.count)
        arena.append(contentsOf: key)
        place(Slot(tag: UInt32(truncatingIfNeeded: hash), node: node, start: start, count: Int32(key.count)), hash: hash)
        count += 1
        if count * 2 > slots.count { grow() }
        return nil
    }

    private mutating func place(_ slot: Slot, hash: Int) {
        let mask = slots.count - 1
        var index = hash & mask
        while slots[index].node >= 0 { index = (index + 1) & mask }
        slots[index] = slot
    }

    private static func matches(_ slot: Slot, _ key: UnsafeBufferPointer<UInt8>, _ tag: UInt32,
                                _ arena: UnsafeBufferPointer<UInt8>) -> Bool {
        guard slot.tag == tag, Int(slot.count) == key.count else { return false }
        let start = Int(slot.start)
        var index = 0
        while index < key.count {
            if arena[start + index] != key[index] { return false }
            index += 1
        }
        return true
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(), count: old.count * 2)
        for slot in old where slot.node >= 0 {
            let hash = arena.withUnsafeBufferPointer { Self.hash(UnsafeBufferPointer(rebasing: $0[Int(slot.start)..<Int(slot.start + slot.count)])) }
            place(slot, hash: hash)
        }
    }

    private static func hash(_ key: UnsafeBufferPointer<UInt8>) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(key))
        return hasher.finalize()
    }
}
