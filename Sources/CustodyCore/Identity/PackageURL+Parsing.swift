/// Splits purl text into components following purl-spec `how-to-parse` (right to left for
/// subpath and version, left to right for scheme and type), decoding each component once.
enum PurlParser {
    static func parse(_ input: String) throws -> PackageURL {
        let text = trimmedWhitespace(input)
        var utf8 = text
        return try utf8.withUTF8 { try parse(bytes: $0, text: text) }
    }

    /// The parse itself, on byte offsets of the UTF-8 text: one pass per delimiter, strings
    /// made only for the components (this runs once per component of a 100,000-component SBOM).
    private static func parse(bytes: UnsafeBufferPointer<UInt8>, text: String) throws -> PackageURL {
        func reject(_ reason: String) -> CustodyError {
            CustodyError.rejected("invalid package URL \"\(PurlSyntax.excerpt(text))\": \(reason)")
        }
        func string(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
        func decoded(_ range: Range<Int>) -> String? {
            bytes[range].contains(ascii("%")) ? PurlPercentCoding.decode(string(range)) : string(range)
        }

        // Scheme: "pkg:" (case-insensitive), then any number of "/" (accepts "pkg://").
        guard let colon = bytes.firstIndex(of: ascii(":")), isPkgScheme(bytes[..<colon], string(0..<colon)) else {
            throw reject("it must start with the \"pkg:\" scheme")
        }
        var start = colon + 1
        var end = bytes.count

        // Subpath: after the last "#".
        var subpathSegments: [String] = []
        if let hash = bytes[start..<end].lastIndex(of: ascii("#")) {
            for raw in pieces(bytes, hash + 1..<end, ascii("/")) {
                guard let segment = decoded(raw) else {
                    throw reject("malformed percent-encoding in the subpath segment \"\(string(raw))\"")
                }
                guard !segment.contains("/") else { throw reject("a subpath segment contains an encoded \"/\"") }
                subpathSegments.append(segment)
            }
            end = hash
        }

        // Qualifiers: after the first "?" so unencoded "?" inside a URL value survives.
        var qualifiers: [PackageURL.Qualifier] = []
        if let question = bytes[start..<end].firstIndex(of: ascii("?")) {
            qualifiers = try parseQualifiers(bytes, question + 1..<end, reject: reject)
            end = question
        }

        // Type: first segment after stripping leading slashes.
        while start < end, bytes[start] == ascii("/") { start += 1 }
        guard let slash = bytes[start..<end].firstIndex(of: ascii("/")) else {
            throw reject(start == end ? "the type is missing" : "the name is missing (expected pkg:type/name)")
        }
        let type = PackageURL.lowercased(string(start..<slash))
        guard PurlSyntax.isValidType(type) else {
            throw reject("the type \"\(string(start..<slash))\" must be ASCII letters, digits, \".\" or \"-\" and start with a letter")
        }
        start = slash + 1
        while end > start, bytes[end - 1] == ascii("/") { end -= 1 }

        // Version: after an "@" in the last path segment (an "@" opening an earlier
        // segment is an npm scope, e.g. "pkg:npm/@babel/core").
        let lastSegmentStart = bytes[start..<end].lastIndex(of: ascii("/")).map { $0 + 1 } ?? start
        var version: String?
        if let at = bytes[lastSegmentStart..<end].lastIndex(of: ascii("@")) {
            let raw = at + 1..<end
            guard !raw.isEmpty else { throw reject("the version after \"@\" is empty") }
            guard let decodedVersion = decoded(raw) else {
                throw reject("malformed percent-encoding in the version \"\(string(raw))\"")
            }
            version = trimmedWhitespace(decodedVersion)
            end = at
        }

        // Name: last segment; namespace: everything before it.
        let nameStart = bytes[start..<end].lastIndex(of: ascii("/")).map { $0 + 1 } ?? start
        guard let name = decoded(nameStart..<end) else {
            throw reject("malformed percent-encoding in the name \"\(string(nameStart..<end))\"")
        }
        let hasVisibleASCII = name.utf8.contains { $0 < 0x80 && $0 > 0x20 && $0 != ascii("/") && $0 != 0x7F }
        guard hasVisibleASCII || !trimmed(name, where: { $0.isWhitespace || $0 == "/" }).isEmpty else { throw reject("the name is missing") }
        var namespaceSegments: [String] = []
        for raw in pieces(bytes, start..<nameStart, ascii("/")) {
            guard let segment = decoded(raw) else {
                throw reject("malformed percent-encoding in the namespace segment \"\(string(raw))\"")
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
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
        reject: (String) -> CustodyError
    ) throws -> [PackageURL.Qualifier] {
        func string(_ range: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
        var result: [PackageURL.Qualifier] = []
        // Position of each key in `result`: a crafted purl with 60,000 qualifiers took 6 s
        // when each key was compared with every earlier one.
        var positions: [String: Int] = [:]
        for pair in pieces(bytes, range, ascii("&")) {
            let equals = bytes[pair].firstIndex(of: ascii("="))
            let rawKey = pair.lowerBound..<(equals ?? pair.upperBound)
            let key = PackageURL.lowercased(string(rawKey))
            guard PurlSyntax.isValidQualifierKey(key) else {
                throw reject("the qualifier key \"\(string(rawKey))\" must be ASCII letters, digits, \".\", \"-\" or \"_\", start with a letter, and not be percent-encoded")
            }
            guard let equals else { continue }
            let rawValue = equals + 1..<pair.upperBound
            let value = bytes[rawValue].contains(ascii("%")) ? PurlPercentCoding.decode(string(rawValue)) : string(rawValue)
            guard let value else {
                throw reject("malformed percent-encoding in the value of qualifier \"\(key)\"")
            }
            guard !value.isEmpty else { continue }
            if let earlier = positions[key] {
                guard result[earlier].value == value else { throw reject("the qualifier \"\(key)\" appears twice with different values") }
                continue
            }
            positions[key] = result.count
            result.append(PackageURL.Qualifier(key: key, value: value))
        }
        return result
    }

    /// Non-empty pieces of `range` between `separator` bytes, like `split(separator:)`.
    static func pieces(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ separator: UInt8) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var pieceStart = range.lowerBound
        for index in range where bytes[index] == separator {
            if pieceStart < index { result.append(pieceStart..<index) }
            pieceStart = index + 1
        }
        if pieceStart < range.upperBound { result.append(pieceStart..<range.upperBound) }
        return result
    }

    @inline(__always) static func ascii(_ character: Unicode.Scalar) -> UInt8 { UInt8(character.value) }

    /// `pkg`, any case, compared on bytes when ASCII (no lower-cased copy per purl).
    static func isPkgScheme(_ scheme: UnsafeBufferPointer<UInt8>.SubSequence, _ text: @autoclosure () -> String) -> Bool {
        guard scheme.allSatisfy({ $0 < 0x80 }) else { return text().lowercased() == "pkg" }
        guard scheme.count == 3 else { return false }
        let first = scheme.startIndex
        return scheme[first] | 0x20 == ascii("p") && scheme[first + 1] | 0x20 == ascii("k") && scheme[first + 2] | 0x20 == ascii("g")
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
