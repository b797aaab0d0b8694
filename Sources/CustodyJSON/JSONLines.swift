/// JSON Lines (one document per line), as produced by audit logs and `jq -c`.
///
/// Each line is parsed independently so one corrupt or truncated record (common in
/// logs copied off a compromised host) is reported with its line number and the rest
/// still load. Blank and whitespace-only lines are skipped; a trailing "\r" is allowed.
public struct JSONLines: Sendable {
    /// Parses every non-blank line. Errors carry the file's line number and a byte offset
    /// relative to the whole buffer; the column is within the line.
    public static func parse(_ bytes: [UInt8], limits: JSONLimits = .default)
        -> [(line: Int, result: Result<JSONDocument, JSONError>)] {
        var out: [(line: Int, result: Result<JSONDocument, JSONError>)] = []
        forEachLine(bytes, limits: limits) { out.append(($0, $1)) }
        return out
    }

    /// Streaming form of `parse`: calls `body` for each non-blank line in order, so a
    /// large log need not hold every document at once.
    public static func forEachLine<E: Error>(
        _ bytes: [UInt8], limits: JSONLimits = .default,
        _ body: (_ line: Int, _ result: Result<JSONDocument, JSONError>) throws(E) -> Void
    ) throws(E) {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        var lineNumber = 1
        while start <= bytes.count {
            var stop = start
            while stop < bytes.count, bytes[stop] != Byte.newline { stop += 1 }
            if stop == bytes.count, start == stop { break }
            if !isBlank(bytes, start, stop) {
                try body(lineNumber, parseLine(bytes, start, stop, lineNumber, limits))
            }
            lineNumber += 1
            start = stop + 1
        }
    }

    static func isBlank(_ bytes: [UInt8], _ start: Int, _ stop: Int) -> Bool {
        var i = start
        while i < stop {
            let c = bytes[i]
            if c != Byte.space, c != Byte.tab, c != Byte.carriageReturn { return false }
            i += 1
        }
        return true
    }

    static func parseLine(_ bytes: [UInt8], _ start: Int, _ stop: Int, _ line: Int,
                          _ limits: JSONLimits) -> Result<JSONDocument, JSONError> {
        do {
            return .success(try JSONDocument(bytes: Array(bytes[start..<stop]), limits: limits))
        } catch {
            var located = error
            located.line = line
            located.byteOffset += start
            return .failure(located)
        }
    }
}
