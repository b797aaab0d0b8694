/// Splits purl text into components following purl-spec `how-to-parse` (right to left for
/// subpath and version, left to right for scheme and type), decoding each component once.
enum PurlParser {
    static func parse(_ input: String) throws -> PackageURL {
        let text = trimmedWhitespace(input)
        func reject(_ reason: String) -> CustodyError {
            CustodyError.rejected("invalid package URL \"\(PurlSyntax.excerpt(text))\": \(reason)")
        }

        // Scheme: "pkg:" (case-insensitive), then any number of "/" (accepts "pkg://").
        guard let colon = text.utf8.firstIndex(of: ascii(":")), text[..<colon].lowercased() == "pkg" else {
            throw reject("it must start with the \"pkg:\" scheme")
        }
        var rest = text[text.index(after: colon)...]

        // Subpath: after the last "#".
        var subpathSegments: [String] = []
        if let hash = rest.utf8.lastIndex(of: ascii("#")) {
            for raw in splitASCII(rest[rest.index(after: hash)...], "/") {
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
        if let question = rest.utf8.firstIndex(of: ascii("?")) {
            qualifiers = try parseQualifiers(rest[rest.index(after: question)...], reject: reject)
            rest = rest[..<question]
        }

        // Type: first segment after stripping leading slashes.
        while rest.utf8.first == ascii("/") { rest = rest[rest.utf8.index(after: rest.startIndex)...] }
        guard let slash = rest.utf8.firstIndex(of: ascii("/")) else {
            throw reject(rest.isEmpty ? "the type is missing" : "the name is missing (expected pkg:type/name)")
        }
        let type = rest[..<slash].lowercased()
        guard PurlSyntax.isValidType(type) else {
            throw reject("the type \"\(rest[..<slash])\" must be ASCII letters, digits, \".\" or \"-\" and start with a letter")
        }
        rest = rest[rest.index(after: slash)...]
        while rest.utf8.last == ascii("/") { rest = rest[..<rest.utf8.index(before: rest.endIndex)] }

        // Version: after an "@" in the last path segment (an "@" opening an earlier
        // segment is an npm scope, e.g. "pkg:npm/@babel/core").
        let lastSegmentStart = rest.utf8.lastIndex(of: ascii("/")).map { rest.utf8.index(after: $0) } ?? rest.startIndex
        var version: String?
        if let at = rest[lastSegmentStart...].utf8.lastIndex(of: ascii("@")) {
            let raw = rest[rest.index(after: at)...]
            guard !raw.isEmpty else { throw reject("the version after \"@\" is empty") }
            guard let decoded = PurlPercentCoding.decode(raw) else {
                throw reject("malformed percent-encoding in the version \"\(raw)\"")
            }
            version = trimmedWhitespace(decoded)
            rest = rest[..<at]
        }

        // Name: last segment; namespace: everything before it.
        let nameStart = rest.utf8.lastIndex(of: ascii("/")).map { rest.utf8.index(after: $0) } ?? rest.startIndex
        guard let name = PurlPercentCoding.decode(rest[nameStart...]) else {
            throw reject("malformed percent-encoding in the name \"\(rest[nameStart...])\"")
        }
        let hasVisibleASCII = name.utf8.contains { $0 < 0x80 && $0 > 0x20 && $0 != ascii("/") && $0 != 0x7F }
        guard hasVisibleASCII || !trimmed(name, where: { $0.isWhitespace || $0 == "/" }).isEmpty else { throw reject("the name is missing") }
        var namespaceSegments: [String] = []
        for raw in splitASCII(rest[..<nameStart], "/") {
            guard let segment = PurlPercentCoding.decode(raw) else {
                throw reject("malformed percent-encoding in the namespace segment \"\(raw)\"")
            }
            if segment.utf8.contains(ascii("/")) { namespaceSegments += segment.split(separator: "/").map(String.init) } else { namespaceSegments.append(segment) }
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
        for pair in splitASCII(text, "&") {
            let parts = splitOnce(pair, "=")
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

    @inline(__always) static func ascii(_ character: Unicode.Scalar) -> UInt8 { UInt8(character.value) }

    /// Splits on an ASCII byte without grapheme breaking (hot path: one purl per component
    /// of a 100,000-component SBOM). Empty pieces are dropped, like `split(separator:)`.
    static func splitASCII(_ text: Substring, _ separator: Unicode.Scalar) -> [Substring] {
        let byte = ascii(separator)
        var pieces: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        let utf8 = text.utf8
        while index < text.endIndex {
            if utf8[index] == byte {
                if start < index { pieces.append(text[start..<index]) }
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        if start < text.endIndex { pieces.append(text[start..<text.endIndex]) }
        return pieces
    }

    /// `key=value` split at the first separator; one piece when there is none.
    static func splitOnce(_ text: Substring, _ separator: Unicode.Scalar) -> [Substring] {
        guard let index = text.utf8.firstIndex(of: ascii(separator)) else { return [text] }
        return [text[..<index], text[text.utf8.index(after: index)...]]
    }

    /// Trims white space; skips the Character walk when the ends are not white space.
    static func trimmedWhitespace(_ text: some StringProtocol) -> String {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) || $0 >= 0x80 }
        let utf8 = Substring(text).utf8
        if let first = utf8.first, let last = utf8.last, !isSpace(first), !isSpace(last) {
            return String(text)
        }
        return trimmed(text) { $0.isWhitespace }
    }

    /// Trims matching characters from both ends (no Foundation CharacterSet needed).
    static func trimmed(_ text: some StringProtocol, where drop: (Character) -> Bool) -> String {
        var body = Substring(text)
        while let first = body.first, drop(first) { body = body.dropFirst() }
        while let last = body.last, drop(last) { body = body.dropLast() }
        return String(body)
    }
}
