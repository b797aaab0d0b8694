import CustodyCore
import CustodyJSON

/// A JSON value of a Kubernetes document together with the way to its JSON pointer, so that
/// every type check can reject the document with the exact place (`/items/3/spec/containers/0/image`).
///
/// Kubernetes is strict about its own schema, so a field with the wrong type is not a record to
/// skip but a sign that the file is not what it claims (or was tampered with): the document is
/// rejected. Absent and `null` fields are simply absent, as the API server treats them.
///
/// The pointer is computed only when asked for (an error, or the one location a fact keeps):
/// a value carries the pointer of an ancestor (its *anchor*, e.g. the list item it is in) and
/// the path below it is recovered from the tape. Building it for every field visited was most
/// of the cost of reading a 10,000-pod snapshot.
struct KubeValue {
    let value: JSONValue
    /// An ancestor of `value` (or `value` itself) with its pointer, shared by every value read
    /// below it: a copy of a `KubeValue` then costs two reference counts, not four.
    private let anchor: KubeAnchor

    var origin: KubeOrigin { anchor.origin }

    init(value: JSONValue, pointer: String, origin: KubeOrigin) {
        self.value = value
        anchor = KubeAnchor(value: value, pointer: pointer, origin: origin)
    }

    private init(value: JSONValue, anchoredAt parent: KubeValue) {
        self.value = value
        anchor = parent.anchor
    }

    /// The JSON pointer of this value (`/items/3/status`).
    var pointer: String {
        if anchor.value.tapeIndex == value.tapeIndex { return anchor.pointer }
        return anchor.pointer + (anchor.value.relativePointer(to: value) ?? "")
    }

    /// A member of this object; nil when absent or null, a rejection when this is not an object.
    func member(_ key: String) -> KubeValue? {
        guard let child = value[key], !child.isNull else { return nil }
        return KubeValue(value: child, anchoredAt: self)
    }

    func string(_ key: String) throws -> String? {
        // Scalars are read without building a child (and its pointer) unless they are wrong.
        guard let child = value[key], !child.isNull else { return nil }
        guard let text = child.string else {
            throw reject("\(key) must be a string, found \(KubeValue.describe(child.kind))", at: child, key)
        }
        return text
    }

    func bool(_ key: String) throws -> Bool? {
        guard let child = value[key], !child.isNull else { return nil }
        guard let flag = child.bool else {
            throw reject("\(key) must be true or false, found \(KubeValue.describe(child.kind))", at: child, key)
        }
        return flag
    }

    func object(_ key: String) throws -> KubeValue? {
        guard let child = member(key) else { return nil }
        guard child.value.isObject else {
            throw child.reject("\(key) must be an object, found \(KubeValue.describe(child.value.kind))")
        }
        return child
    }

    /// The elements of an array member (empty when absent); every element must be an object.
    func objects(_ key: String) throws -> [KubeValue] {
        var out: [KubeValue] = []
        try forEachObject(key) { out.append($0) }
        return out
    }

    /// The elements of an array member (none when absent), each handed to `body` in order
    /// without building an array (a pod spec walks a dozen such lists); an element that is not
    /// an object rejects the document when it is reached.
    func forEachObject(_ key: String, _ body: (KubeValue) throws -> Void) throws {
        guard let child = member(key) else { return }
        guard child.value.isArray else {
            throw child.reject("\(key) must be an array, found \(KubeValue.describe(child.value.kind))")
        }
        try child.forEachElement { item in
            guard item.value.isObject else {
                throw item.reject("\(key) entries must be objects, found \(KubeValue.describe(item.value.kind))")
            }
            try body(item)
        }
    }

    /// Each element of this array, in order. Elements of a short array (nearly every list in a
    /// pod) share this array's anchor; a long one's are anchored each at its own pointer.
    private func forEachElement(_ body: (KubeValue) throws -> Void) rethrows {
        if value.count >= Self.ownAnchorsFrom {
            for item in anchoredElements() { try body(item) }
        } else {
            for element in value.elements { try body(KubeValue(value: element, anchoredAt: self)) }
        }
    }

    /// Arrays from this length on give each element its own anchor (`forEachElement`): an
    /// element sharing its array's anchor skips its elder siblings when a pointer is asked
    /// for, which made a crafted pod of 40,000 containers quadratic (44 s for 5 MB).
    static let ownAnchorsFrom = 32

    /// The elements of this array, each anchored at its own pointer (built from this array's
    /// pointer, found once).
    private func anchoredElements() -> [KubeValue] {
        let base = pointer + "/"
        return value.elements.enumerated().map { index, element in
            KubeValue(value: element, pointer: base + String(index), origin: origin)
        }
    }

    /// `objects(key)` with each element's pointer built now and kept (`/items/7`): for the
    /// items of a list, whose pointers every fact of theirs uses, and which would otherwise be
    /// found again by skipping over all the items before them.
    func anchoredObjects(_ key: String) throws -> [KubeValue] {
        guard let child = member(key) else { return [] }
        guard child.value.isArray else {
            throw child.reject("\(key) must be an array, found \(KubeValue.describe(child.value.kind))")
        }
        let items = child.anchoredElements()
        if let item = items.first(where: { !$0.value.isObject }) {
            throw item.reject("\(key) entries must be objects, found \(KubeValue.describe(item.value.kind))")
        }
        return items
    }

    /// The elements of this array, each an object (a JSON patch).
    func elements() throws -> [KubeValue] {
        var out: [KubeValue] = []
        try forEachElement { item in
            guard item.value.isObject else { throw item.reject("expected an object, found \(KubeValue.describe(item.value.kind))") }
            out.append(item)
        }
        return out
    }

    /// String values of an object member (labels, annotations); non-string values are rejected.
    func stringMap(_ key: String) throws -> [String: String] {
        guard let child = try object(key) else { return [:] }
        var out: [String: String] = [:]
        for (name, member) in child.value.members {
            if member.isNull { continue }
            guard let text = member.string else {
                let item = KubeValue(value: member, anchoredAt: child)
                throw item.reject("\(key) values must be strings, found \(KubeValue.describe(member.kind))")
            }
            out[name] = text
        }
        return out
    }

    /// An RFC 3339 time field; the zero time and empty strings are absent, garbage is rejected.
    func time(_ key: String) throws -> Timestamp? {
        guard let text = try string(key), !text.isEmpty, !text.hasPrefix("0001-01-01") else { return nil }
        do {
            return try Timestamp(rfc3339: text)
        } catch {
            throw reject("\(key) is not an RFC 3339 time: \(KubeValue.quote(text))", at: value[key]!, key)
        }
    }

    func reject(_ message: String) -> CustodyError {
        origin.reject(message, value: value, pointer: pointer)
    }

    private func reject(_ message: String, at child: JSONValue, _ key: String) -> CustodyError {
        origin.reject(message, value: child, pointer: pointer + "/" + KubeValue.escape(key))
    }

    /// JSON pointer escaping (RFC 6901).
    static func escape(_ key: String) -> String {
        guard key.utf8.contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "~") }) else { return key }
        return key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    static func describe(_ kind: JSONValue.Kind) -> String {
        switch kind {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    /// A short, escaped excerpt of untrusted text for messages.
    static func quote(_ text: String, limit: Int = 80) -> String {
        let scalars = text.unicodeScalars.prefix(limit)
        var body = String(String.UnicodeScalarView(scalars)).debugDescription
        if scalars.count < text.unicodeScalars.count { body += "…" }
        return body
    }
}

/// A value whose JSON pointer is known (a document root, a list item) and where its document
/// came from.
final class KubeAnchor {
    let value: JSONValue
    let pointer: String
    let origin: KubeOrigin

    init(value: JSONValue, pointer: String, origin: KubeOrigin) {
        self.value = value
        self.pointer = pointer
        self.origin = origin
    }
}

/// Where the JSON being read came from: a JSON file (line and column are meaningful) or the
/// JSON rendering of a YAML file (only the pointer is).
struct KubeOrigin {
    let source: String
    let linesAreMeaningful: Bool

    func reject(_ message: String, value: JSONValue, pointer: String) -> CustodyError {
        var location = SourceLocation(path: source, pointer: pointer.isEmpty ? "/" : pointer)
        if linesAreMeaningful {
            let position = value.location
            location.line = position.line
            location.column = position.column
        }
        return CustodyError.rejected(message, at: location)
    }
}
