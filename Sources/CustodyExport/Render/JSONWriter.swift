/// Writes JSON text directly into a byte buffer. Answers of a large blast radius hold tens of
/// thousands of rows and paths; Foundation's `JSONEncoder` spends seconds on them, this
/// milliseconds. Objects and arrays are laid out one member per line (2-space indent), except
/// inside `inline`, where a small object (a path element) stays on one line.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    private var indent = 0
    private var inlineDepth = 0
    /// Whether the current container already has a member (a comma is due).
    private var hasMember: [Bool] = []

    init(capacity: Int = 1 << 16) {
        bytes.reserveCapacity(capacity)
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }

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

    /// Starts a member of the current object.
    mutating func key(_ name: String) {
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

    /// Writes a value already rendered as JSON text (by a writer with no open container).
    mutating func raw(_ value: [UInt8]) {
        beginValue()
        bytes.append(contentsOf: value)
    }

    mutating func strings(_ values: [String]) {
        inline { writer in writer.array { for value in values { $0.string(value) } } }
    }

    // MARK: layout

    private var pendingValueAfterKey = false

    private mutating func beginValue() {
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
    }

    private mutating func newline() {
        if inlineDepth > 0 {
            if bytes.last == 0x2C { bytes.append(0x20) }
            return
        }
        bytes.append(0x0A)
        for _ in 0..<indent { bytes.append(0x20); bytes.append(0x20) }
    }

    private mutating func appendString(_ text: String) {
        bytes.append(0x22)
        var text = text
        let plain = text.withUTF8 { buffer in
            // Most keys and values need no escaping: copy them in one go.
            guard !buffer.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return false }
            bytes.append(contentsOf: buffer)
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
                bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(0x22)
    }
}
