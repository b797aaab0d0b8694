/// A parse failure with an exact location, so an analyst can open the offending file at
/// the right spot (Foundation's errors only give "the data couldn't be read").
///
/// `line` and `column` are 1-based; `column` counts Unicode scalars from the start of the
/// line (a leading UTF-8 BOM is not counted). `byteOffset` is 0-based into the original
/// buffer, including any BOM. For `JSONLines`, `line` is the line number in the whole file
/// and `byteOffset` is relative to the whole file as well.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, without the location (e.g. "nesting deeper than 512 levels").
    public var message: String
    public var line: Int
    public var column: Int
    public var byteOffset: Int

    public init(message: String, line: Int, column: Int, byteOffset: Int) {
        self.message = message
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
    }

    /// "message (line L, column C)".
    public var description: String { "\(message) (line \(line), column \(column))" }
}

/// Computes a 1-based (line, column) for `offset`, counting '\n' as the line break and
/// Unicode scalars (non-continuation bytes) as columns. O(offset); only used on error paths.
func lineAndColumn(in buffer: UnsafeBufferPointer<UInt8>, ofByte offset: Int) -> (line: Int, column: Int) {
    let limit = max(0, min(offset, buffer.count))
    var line = 1
    var lineStart = 0
    if limit >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { lineStart = 3 }
    var i = lineStart
    while i < limit {
        if buffer[i] == 0x0A { line += 1; lineStart = i + 1 }
        i += 1
    }
    var column = 1
    i = lineStart
    while i < limit {
        if buffer[i] & 0xC0 != 0x80 { column += 1 }
        i += 1
    }
    return (line, column)
}
