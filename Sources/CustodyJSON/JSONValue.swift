/// A cheap handle on one value of a `JSONDocument`: the document plus a tape index.
///
/// Handles are two words, allocation-free to create and navigate; they keep the document
/// alive. Accessors of the wrong type return nil (or an empty view) rather than throwing,
/// because shape checks are the ingestor's concern.
public struct JSONValue: Sendable {
    public enum Kind: Sendable, Equatable { case object, array, string, number, bool, null }

    public let document: JSONDocument
    /// Position of this value on the tape; stable for the lifetime of the document.
    public let tapeIndex: Int

    init(document: JSONDocument, index: Int) {
        self.document = document
        self.tapeIndex = index
    }

    @inline(__always) var word: UInt64 { document.tape[tapeIndex] }

    public var kind: Kind { Self.kind(of: word) }

    @inline(__always) static func kind(of word: UInt64) -> Kind {
        switch Tape.kind(word) {
        case .object: .object
        case .array: .array
        case .string: .string
        case .number: .number
        case .trueValue, .falseValue: .bool
        case .null: .null
        }
    }

    public var isObject: Bool { Tape.kind(word) == .object }
    public var isArray: Bool { Tape.kind(word) == .array }
    public var isNull: Bool { Tape.kind(word) == .null }

    /// Byte offset of the value's first character (quote, bracket, digit…) in the input.
    public var byteOffset: Int { Tape.offset(word) }

    /// 1-based line and column of the value, for messages. O(offset).
    public var location: (line: Int, column: Int) { document.lineAndColumn(ofByte: byteOffset) }

    /// A `JSONError` pointing at this value, e.g. `value.error("expected a string")`.
    public func error(_ message: String) -> JSONError { document.error(message, atByte: byteOffset) }

    public var bool: Bool? {
        switch Tape.kind(word) {
        case .trueValue: true
        case .falseValue: false
        default: nil
        }
    }

    /// Elements of an array or members of an object (O(1), stored on the tape); 0 otherwise.
    public var count: Int {
        let k = Tape.kind(word)
        guard k == .object || k == .array else { return 0 }
        return Tape.count(ofInfo: document.tape[tapeIndex + 1])
    }

    /// Tape index just past this value's subtree.
    @inline(__always) var endIndex: Int {
        let k = Tape.rawKind(word)
        if k == TapeKind.object.rawValue || k == TapeKind.array.rawValue {
            return Tape.end(ofInfo: document.tape[tapeIndex + 1])
        }
        return tapeIndex + 1
    }

    // MARK: - Navigation

    /// Array elements in order; empty for non-arrays.
    public var elements: JSONArrayView {
        guard isArray else { return JSONArrayView(document: document, start: 0, end: 0, count: 0) }
        return JSONArrayView(document: document, start: tapeIndex + 2, end: endIndex, count: count)
    }

    /// Object members in document order, keys decoded to `String`; empty for non-objects.
    /// Use `rawMembers` when most keys are only compared, never kept.
    public var members: JSONObjectView { JSONObjectView(raw: rawMembers) }

    /// Object members with the key as a `JSONValue`, so keys can be tested with
    /// `keyEquals` without building a `String`.
    public var rawMembers: JSONRawMembersView {
        guard isObject else { return JSONRawMembersView(document: document, start: 0, end: 0, count: 0) }
        return JSONRawMembersView(document: document, start: tapeIndex + 2, end: endIndex, count: count)
    }

    /// The value of the first member named `key`; nil if missing or not an object.
    /// O(members): keys are compared as bytes, no `String` is built.
    public subscript(key: String) -> JSONValue? {
        guard isObject else { return nil }
        var key = key
        return key.withUTF8 { member(utf8Key: $0) }
    }

    /// The element at `index`; nil if out of range or not an array.
    /// O(index) because elements are skipped one subtree at a time; iterate `elements`
    /// to visit them all.
    public subscript(index: Int) -> JSONValue? {
        guard isArray, index >= 0, index < count else { return nil }
        let tape = document.tape
        var i = tapeIndex + 2
        for _ in 0..<index { i = Self.skip(tape, i) }
        return JSONValue(document: document, index: i)
    }

    /// Compares keys on the tape and input bytes directly (length first, then bytes), with no
    /// value or reference count per key looked at: readers of Kubernetes pods and SBOM
    /// components look up a few dozen members per object. Keys with escapes go through
    /// `keyEquals`, which decodes them.
    func member(utf8Key key: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        let document = self.document
        let start = tapeIndex
        let found: Int? = document.tape.withUnsafeBufferPointer { tape in
            document.bytes.withUnsafeBufferPointer { bytes in
                let end = Tape.end(ofInfo: tape[start + 1])
                var i = start + 2
                while i < end {
                    let w = tape[i]
                    if Tape.flag(w) {
                        if JSONValue(document: document, index: i).keyEquals(utf8: key) { return i + 1 }
                    } else if Tape.length(w) == key.count, key.count < Tape.lengthMask,
                              Self.bytesEqual(bytes.baseAddress.unsafelyUnwrapped + Tape.offset(w) + 1, key) {
                        return i + 1
                    }
                    // Step over the member's value (a container records where it ends).
                    let v = tape[i + 1]
                    let k = Tape.rawKind(v)
                    i = k == TapeKind.object.rawValue || k == TapeKind.array.rawValue ? Tape.end(ofInfo: tape[i + 2]) : i + 2
                }
                return nil
            }
        }
        return found.map { JSONValue(document: document, index: $0) }
    }

    @inline(__always)
    static func bytesEqual(_ a: UnsafePointer<UInt8>, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < key.count {
            if a[i] != key[i] { return false }
            i += 1
        }
        return true
    }

    /// Tape index after the value at `i`.
    @inline(__always)
    static func skip(_ tape: ContiguousArray<UInt64>, _ i: Int) -> Int {
        let k = Tape.rawKind(tape[i])
        if k == TapeKind.object.rawValue || k == TapeKind.array.rawValue { return Tape.end(ofInfo: tape[i + 1]) }
        return i + 1
    }
}
