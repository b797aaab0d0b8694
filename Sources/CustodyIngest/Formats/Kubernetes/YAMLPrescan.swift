import CustodyCore

/// A lexical pass over YAML before it is composed, refusing what would crash or hang the
/// composer: nesting deeper than a bound (estimated per line as indentation + block indicators
/// + open flow brackets, an over-estimate of the real depth) and aliases written in key
/// position (`*a: x`, `? *a`), whose hashing by the composer costs their full expansion.
///
/// It is deliberately approximate (quotes are tracked per line only): it can only err towards
/// refusing exotic YAML, which `kubectl -o yaml` never writes.
enum YAMLPrescan {
    static func check(_ bytes: ArraySlice<UInt8>, maxDepth: Int, source: String) throws {
        var flowDepth = 0
        var line = 1
        var index = bytes.startIndex
        let end = bytes.endIndex
        while index < end {
            var lineEnd = index
            while lineEnd < end, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            try scanLine(bytes, index, lineEnd, line: line, flowDepth: &flowDepth, maxDepth: maxDepth, source: source)
            index = lineEnd + 1
            line += 1
        }
    }

    private static func scanLine(_ b: ArraySlice<UInt8>, _ start: Int, _ stop: Int, line: Int, flowDepth: inout Int,
                                 maxDepth: Int, source: String) throws {
        var i = start
        var indent = 0
        while i < stop, b[i] == UInt8(ascii: " ") { indent += 1; i += 1 }
        if i < stop, b[i] == UInt8(ascii: "#") { return }
        var indicators = 0
        var quote: UInt8 = 0
        var previous: UInt8 = UInt8(ascii: " ")
        while i < stop {
            let c = b[i]
            if quote != 0 {
                if c == quote { quote = 0 }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                if isSeparator(previous) { quote = c }
            } else if c == UInt8(ascii: "#"), previous == UInt8(ascii: " ") {
                break
            } else if c == UInt8(ascii: "[") || c == UInt8(ascii: "{") {
                flowDepth += 1
            } else if c == UInt8(ascii: "]") || c == UInt8(ascii: "}") {
                flowDepth = max(0, flowDepth - 1)
            } else if (c == UInt8(ascii: "-") || c == UInt8(ascii: "?") || c == UInt8(ascii: ":")) && isSeparator(previous)
                        && (i + 1 == stop || b[i + 1] == UInt8(ascii: " ")) {
                indicators += 1
                if c == UInt8(ascii: "?"), i + 2 < stop, b[i + 2] == UInt8(ascii: "*") {
                    throw refuse("an alias used as a mapping key", line: line, column: i + 3 - start, source: source)
                }
            } else if c == UInt8(ascii: "*"), isSeparator(previous), i + 1 < stop, isAnchorByte(b[i + 1]) {
                var j = i + 1
                while j < stop, isAnchorByte(b[j]) { j += 1 }
                while j < stop, b[j] == UInt8(ascii: " ") { j += 1 }
                if j < stop, b[j] == UInt8(ascii: ":") {
                    throw refuse("an alias used as a mapping key", line: line, column: i + 1 - start, source: source)
                }
            }
            previous = c
            i += 1
        }
        let depth = indent + indicators + flowDepth
        if depth > maxDepth {
            throw refuse("nesting deeper than \(maxDepth) levels", line: line, column: 1, source: source)
        }
    }

    private static func isSeparator(_ c: UInt8) -> Bool {
        c == UInt8(ascii: " ") || c == UInt8(ascii: "[") || c == UInt8(ascii: "{") || c == UInt8(ascii: ",")
            || c == UInt8(ascii: "-") || c == UInt8(ascii: ":") || c == UInt8(ascii: "?") || c == 0x09
    }

    /// libyaml anchor names: letters, digits, `-` and `_`.
    private static func isAnchorByte(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
    }

    private static func refuse(_ what: String, line: Int, column: Int, source: String) -> CustodyError {
        CustodyError.rejected("YAML refused: \(what) (a YAML bomb or not kubectl output)",
                              at: SourceLocation(path: source, line: line, column: column))
    }
}
