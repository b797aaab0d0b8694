/// A container image reference `[host[:port]/]path[:tag][@alg:hex]`, canonicalised so that every
/// spelling of the same repository yields the same node key (FORMATS.md §0.2).
///
/// Rules follow `distribution/reference` `normalize.go` (`ParseNormalizedNamed`): the first path
/// component is a host only if it contains `.` or `:`, is `localhost`, or has upper-case letters;
/// Docker Hub's three spellings (`docker.io`, `index.docker.io`, none) become `docker.io`; single
/// segment Hub names get `library/`. Differences, on purpose: the host is lower-cased (DNS is
/// case-insensitive, keys must not be), and a bare digest such as `sha256:<hex>` is rejected
/// instead of being read as repository `library/sha256` with a hex tag (use `ImageID`).
public struct ImageReference: Sendable, Hashable, CustomStringConvertible {
    /// Lower-cased registry host with optional `:port`; `docker.io` for all Hub spellings.
    public var host: String
    /// Lower-case repository path, `library/`-prefixed for official Hub images.
    public var path: String
    /// The tag as written (tags are case-sensitive). With a digest it is only a claim.
    public var tag: String?
    public var digest: Digest?
    /// True when neither tag nor digest was written, i.e. `latest` was implied, not stated.
    public var tagImplied: Bool

    /// Cheap early bound on hostile input; real references are far shorter (name ≤ 255, tag ≤ 128).
    static let maximumLength = 1024

    /// Parses a user-facing reference; strips the `docker-pullable://` and `docker://` prefixes
    /// that dockershim put in Kubernetes `imageID`.
    public init(parsing text: String) throws {
        var body = Substring(text)
        for scheme in ["docker-pullable://", "docker://"] where body.hasPrefix(scheme) {
            body = body.dropFirst(scheme.count)
            break
        }
        guard !body.isEmpty else { throw CustodyError.rejected("empty image reference") }
        guard body.utf8.count <= ImageReference.maximumLength,
              body.utf8.allSatisfy(ImageReference.isReferenceByte) else {
            throw CustodyError.rejected("invalid characters in image reference \(InputExcerpt.quote(text))")
        }
        if (try? Digest(parsing: String(body))) != nil || ImageReference.isIdentifier(body) {
            throw CustodyError.rejected("\(InputExcerpt.quote(text)) is a digest or image ID, not a repository reference")
        }

        // name[:tag]@digest: neither name nor tag may contain '@'.
        let atParts = body.split(separator: "@", omittingEmptySubsequences: false)
        guard atParts.count <= 2 else {
            throw CustodyError.rejected("image reference has more than one '@': \(InputExcerpt.quote(text))")
        }
        var digest: Digest?
        if atParts.count == 2 { digest = try Digest(parsing: String(atParts[1])) }

        // The tag is the text after the last ':' that follows the last '/' (":port" is not a tag).
        var name = atParts[0]
        var tag: String?
        if let colon = name.lastIndex(of: ":"), name[colon...].firstIndex(of: "/") == nil {
            tag = String(name[name.index(after: colon)...])
            name = name[..<colon]
        }

        let host: Substring?
        let remote: Substring
        if let slash = name.firstIndex(of: "/") {
            let first = name[..<slash]
            let isHost = first == "localhost" || first.contains(".") || first.contains(":")
                || first.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") })
            host = isHost ? first : nil
            remote = isHost ? name[name.index(after: slash)...] : name
        } else {
            host = nil
            remote = name
        }
        try self.init(host: host.map(String.init) ?? "docker.io", path: String(remote), tag: tag, digest: digest)
    }

    /// Builds a reference from parts that arrive separately (registry webhooks carry host and
    /// repository in different fields); applies the same validation and Hub canonicalisation.
    public init(host: String, path: String, tag: String? = nil, digest: Digest? = nil) throws {
        guard ImageReference.isValidHost(host) else {
            throw CustodyError.rejected("invalid registry host \(InputExcerpt.quote(host))")
        }
        var canonicalHost = host.lowercased()
        if canonicalHost == "index.docker.io" { canonicalHost = "docker.io" }
        if path.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) {
            throw CustodyError.rejected("image repository path must be lower-case: \(InputExcerpt.quote(path))")
        }
        guard ImageReference.isValidPath(path) else {
            throw CustodyError.rejected("invalid image repository path \(InputExcerpt.quote(path))")
        }
        if let tag, !ImageReference.isValidTag(tag) {
            throw CustodyError.rejected("invalid image tag \(InputExcerpt.quote(tag))")
        }
        let canonicalPath = canonicalHost == "docker.io" && !path.contains("/") ? "library/" + path : path
        // normalize.go measures the normalised name, so `docker.io/library/` counts too.
        guard canonicalHost.utf8.count + 1 + canonicalPath.utf8.count <= 255 else {
            throw CustodyError.rejected("image repository name longer than 255 characters: \(InputExcerpt.quote(path))")
        }
        self.host = canonicalHost
        self.path = canonicalPath
        self.tag = tag
        self.digest = digest
        self.tagImplied = tag == nil && digest == nil
    }

    /// `host/path`: the image-repository node key.
    public var repository: String { "\(host)/\(path)" }

    /// `repository:tag`, the tag node key; nil when no tag was written (an implied `latest` is
    /// the caller's decision, since it is an inference, not evidence).
    public var tagKey: String? { tag.map { "\(repository):\($0)" } }

    /// `host/path[:tag][@digest]`; an implied `latest` is not spelled out, so that parsing the
    /// description gives back an equal value.
    public var description: String {
        var text = repository
        if let tag { text += ":" + tag }
        if let digest { text += "@" + digest.description }
        return text
    }
}

extension ImageReference {
    private static func isReferenceByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "/"),
             UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "["), UInt8(ascii: "]"):
            true
        default:
            false
        }
    }

    private static func isAlnumLower(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
    }

    private static func isAlnum(_ byte: UInt8) -> Bool {
        isAlnumLower(byte) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    /// A 64-hex image ID, which `normalize.go` refuses as a repository name.
    static func isIdentifier(_ text: Substring) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy(isLowerHex)
    }

    /// `[\w][\w.-]{0,127}` from `regexp.go`.
    static func isValidTag(_ tag: String) -> Bool {
        let bytes = Array(tag.utf8)
        guard let first = bytes.first, bytes.count <= 128, isAlnum(first) || first == UInt8(ascii: "_") else { return false }
        return bytes.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// `pathComponent(/pathComponent)*` where a component is `[a-z0-9]+` runs joined by exactly
    /// one of `.`, `_`, `__` or any number of `-` (`regexp.go`).
    static func isValidPath(_ path: String) -> Bool {
        path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).allSatisfy { component in
            guard let first = component.first, let last = component.last, isAlnumLower(first), isAlnumLower(last) else {
                return false
            }
            var separator: [UInt8] = []
            for byte in component {
                if isAlnumLower(byte) {
                    if !separator.isEmpty {
                        let valid = separator == [UInt8(ascii: ".")] || separator == [UInt8(ascii: "_")]
                            || separator == [UInt8(ascii: "_"), UInt8(ascii: "_")]
                            || separator.allSatisfy { $0 == UInt8(ascii: "-") }
                        guard valid else { return false }
                        separator.removeAll()
                    }
                } else if byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") {
                    separator.append(byte)
                } else {
                    return false
                }
            }
            return true
        }
    }

    /// `domainAndPort` from `regexp.go`: DNS-ish labels or a bracketed IPv6 address (no zone),
    /// then an optional `:digits` port.
    static func isValidHost(_ host: String) -> Bool {
        let bytes = Array(host.utf8)
        guard !bytes.isEmpty, bytes.count <= 255 else { return false }
        let hostEnd: Int
        if bytes[0] == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")), close > 1 else { return false }
            let inner = bytes[1..<close]
            guard inner.allSatisfy({ $0 == UInt8(ascii: ":") || isLowerHex($0) || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "F")) })
            else { return false }
            hostEnd = close + 1
        } else {
            hostEnd = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.count
            let labels = bytes[..<hostEnd].split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            for label in labels {
                guard let first = label.first, let last = label.last, isAlnum(first), isAlnum(last),
                      label.allSatisfy({ isAlnum($0) || $0 == UInt8(ascii: "-") }) else { return false }
            }
        }
        if hostEnd == bytes.count { return true }
        guard bytes[hostEnd] == UInt8(ascii: ":"), hostEnd + 1 < bytes.count else { return false }
        return bytes[(hostEnd + 1)...].allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}

/// Parses a Kubernetes `status.containerStatuses[].imageID` (FORMATS.md §5.1).
///
/// | Form | Result |
/// |---|---|
/// | `docker-pullable://<repo>@sha256:…`, `<repo>@sha256:…` | repository + repo digest |
/// | `docker://sha256:…`, `sha256:…`, bare 64-hex image ID | config digest (not pullable) |
/// | `""` or unparseable | nil |
public enum ImageID {
    public static func parse(_ text: String) -> (repository: String?, digest: Digest?, isConfigDigest: Bool)? {
        guard !text.isEmpty, text.utf8.count <= ImageReference.maximumLength else { return nil }
        var body = Substring(text)
        for scheme in ["docker-pullable://", "docker://"] where body.hasPrefix(scheme) {
            body = body.dropFirst(scheme.count)
            break
        }
        if let digest = try? Digest(parsing: String(body)) {
            return (nil, digest, true)
        }
        if ImageReference.isIdentifier(body), let digest = try? Digest(algorithm: .sha256, hex: String(body)) {
            return (nil, digest, true)
        }
        guard let at = body.lastIndex(of: "@") else { return nil }
        if let reference = try? ImageReference(parsing: String(body)), let digest = reference.digest {
            return (reference.repository, digest, false)
        }
        // A repo part we cannot canonicalise still leaves a usable repo digest.
        if let digest = try? Digest(parsing: String(body[body.index(after: at)...])) {
            return (nil, digest, false)
        }
        return nil
    }
}
