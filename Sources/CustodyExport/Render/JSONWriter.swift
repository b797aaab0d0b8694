/// Writes JSON text directly into a byte buffer. Answers of a large blast radius hold tens of
/// thousands of rows and paths; Foundation's `JSONEncoder` spends seconds on them, this
/// milliseconds. Objects and arrays are laid out one member per line (2-space indent), except
/// inside `inline`, where a small object (a path element) stays on one line.
struct JSONWriter {
    var bytes: ByteBuffer
    private(set) var indent = 0
    private var inlineDepth = 0
    /// Whether the current container already has a member (a comma is due).
    private var hasMember: [Bool] = []

    /// Where full buffers go (`flushAt`), or nil to keep the whole text in `bytes`.
    private let sink: ((UnsafeBufferPointer<UInt8>) -> Void)?
    private let flushAt: Int

    init(capacity: Int = 1 << 16) {
        sink = nil
        flushAt = .max
        bytes = ByteBuffer(capacity: capacity)
    }

    /// A writer that hands its text to `sink` in pieces of about `flushAt` bytes, each after
    /// a complete value: a large answer is tens of megabytes, and one buffer of that size
    /// cost more in fresh pages (faults, zeroing) than writing it out in cache-sized pieces.
    init(flushAt: Int, sink: @escaping (UnsafeBufferPointer<UInt8>) -> Void) {
        self.sink = sink
        self.flushAt = flushAt
        bytes = ByteBuffer(capacity: flushAt + flushAt / 4)
    }

    /// Hands what is left to the sink (a writer with one).
    mutating func finish() {
        guard let sink, !bytes.isEmpty else { return }
        bytes.withUnsafeBufferPointer(sink)
        bytes.removeAll()
    }

    var text: String { bytes.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) } }

    mutating func object(_ body: (inout JSONWriter) -> Void) {
        open(0x7B)
        body(&self)
        close(0x7D)
    }

    mutating func array(_ body: (inout JSONWriter) -> Void) {
        open(0x5B)
        body(&self)
        close(0x5D)
    }

    /// Writes the value produced by `body` on one line.
    mutating func inline(_ body: (inout JSONWriter) -> Void) {
        inlineDepth += 1
        body(&self)
        inlineDepth -= 1
    }

    /// Starts a member of the current object, named by the program: copied as is (the
    /// names are plain ASCII), not scanned for characters to escape as values are.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(0x22)
        bytes.append(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(0x22)
        bytes.append(0x3A)
        bytes.append(0x20)
        pendingValueAfterKey = true
    }

    /// Starts a member named by data (escaped like any string).
    mutating func key(text name: String) {
        separate()
        appendString(name)
        bytes.append(0x3A)
        bytes.append(0x20)
        pendingValueAfterKey = true
    }

    mutating func string(_ value: String?) {
        guard let value else { return null() }
        beginValue()
        appendString(value)
    }

    mutating func int(_ value: Int?) {
        guard let value else { return null() }
        beginValue()
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func bool(_ value: Bool?) {
        guard let value else { return null() }
        beginValue()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    mutating func null() {
        beginValue()
        bytes.append(contentsOf: "null".utf8)
    }

    /// Ends the document with a newline.
    mutating func newlineAtEnd() {
        bytes.append(0x0A)
    }

    /// Writes a value already rendered as JSON text (by a writer with no open container),
    /// from a piece of a larger buffer.
    mutating func raw(_ value: UnsafeBufferPointer<UInt8>) {
        beginValue()
        bytes.append(value)
    }

    mutating func strings(_ values: [String]) {
        inline { writer in writer.array { for value in values { $0.string(value) } } }
    }

    // MARK: layout

    private var pendingValueAfterKey = false

    mutating func beginValue() {
        if pendingValueAfterKey {
            pendingValueAfterKey = false
        } else {
            separate()
        }
    }

    private mutating func separate() {
        guard !hasMember.isEmpty else { return }
        if hasMember[hasMember.count - 1] { bytes.append(0x2C) }
        hasMember[hasMember.count - 1] = true
        newline()
    }

    private mutating func open(_ byte: UInt8) {
        beginValue()
        bytes.append(byte)
        hasMember.append(false)
        indent += 1
    }

    private mutating func close(_ byte: UInt8) {
        indent -= 1
        let hadMembers = hasMember.removeLast()
        if hadMembers { newline() }
        bytes.append(byte)
        flushIfFull()
    }

    /// Hands the text to the sink once it has `flushAt` bytes. Called only after a complete
    /// value outside `inline`, where the layout never looks back at the last byte written
    /// (`newline` does, inside `inline`).
    mutating func flushIfFull() {
        if inlineDepth == 0, bytes.count >= flushAt, let sink {
            bytes.withUnsafeBufferPointer(sink)
            bytes.removeAll()
        }
    }

    private mutating func newline() {
        if inlineDepth > 0 {
            if bytes.last == 0x2C { bytes.append(0x20) }
            return
        }
        bytes.append(0x0A)
        Self.appendIndentation(indent, to: &bytes)
    }

    static func appendIndentation(_ depth: Int, to bytes: inout ByteBuffer) {
        if depth * 2 <= spaces.count {
            bytes.append(contentsOf: spaces[0..<(depth * 2)])
        } else {
            for _ in 0..<depth { bytes.append(0x20); bytes.append(0x20) }
        }
    }

    private static let spaces = [UInt8](repeating: 0x20, count: 64)

    private mutating func appendString(_ text: String) {
        Self.appendQuoted(text, to: &bytes)
    }

    /// `text` as a JSON string.
    static func appendQuoted(_ text: String, to bytes: inout ByteBuffer) {
        bytes.append(0x22)
        var text = text
        let plain = text.withUTF8 { buffer in
            // Most keys and values need no escaping: copy them in one go.
            if needsEscaping(buffer) { return false }
            bytes.append(buffer)
            return true
        }
        if plain {
            bytes.append(0x22)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case 0x22: bytes.append(0x5C); bytes.append(0x22)
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
            case 0x0A: bytes.append(0x5C); bytes.append(0x6E)
            case 0x0D: bytes.append(0x5C); bytes.append(0x72)
            case 0x09: bytes.append(0x5C); bytes.append(0x74)
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                for escaped in [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]] { bytes.append(escaped) }
            default: bytes.append(byte)
            }
        }
        bytes.append(0x22)
    }

    /// Whether `text` holds a byte JSON escapes (a control character, `"` or `\`). Eight bytes
    /// are tested at a time (the "has a byte less than / equal to" word tricks): every value of
    /// a large answer passes through here, ~14 MB of them, and a byte at a time cost a tenth
    /// of writing the answer. A word never reports no such byte when it holds one.
    static func needsEscaping(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = 0
        while index + 8 <= text.count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let control = (word &- ones &* 0x20) & ~word
            let found = control | ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
            if found & highs != 0 { return true }
            index += 8
        }
        while index < text.count {
            let byte = text[index]
            if byte < 0x20 || byte == 0x22 || byte == 0x5C { return true }
            index += 1
        }
        return false
    }
}
