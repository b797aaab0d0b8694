/// Where inside an input a fact or a problem comes from: the document's path plus a JSON
/// pointer, a line (and column), or both. Rendered as `path:line:column` or `path#/pointer`.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var line: Int?
    public var column: Int?
    public var pointer: String?

    public init(path: String, line: Int? = nil, column: Int? = nil, pointer: String? = nil) {
        self.path = path
        self.line = line
        self.column = column
        self.pointer = pointer
    }

    /// The part after the path, as stored beside evidence links (`#/components/3`, `:12`).
    public var fragment: String {
        var text = ""
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        if let pointer { text += "#\(pointer)" }
        return text
    }

    public var description: String { path + fragment }
}
