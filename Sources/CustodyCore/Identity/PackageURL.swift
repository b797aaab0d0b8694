/// A Package URL (purl, ECMA-427 / github.com/package-url/purl-spec) in normalized form.
///
/// Components are stored percent-*decoded* and already normalized (type rules, sorted
/// qualifiers), so two purls that name the same package compare equal whatever spelling
/// the producer used (`sha256%3A…` vs `sha256:…`, `pkg://`, unsorted or empty qualifiers).
/// `canonical` re-encodes them the one way the spec allows.
public struct PackageURL: Sendable, Hashable, CustomStringConvertible {
    /// One `key=value` qualifier. A struct rather than a tuple so `PackageURL` stays Hashable.
    public struct Qualifier: Sendable, Hashable {
        public var key: String
        public var value: String

        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// Lower-case package type (`npm`, `deb`, `oci`, …).
    public var type: String
    /// Decoded namespace, segments joined by `/` (`@angular`, `github.com/gorilla`); nil when absent.
    public var namespace: String?
    /// Decoded package name.
    public var name: String
    /// Decoded version; nil when absent.
    public var version: String?
    /// Qualifiers sorted by key; keys lower-case, no empty values, no Syft `package-id`.
    public var qualifiers: [Qualifier]
    /// Decoded subpath, segments joined by `/`, without empty, `.` or `..` segments.
    public var subpath: String?

    /// Parses untrusted text (lenient where producers are known to drift, strict where the
    /// input would be ambiguous). Throws `CustodyError` with code `.rejectedInput`.
    public init(parsing text: String) throws {
        self = try PurlParser.parse(text)
    }

    /// Builds a purl from *decoded* component values and applies the spec's normalization.
    ///
    /// Does not throw, so it cannot reject: qualifiers with keys the spec forbids are dropped,
    /// and callers must pass a non-empty `type` and `name` (use `init(parsing:)` for input text).
    public init(
        type: String,
        namespace: String?,
        name: String,
        version: String?,
        qualifiers: [String: String] = [:],
        subpath: String? = nil
    ) {
        let pairs = qualifiers.compactMap { key, value -> Qualifier? in
            let lowered = key.lowercased()
            guard PurlSyntax.isValidQualifierKey(lowered) else { return nil }
            return Qualifier(key: lowered, value: value)
        }
        self.init(
            normalizing: type.lowercased(),
            namespaceSegments: (namespace ?? "").split(separator: "/").map(String.init),
            name: name,
            version: version,
            qualifiers: pairs,
            subpathSegments: (subpath ?? "").split(separator: "/").map(String.init)
        )
    }

    /// Common funnel for both initializers: the single place where normalization happens.
    init(
        normalizing type: String,
        namespaceSegments: [String],
        name: String,
        version: String?,
        qualifiers: [Qualifier],
        subpathSegments: [String]
    ) {
        self.type = type
        if namespaceSegments.count == 1, !namespaceSegments[0].isEmpty {
            self.namespace = namespaceSegments[0]
        } else {
            let segments = namespaceSegments.filter { !$0.isEmpty }
            self.namespace = segments.isEmpty ? nil : segments.joined(separator: "/")
        }
        self.name = Self.trimmingSlashes(name)
        self.version = (version?.isEmpty ?? true) ? nil : version
        if qualifiers.isEmpty {
            self.qualifiers = []
        } else {
            self.qualifiers = qualifiers
                .filter { !$0.value.isEmpty && !Self.droppedQualifierKeys.contains($0.key) }
                .sorted { $0.key < $1.key }
        }
        let sub = subpathSegments.filter { !$0.isEmpty && $0 != "." && $0 != ".." }
        self.subpath = sub.isEmpty ? nil : sub.joined(separator: "/")
        applyTypeRules()
    }

    /// Qualifiers that are producer-local ids, not package attributes (Syft's CycloneDX bom-ref).
    static let droppedQualifierKeys: Set<String> = ["package-id"]

    /// The value of qualifier `key` (case-insensitive key), if present.
    public func qualifier(_ key: String) -> String? {
        let wanted = key.lowercased()
        return qualifiers.first { $0.key == wanted }?.value
    }

    /// Full canonical string: `pkg:type/namespace/name@version?qualifiers#subpath`.
    public var canonical: String {
        var text = versionedPath
        let sorted = qualifiers.sorted { $0.key < $1.key }
        if !sorted.isEmpty {
            text += "?" + sorted.map { "\($0.key)=\(PurlPercentCoding.encode($0.value))" }.joined(separator: "&")
        }
        if let subpath {
            text += "#" + PurlPercentCoding.encodeSegments(subpath)
        }
        return text
    }

    /// Graph node key for the package: canonical type/namespace/name/version, no qualifiers or
    /// subpath (distro and arch qualifiers differ between tools for the same package).
    public var identityKey: String { versionedPath }

    /// `pkg:type/namespace/name`: groups all versions of one package.
    public var versionlessKey: String { key(withVersion: false) }

    public var description: String { canonical }

    /// Leading and trailing `/` are not significant in purl names (spec §5.6.4).
    static func trimmingSlashes(_ text: String) -> String {
        guard text.utf8.first == UInt8(ascii: "/") || text.utf8.last == UInt8(ascii: "/") else { return text }
        var body = Substring(text)
        while body.first == "/" { body = body.dropFirst() }
        while body.last == "/" { body = body.dropLast() }
        return String(body)
    }

    private var versionedPath: String { key(withVersion: true) }

    /// `pkg:type/namespace/name[@version]`, percent-encoded, written byte by byte into one
    /// allocation (this runs once per component of a 100,000-component SBOM). The allocation
    /// is sized exactly: the key lives as long as the batch, and room for encoding every byte
    /// made 100,000 keys take 13 MB instead of 6.
    private func key(withVersion: Bool) -> String {
        let version = withVersion ? self.version : nil
        func encodedCount(_ text: String, keepingSlashes: Bool = false) -> Int {
            var count = 0
            for byte in text.utf8 {
                count += PurlPercentCoding.isLiteral(byte) || (keepingSlashes && byte == UInt8(ascii: "/")) ? 1 : 3
            }
            return count
        }
        // "pkg:" type "/" [namespace "/"] name ["@" version]
        let capacity = 5 + type.utf8.count + (namespace.map { encodedCount($0, keepingSlashes: true) + 1 } ?? 0)
            + encodedCount(name) + (version.map { encodedCount($0) + 1 } ?? 0)
        return String(unsafeUninitializedCapacity: capacity) { out in
            var count = 0
            func put(_ byte: UInt8) {
                out[count] = byte
                count += 1
            }
            func put(_ text: String, encoded: Bool, keepingSlashes: Bool = false) {
                for byte in text.utf8 {
                    if !encoded || PurlPercentCoding.isLiteral(byte) || (keepingSlashes && byte == UInt8(ascii: "/")) {
                        put(byte)
                    } else {
                        put(UInt8(ascii: "%"))
                        put(PurlPercentCoding.hexDigitByte(byte >> 4))
                        put(PurlPercentCoding.hexDigitByte(byte & 0x0F))
                    }
                }
            }
            put("pkg:", encoded: false)
            put(type, encoded: false)
            put(UInt8(ascii: "/"))
            if let namespace {
                put(namespace, encoded: true, keepingSlashes: true)
                put(UInt8(ascii: "/"))
            }
            put(name, encoded: true)
            if let version {
                put(UInt8(ascii: "@"))
                put(version, encoded: true)
            }
            return count
        }
    }
}
