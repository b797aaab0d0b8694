/// The text between the values of an object whose members are always the same names in the
/// same order, written at one depth (a workload row, a secret row, a path element): each
/// member's separator, newline, indentation and quoted name are laid out once. A large answer
/// writes tens of thousands of such objects, and the generic writer's per-member bookkeeping
/// (`JSONWriter.key`: separators, indentation, container state) was a fifth of the answer.
struct JSONObjectLayout {
    /// Per member, the text written before its value (`"name": ` after a separator).
    fileprivate let prefixes: [[UInt8]]
    /// The text after the last value (a newline and indentation, then `}`).
    fileprivate let closing: [UInt8]
    /// Whether the object stays on one line (written inside `JSONWriter.inline`).
    fileprivate let isInline: Bool

    /// - Parameters:
    ///   - names: the members, in the order they are written.
    ///   - depth: the writer's `indent` where the objects are written (the array holding
    ///     them); ignored for one-line objects.
    ///   - inline: laid out on one line, `{"a": 1, "b": 2}`, as inside `JSONWriter.inline`.
    init(_ names: [StaticString], depth: Int, inline: Bool = false) {
        isInline = inline
        prefixes = names.enumerated().map { index, name in
            var text = ByteBuffer(capacity: 64)
            if inline {
                if index > 0 { text.append(contentsOf: [0x2C, 0x20]) }
            } else {
                if index > 0 { text.append(0x2C) }
                text.append(0x0A)
                JSONWriter.appendIndentation(depth + 1, to: &text)
            }
            text.append(0x22)
            text.append(UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            text.append(contentsOf: [0x22, 0x3A, 0x20])
            return text.array
        }
        var closing = ByteBuffer(capacity: 64)
        if !inline && !names.isEmpty {
            closing.append(0x0A)
            JSONWriter.appendIndentation(depth, to: &closing)
        }
        closing.append(0x7D)
        self.closing = closing.array
    }
}

/// The members of one object of a `JSONObjectLayout`, given in the layout's order.
struct JSONLaidOutMembers {
    fileprivate var bytes: ByteBuffer
    fileprivate let layout: JSONObjectLayout
    fileprivate var next = 0

    private mutating func member() {
        bytes.append(contentsOf: layout.prefixes[next])
        next += 1
    }

    mutating func string(_ value: String?) {
        member()
        if let value { JSONWriter.appendQuoted(value, to: &bytes) } else { bytes.append(contentsOf: JSONLaidOutMembers.null) }
    }

    mutating func bool(_ value: Bool) {
        member()
        bytes.append(contentsOf: value ? JSONLaidOutMembers.true : JSONLaidOutMembers.false)
    }

    /// An array of strings on one line, as `JSONWriter.strings` writes it.
    mutating func strings(_ values: [String]) {
        member()
        bytes.append(0x5B)
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(0x2C); bytes.append(0x20) }
            JSONWriter.appendQuoted(value, to: &bytes)
        }
        bytes.append(0x5D)
    }

    private static let null = Array("null".utf8)
    private static let `true` = Array("true".utf8)
    private static let `false` = Array("false".utf8)
}

extension JSONWriter {
    /// Writes one object of `layout` as the next value; `body` gives every member's value,
    /// in the layout's order. The same text as `object` with `key` before each value.
    mutating func object(_ layout: JSONObjectLayout, _ body: (inout JSONLaidOutMembers) -> Void) {
        if layout.isInline { inline { $0.beginValue() } } else { beginValue() }
        bytes.append(0x7B)
        var members = JSONLaidOutMembers(bytes: .empty, layout: layout)
        swap(&bytes, &members.bytes)
        body(&members)
        swap(&bytes, &members.bytes)
        assert(members.next == layout.prefixes.count, "every member of the layout is written")
        bytes.append(contentsOf: layout.closing)
        if !layout.isInline { flushIfFull() }
    }

    /// An array of values already written as JSON text (pieces of a larger buffer), each on
    /// the array's first line: `[a, b` and `]` on the next line, as `array` writes values
    /// each wrapped in `inline`.
    mutating func array(ofRaw pieces: some Sequence<UnsafeBufferPointer<UInt8>>) {
        beginValue()
        bytes.append(0x5B)
        var first = true
        for piece in pieces {
            if !first { bytes.append(0x2C); bytes.append(0x20) }
            first = false
            bytes.append(piece)
        }
        if !first {
            bytes.append(0x0A)
            Self.appendIndentation(indent, to: &bytes)
        }
        bytes.append(0x5D)
        flushIfFull()
    }
}
