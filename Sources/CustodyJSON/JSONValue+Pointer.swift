/// JSON pointers (RFC 6901) computed from the tape on demand.
///
/// Readers that report problems "at /items/3/spec/containers/0/image" used to build that
/// string for every field they visited, on the chance of an error; most values are never
/// reported. Given an ancestor whose pointer is known, the path down to any value inside it
/// can be recovered from tape positions alone, in time proportional to the members skipped
/// on the way (containers record where they end), so pointers are only built when needed.
extension JSONValue {
    /// The pointer of `descendant` relative to this value ("" for the value itself,
    /// "/spec/containers/0" below it), with `~` and `/` in keys escaped as `~0` and `~1`;
    /// nil when `descendant` is not inside this value (or belongs to another document).
    public func relativePointer(to descendant: JSONValue) -> String? {
        guard descendant.document === document else { return nil }
        let target = descendant.tapeIndex
        guard target >= tapeIndex, target < endIndex else { return nil }
        let tape = document.tape
        var path = ""
        var current = tapeIndex
        while current != target {
            let kind = Tape.rawKind(tape[current])
            let end = Tape.end(ofInfo: tape[current + 1])
            var i = current + 2
            var found = false
            if kind == TapeKind.object.rawValue {
                while i < end {
                    let valueEnd = Self.skip(tape, i + 1)
                    if target < valueEnd {
                        if target == i { return nil }  // a key, not a value
                        path += "/" + Self.escapePointerToken(JSONValue(document: document, index: i).string ?? "")
                        current = i + 1
                        found = true
                        break
                    }
                    i = valueEnd
                }
            } else if kind == TapeKind.array.rawValue {
                var index = 0
                while i < end {
                    let next = Self.skip(tape, i)
                    if target < next {
                        path += "/" + String(index)
                        current = i
                        found = true
                        break
                    }
                    i = next
                    index += 1
                }
            }
            // A target inside a scalar, or a key word, is not the start of a value.
            guard found else { return nil }
        }
        return path
    }

    /// RFC 6901 escaping of one reference token.
    static func escapePointerToken(_ key: String) -> String {
        guard key.utf8.contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "~") }) else { return key }
        var out = ""
        for scalar in key.unicodeScalars {
            switch scalar {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
