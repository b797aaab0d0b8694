import CustodyCore

/// A reviewed, named SQL file from `queries/<topic>/<name>.sql` (DESIGN.md §6). The file name
/// is the query name used by the CLI, the server and runbooks; the leading comment lines are
/// its metadata:
///
///     -- title: Tag history of an image repository
///     -- description: One line of what it answers (repeatable; lines are joined).
///     -- param: repository: what to pass, with an example
///     -- param: since = 2025-01-01T00:00:00Z: a parameter with a default value
///
/// Parameters are `:named` only (positional `?` is refused when the query runs).
public struct NamedQuery: Sendable, Equatable {
    public struct Parameter: Sendable, Equatable {
        public var name: String
        public var description: String
        /// nil: the parameter must be given.
        public var defaultValue: String?
    }

    public var name: String
    public var topic: String
    public var title: String
    public var description: String
    public var parameters: [Parameter]
    public var sql: String
    /// Where it was read from: a file path, or `built-in`.
    public var origin: String

    /// Parses a query file's text. `path` is `topic/name.sql` relative to the queries directory.
    public init(path: String, text: String, origin: String) throws {
        let components = path.split(separator: "/").map(String.init)
        guard let file = components.last, file.hasSuffix(".sql") else {
            throw CustodyError.usage("named query \(path): the file name must end in .sql")
        }
        name = String(file.dropLast(4))
        topic = components.dropLast().joined(separator: "/")
        self.origin = origin
        var title: String?
        var descriptions: [String] = []
        var parameters: [Parameter] = []
        var body: [Substring] = []
        var inHeader = true
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            guard inHeader, trimmed.hasPrefix("--") else {
                if !trimmed.isEmpty || !body.isEmpty { inHeader = false }
                if !inHeader { body.append(line) }
                continue
            }
            let comment = trimmed.dropFirst(2).drop { $0 == " " }
            guard let colon = comment.firstIndex(of: ":") else { continue }
            let field = comment[..<colon].lowercased()
            let value = Self.trim(comment[comment.index(after: colon)...])
            switch field {
            case "title": title = value
            case "description": descriptions.append(value)
            case "param": parameters.append(try Self.parameter(value, in: path))
            default: continue
            }
        }
        guard let title, !title.isEmpty else {
            throw CustodyError.usage("named query \(path): the header needs a `-- title:` line")
        }
        self.title = title
        description = descriptions.joined(separator: " ")
        self.parameters = parameters
        sql = body.joined(separator: "\n").trimmingTrailingWhitespace()
        guard !sql.isEmpty else { throw CustodyError.usage("named query \(path): no SQL after the header") }
    }

    /// `name: description` or `name = default: description`.
    private static func parameter(_ text: String, in path: String) throws -> Parameter {
        guard let colon = text.firstIndex(of: ":") else {
            throw CustodyError.usage("named query \(path): `-- param: \(text)` needs `name: description`")
        }
        let head = text[..<colon]
        let description = trim(text[text.index(after: colon)...])
        var name = trim(head)
        var defaultValue: String?
        if let equals = head.firstIndex(of: "=") {
            name = trim(head[..<equals])
            defaultValue = trim(head[head.index(after: equals)...])
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw CustodyError.usage("named query \(path): parameter name \"\(name)\" must be letters, digits or _")
        }
        return Parameter(name: name, description: description, defaultValue: defaultValue)
    }

    private static func trim(_ text: Substring) -> String {
        String(text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
    }

    /// The values to bind: the given ones plus defaults. Unknown names and missing required
    /// values are usage errors that list what the query takes.
    public func arguments(_ given: [String: String]) throws -> [String: String] {
        let known = Set(parameters.map(\.name))
        if let unknown = given.keys.sorted().first(where: { !known.contains($0) }) {
            throw CustodyError.usage("query \(name) has no parameter \(unknown); it takes: \(usage)")
        }
        var values = given
        for parameter in parameters where values[parameter.name] == nil {
            guard let value = parameter.defaultValue else {
                throw CustodyError.usage("query \(name) needs --param \(parameter.name)=VALUE (\(parameter.description))")
            }
            values[parameter.name] = value
        }
        return values
    }

    /// `repository=VALUE since=VALUE (optional)`, or `none`.
    public var usage: String {
        parameters.isEmpty ? "no parameters" : parameters.map { "\($0.name)=VALUE" + ($0.defaultValue == nil ? "" : " (optional)") }
            .joined(separator: " ")
    }
}

extension String {
    fileprivate func trimmingTrailingWhitespace() -> String {
        var text = Substring(self)
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
