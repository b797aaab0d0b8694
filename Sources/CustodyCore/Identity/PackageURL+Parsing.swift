/// Splits purl text into components following purl-spec `how-to-parse` (right to left for
/// subpath and version, left to right for scheme and type), decoding each component once.
enum PurlParser {
    static func parse(_ input: String) throws -> PackageURL {
        let text = trimmed(input) { $0.isWhitespace }
        func reject(_ reason: String) -> CustodyError {
            CustodyError.rejected("invalid package URL \"\(PurlSyntax.excerpt(text))\": \(reason)")
        }

        // Scheme: "pkg:" (case-insensitive), then any number of "/" (accepts "pkg://").
        guard let colon = text.firstIndex(of: ":"), text[..<colon].lowercased() == "pkg" else {
            throw reject("it must start with the \"pkg:\" scheme")
        }
        var rest = text[text.index(after: colon)...]

        // Subpath: after the last "#".
        var subpathSegments: [String] = []
        if let hash = rest.lastIndex(of: "#") {
            for raw in rest[rest.index(after: hash)...].split(separator: "/") {
                guard let segment = PurlPercentCoding.decode(raw) else {
                    throw reject("malformed percent-encoding in the subpath segment \"\(raw)\"")
                }
                guard !segment.contains("/") else { throw reject("a subpath segment contains an encoded \"/\"") }
                subpathSegments.append(segment)
            }
            rest = rest[..<hash]
        }

        // Qualifiers: after the first "?" so unencoded "?" inside a URL value survives.
        var qualifiers: [PackageURL.Qualifier] = []
        if let question = rest.firstIndex(of: "?") {
            qualifiers = try parseQualifiers(rest[rest.index(after: question)...], reject: reject)
            rest = rest[..<question]
        }

        // Type: first segment after stripping leading slashes.
        rest = rest.drop { $0 == "/" }
        guard let slash = rest.firstIndex(of: "/") else {
            throw reject(rest.isEmpty ? "the type is missing" : "the name is missing (expected pkg:type/name)")
        }
        let type = rest[..<slash].lowercased()
        guard PurlSyntax.isValidType(type) else {
            throw reject("the type \"\(rest[..<slash])\" must be ASCII letters, digits, \".\" or \"-\" and start with a letter")
        }
        rest = rest[rest.index(after: slash)...]
        while rest.last == "/" { rest = rest.dropLast() }

        // Version: after an "@" in the last path segment (an "@" opening an earlier
        // segment is an npm scope, e.g. "pkg:npm/@babel/core").
        let lastSegmentStart = rest.lastIndex(of: "/").map { rest.index(after: $0) } ?? rest.startIndex
        var version: String?
        if let at = rest[lastSegmentStart...].lastIndex(of: "@") {
            let raw = rest[rest.index(after: at)...]
            guard !raw.isEmpty else { throw reject("the version after \"@\" is empty") }
            guard let decoded = PurlPercentCoding.decode(raw) else {
                throw reject("malformed percent-encoding in the version \"\(raw)\"")
            }
            version = trimmed(decoded) { $0.isWhitespace }
            rest = rest[..<at]
        }

        // Name: last segment; namespace: everything before it.
        let nameStart = rest.lastIndex(of: "/").map { rest.index(after: $0) } ?? rest.startIndex
        guard let name = PurlPercentCoding.decode(rest[nameStart...]) else {
            throw reject("malformed percent-encoding in the name \"\(rest[nameStart...])\"")
        }
        guard !trimmed(name, where: { $0.isWhitespace || $0 == "/" }).isEmpty else { throw reject("the name is missing") }
        var namespaceSegments: [String] = []
        for raw in rest[..<nameStart].split(separator: "/") {
            guard let segment = PurlPercentCoding.decode(raw) else {
                throw reject("malformed percent-encoding in the namespace segment \"\(raw)\"")
            }
            namespaceSegments += segment.split(separator: "/").map(String.init)
        }

        return PackageURL(
            normalizing: type,
            namespaceSegments: namespaceSegments,
            name: name,
            version: version,
            qualifiers: qualifiers,
            subpathSegments: subpathSegments
        )
    }

    /// `key=value&…`: keys lower-cased and validated, values decoded; a pair without a value
    /// is dropped like an empty value. Repeating a key with a different value is ambiguous.
    private static func parseQualifiers(
        _ text: Substring,
        reject: (String) -> CustodyError
    ) throws -> [PackageURL.Qualifier] {
        var seen: [String: String] = [:]
        var result: [PackageURL.Qualifier] = []
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = parts[0].lowercased()
            guard PurlSyntax.isValidQualifierKey(key) else {
                throw reject("the qualifier key \"\(parts[0])\" must be ASCII letters, digits, \".\", \"-\" or \"_\", start with a letter, and not be percent-encoded")
            }
            guard parts.count == 2 else { continue }
            guard let value = PurlPercentCoding.decode(parts[1]) else {
                throw reject("malformed percent-encoding in the value of qualifier \"\(key)\"")
            }
            guard !value.isEmpty else { continue }
            if let earlier = seen[key] {
                guard earlier == value else { throw reject("the qualifier \"\(key)\" appears twice with different values") }
                continue
            }
            seen[key] = value
            result.append(PackageURL.Qualifier(key: key, value: value))
        }
        return result
    }

    /// Trims matching characters from both ends (no Foundation CharacterSet needed).
    static func trimmed(_ text: some StringProtocol, where drop: (Character) -> Bool) -> String {
        var body = Substring(text)
        while let first = body.first, drop(first) { body = body.dropFirst() }
        while let last = body.last, drop(last) { body = body.dropLast() }
        return String(body)
    }
}
