import CustodyCore
import CustodyJSON

/// Typed access to an SPDX JSON document with located rejections: a field of the wrong type
/// rejects the document with its JSON pointer and line/column (`/packages/3/name`), a missing
/// or `null` optional field is just absent.
struct SPDXJSONReader {
    let source: String

    func parse(_ bytes: [UInt8]) throws -> JSONDocument {
        do throws(JSONError) {
            return try JSONDocument(bytes: bytes)
        } catch {
            throw CustodyError.rejected("not valid JSON: \(error.message)",
                                        at: SourceLocation(path: source, line: error.line, column: error.column))
        }
    }

    func reject(_ message: String, at value: JSONValue, pointer: String) -> CustodyError {
        let (line, column) = value.location
        return CustodyError.rejected(message, at: SourceLocation(path: source, line: line, column: column, pointer: pointer))
    }

    func requireObject(_ value: JSONValue, pointer: String, what: String) throws {
        guard value.isObject else {
            throw reject("\(what) must be a JSON object, found \(Self.describe(value.kind))", at: value, pointer: pointer)
        }
    }

    /// The string member `key`; nil when missing or null; rejects any other type.
    func string(_ object: JSONValue, _ key: String, pointer: String) throws -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let text = value.string else {
            throw reject("\(key) must be a string, found \(Self.describe(value.kind))", at: value,
                         pointer: Self.append(pointer, key))
        }
        return text
    }

    /// The array member `key`; nil when missing or null; rejects any other type.
    func array(_ object: JSONValue, _ key: String, pointer: String) throws -> JSONValue? {
        guard let value = object[key], !value.isNull else { return nil }
        guard value.isArray else {
            throw reject("\(key) must be an array, found \(Self.describe(value.kind))", at: value,
                         pointer: Self.append(pointer, key))
        }
        return value
    }

    /// The object member `key`; nil when missing or null; rejects any other type.
    func object(_ object: JSONValue, _ key: String, pointer: String) throws -> JSONValue? {
        guard let value = object[key], !value.isNull else { return nil }
        guard value.isObject else {
            throw reject("\(key) must be an object, found \(Self.describe(value.kind))", at: value,
                         pointer: Self.append(pointer, key))
        }
        return value
    }

    /// An array of strings (`documentDescribes`, `creators`, SPDX 3 `to`): each element with
    /// its pointer. A lone string is accepted as a one-element list (JSON-LD compaction
    /// writes single values that way).
    func strings(_ object: JSONValue, _ key: String, pointer: String) throws -> [(String, String)] {
        guard let value = object[key], !value.isNull else { return [] }
        let base = Self.append(pointer, key)
        if let single = value.string { return [(single, base)] }
        guard value.isArray else {
            throw reject("\(key) must be an array of strings, found \(Self.describe(value.kind))", at: value, pointer: base)
        }
        var out: [(String, String)] = []
        out.reserveCapacity(value.count)
        for (index, element) in value.elements.enumerated() {
            let elementPointer = "\(base)/\(index)"
            guard let text = element.string else {
                throw reject("\(key) must contain only strings, found \(Self.describe(element.kind))", at: element,
                             pointer: elementPointer)
            }
            out.append((text, elementPointer))
        }
        return out
    }

    /// JSON pointer (RFC 6901) of member `key` under `pointer`.
    static func append(_ pointer: String, _ key: String) -> String {
        guard key.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else {
            return pointer + "/" + key
        }
        var escaped = ""
        for character in key {
            switch character {
            case "~": escaped += "~0"
            case "/": escaped += "~1"
            default: escaped.append(character)
            }
        }
        return pointer + "/" + escaped
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
}
