/// Growable bytes for `JSONWriter`: an append is a capacity test and a copy into memory the
/// buffer allocated itself. A large answer appends ~500,000 pieces (values, names,
/// separators); `Array`'s append re-checks uniqueness and capacity through generic paths on
/// each, which was about a third of writing the JSON.
///
/// Copies of a buffer share its memory until one of them grows: keep one (the writer moves
/// it, never copies it).
struct ByteBuffer {
    /// The memory, immutable once allocated: growing allocates a new one. Reading a class's
    /// `let` needs no exclusivity check, and holding it keeps the memory alive while in use.
    private final class Memory {
        let start: UnsafeMutablePointer<UInt8>
        let capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            start = .allocate(capacity: capacity)
        }

        deinit { start.deallocate() }
    }

    private var memory: Memory
    private(set) var count = 0

    init(capacity: Int) {
        memory = Memory(capacity: max(capacity, 64))
    }

    /// A buffer with no memory of its own yet, to swap a real one into (nothing allocated).
    static var empty: ByteBuffer { ByteBuffer(memory: noMemory) }

    /// Shared by every empty buffer and never written: it holds no bytes, so an append to
    /// such a buffer allocates memory of its own first.
    nonisolated(unsafe) private static let noMemory = Memory(capacity: 0)

    private init(memory: Memory) {
        self.memory = memory
    }

    var isEmpty: Bool { count == 0 }
    var last: UInt8? { count > 0 ? memory.start[count - 1] : nil }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == memory.capacity { grow(toHold: count + 1) }
        memory.start[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        if count + bytes.count > memory.capacity { grow(toHold: count + bytes.count) }
        (memory.start + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    mutating func append(contentsOf bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    mutating func append(contentsOf text: String.UTF8View) {
        var text = String(text)
        text.withUTF8 { append($0) }
    }

    /// Forgets the bytes, keeping the memory.
    mutating func removeAll() {
        count = 0
    }

    func withUnsafeBufferPointer<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(memory) { try body(UnsafeBufferPointer(start: memory.start, count: count)) }
    }

    /// The bytes, copied into an array.
    var array: [UInt8] { withUnsafeBufferPointer { Array($0) } }

    private mutating func grow(toHold needed: Int) {
        var capacity = max(memory.capacity * 2, 64)
        while capacity < needed { capacity *= 2 }
        let grown = Memory(capacity: capacity)
        grown.start.initialize(from: memory.start, count: count)
        memory = grown
    }
}
