/// Per-type rules from the purl type definitions (purl-spec `types/*-definition.json`) plus
/// the producer quirks in FORMATS.md §0.3. Only case-insensitive ecosystems are folded:
/// `golang` module paths, `maven` coordinates, `rpm` and `nuget` names keep their case.
extension PackageURL {
    /// Types whose namespace is case-insensitive and canonically lower-case.
    static let lowercaseNamespaceTypes: Set<String> = [
        "alpm", "apk", "bitbucket", "composer", "deb", "github", "gitlab", "hex", "npm", "rpm",
    ]

    /// Types whose name is case-insensitive and canonically lower-case.
    static let lowercaseNameTypes: Set<String> = [
        "alpm", "apk", "bitbucket", "composer", "deb", "github", "gitlab", "hex", "npm", "oci", "pub", "pypi",
    ]

    mutating func applyTypeRules() {
        switch type {
        case "npm": splitNpmScope()
        case "oci": moveOCIRepositoryPath()
        default: break
        }
        let folds = Self.caseFolding(type)
        if let folded = namespace, folds.namespace { namespace = Self.lowercased(folded) }
        if folds.name { name = Self.lowercased(name) }
        if type == "pypi" { name = Self.pep503Name(name) }
        if type == "oci", let digest = version, Self.looksLikeDigest(digest) { version = digest.lowercased() }
    }

    /// Callers often hold the npm package name `@scope/name` as one string; the scope is the namespace.
    private mutating func splitNpmScope() {
        guard namespace == nil, name.hasPrefix("@"), let slash = name.firstIndex(of: "/") else { return }
        namespace = String(name[..<slash])
        name = String(name[name.index(after: slash)...])
    }

    /// OCI purls have no namespace and the name is the last repository segment; the full
    /// repository belongs in `repository_url`. Syft puts the whole typed reference in the name
    /// (FORMATS.md §0.3), so fold it back into the spec shape instead of losing the path.
    private mutating func moveOCIRepositoryPath() {
        let path = [namespace, name].compactMap { $0 }.joined(separator: "/")
        guard path.contains("/") else { return }
        let last = path.split(separator: "/").last.map(String.init) ?? name
        namespace = nil
        name = last
        if qualifier("repository_url") == nil {
            qualifiers.append(Qualifier(key: "repository_url", value: path))
            qualifiers.sort { $0.key < $1.key }
        }
    }

    /// Whether `type` folds namespace and name: the two sets above, by a switch on the common
    /// types first (a set lookup hashes the type; this runs once per purl).
    static func caseFolding(_ type: String) -> (namespace: Bool, name: Bool) {
        switch type {
        case "npm", "deb": (true, true)
        case "maven", "golang", "nuget", "cargo", "gem", "generic": (false, false)
        case "pypi": (false, true)
        default: (lowercaseNamespaceTypes.contains(type), lowercaseNameTypes.contains(type))
        }
    }

    /// `lowercased()`, skipped when the text is ASCII without capitals (nearly always).
    static func lowercased(_ text: String) -> String {
        text.utf8.allSatisfy({ $0 < 0x80 && !(0x41...0x5A).contains($0) }) ? text : text.lowercased()
    }

    /// PEP 503: lower-case and collapse runs of `-`, `_` and `.` into a single `-`.
    static func pep503Name(_ name: String) -> String {
        let isSeparator: (UInt8) -> Bool = { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
        // Already normal (lower-case ASCII, single `-` between parts): nothing to rebuild.
        var previousWasSeparator = false
        var normal = true
        for byte in name.utf8 {
            if byte >= 0x80 || (0x41...0x5A).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
                || (isSeparator(byte) && previousWasSeparator) {
                normal = false
                break
            }
            previousWasSeparator = isSeparator(byte)
        }
        if normal { return name }
        return pep503Folded(name)
    }

    private static func pep503Folded(_ name: String) -> String {
        var out = ""
        var inRun = false
        for character in name.lowercased() {
            if character == "-" || character == "_" || character == "." {
                if !inRun { out.append("-") }
                inRun = true
            } else {
                out.append(character)
                inRun = false
            }
        }
        return out
    }

    /// `algorithm:hex` (e.g. `sha256:AB…`): safe to lower-case, hex digests are case-insensitive.
    private static func looksLikeDigest(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":") else { return false }
        let hex = text[text.index(after: colon)...]
        return !text[..<colon].isEmpty && !hex.isEmpty && hex.allSatisfy(\.isHexDigit)
    }
}
