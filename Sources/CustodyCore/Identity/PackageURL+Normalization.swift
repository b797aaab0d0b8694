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
        if Self.lowercaseNamespaceTypes.contains(type) { namespace = namespace?.lowercased() }
        if Self.lowercaseNameTypes.contains(type) { name = name.lowercased() }
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

    /// PEP 503: lower-case and collapse runs of `-`, `_` and `.` into a single `-`.
    static func pep503Name(_ name: String) -> String {
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
