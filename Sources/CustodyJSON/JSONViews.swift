/// Collections over arrays and objects that walk the tape in place.
///
/// They are forward-only because elements have variable tape width, but `count` is O(1)
/// (stored on the tape) and stepping over a nested container is O(1) (containers record
/// where they end), so iterating a 100,000-element array costs 100,000 steps.

/// Position in a `JSONArrayView` or object view: a tape index.
public struct JSONTapePosition: Comparable, Hashable, Sendable {
    let tapeIndex: Int
    public static func < (a: Self, b: Self) -> Bool { a.tapeIndex < b.tapeIndex }
}

/// The elements of an array, in order. Empty for non-arrays.
public struct JSONArrayView: Collection, Sendable {
    public typealias Index = JSONTapePosition
    let document: JSONDocument
    let start: Int
    let end: Int
    /// O(1).
    public let count: Int

    init(document: JSONDocument, start: Int, end: Int, count: Int) {
        self.document = document
        self.start = start
        self.end = end
        self.count = count
    }

    public var startIndex: Index { Index(tapeIndex: start) }
    public var endIndex: Index { Index(tapeIndex: end) }
    public var isEmpty: Bool { count == 0 }
    public var underestimatedCount: Int { count }

    public subscript(position: Index) -> JSONValue {
        JSONValue(document: document, index: position.tapeIndex)
    }

    public func index(after i: Index) -> Index {
        Index(tapeIndex: JSONValue.skip(document.tape, i.tapeIndex))
    }
}

/// The members of an object with keys as `JSONValue` strings, for allocation-free key
/// tests via `keyEquals`. Empty for non-objects.
public struct JSONRawMembersView: Collection, Sendable {
    public typealias Index = JSONTapePosition
    public typealias Element = (key: JSONValue, value: JSONValue)
    let document: JSONDocument
    let start: Int
    let end: Int
    /// O(1).
    public let count: Int

    init(document: JSONDocument, start: Int, end: Int, count: Int) {
        self.document = document
        self.start = start
        self.end = end
        self.count = count
    }

    public var startIndex: Index { Index(tapeIndex: start) }
    public var endIndex: Index { Index(tapeIndex: end) }
    public var isEmpty: Bool { count == 0 }
    public var underestimatedCount: Int { count }

    public subscript(position: Index) -> Element {
        (JSONValue(document: document, index: position.tapeIndex),
         JSONValue(document: document, index: position.tapeIndex + 1))
    }

    public func index(after i: Index) -> Index {
        // A member is a key word followed by its value's subtree.
        Index(tapeIndex: JSONValue.skip(document.tape, i.tapeIndex + 1))
    }
}

/// The members of an object with decoded `String` keys, in document order (duplicates
/// included). Empty for non-objects.
public struct JSONObjectView: Collection, Sendable {
    public typealias Index = JSONTapePosition
    public typealias Element = (key: String, value: JSONValue)
    let raw: JSONRawMembersView

    /// O(1).
    public var count: Int { raw.count }
    public var startIndex: Index { raw.startIndex }
    public var endIndex: Index { raw.endIndex }
    public var isEmpty: Bool { raw.isEmpty }
    public var underestimatedCount: Int { raw.count }

    public subscript(position: Index) -> Element {
        let (key, value) = raw[position]
        return (key.string ?? "", value)
    }

    public func index(after i: Index) -> Index { raw.index(after: i) }
}
