import CustodyCore

/// An image a CI job pushed, as its output recorded it.
struct CIPushedImage: Sendable, Hashable {
    /// `ImageReference.repository` (`registry.acme.example/acme/app`); nil when the output gave
    /// a digest without saying where it went.
    var repository: String?
    var tag: String?
    /// `sha256:<64 lower hex>`.
    var digest: String
    /// Which tool's output said so (`docker`, `buildx`, `crane`, `kaniko`, `ko`, `podman`).
    var tool: String
}

/// Recognizes registry pushes in build output, line by line (FORMATS.md §6.1).
///
/// Only lines that report a *push* produce an image: docker's `<tag>: digest: sha256:… size: …`
/// (repository from the preceding `The push refers to repository [...]`), BuildKit's `pushing
/// manifest for <ref>@sha256:…`, go-containerregistry's `<ref>: digest: … size: …` (crane, ko),
/// kaniko's `Pushed <ref>@sha256:…`, ko's `Published <ref>@sha256:…`, podman/buildah's
/// `Successfully pushed … sha256:…`, and a bare `<ref>@sha256:…` printed right after a
/// `crane push/copy/mutate/append`. Everything else that carries a digest is deliberately
/// ignored: `writing image sha256:` and `exporting config sha256:` are local config digests,
/// `exporting attestation manifest` is BuildKit provenance, `exporting manifest` is not yet
/// pushed, and `Digest: sha256:` after a pull is an image the job consumed.
struct CIPushTracker {
    private var pendingRepository: String?
    private var craneOutputExpected = false

    /// A script line the job ran (`##[group]Run …`, an echoed script line, `+ cmd`, `$ cmd`).
    mutating func observeCommand(_ text: Substring) {
        guard CIText.contains(text, "crane") else { return }
        for verb in [" push ", " copy ", " cp ", " mutate ", " append ", " rebase ", " flatten "]
        where CIText.contains(text, "crane" + verb) || CIText.contains(text, "crane index" + verb) {
            craneOutputExpected = true
        }
    }

    /// A new step began: pending context from the previous one no longer applies.
    mutating func stepBoundary() {
        pendingRepository = nil
        craneOutputExpected = false
    }

    /// The image this output line reports as pushed, if any.
    mutating func parse(_ line: Substring) -> CIPushedImage? {
        var text = line.drop { $0 == " " || $0 == "\t" }
        if text.hasPrefix("The push refers to repository [") {
            let inner = text.dropFirst("The push refers to repository [".count).prefix { $0 != "]" }
            pendingRepository = (try? ImageReference(parsing: String(inner)))?.repository
            return nil
        }
        text = Self.droppingProgressPrefixes(text)
        if text.hasPrefix("pushing manifest for ") {
            return reference(CIText.droppingBuildKitSuffix(text.dropFirst("pushing manifest for ".count)), tool: "buildx")
        }
        if let marker = CIText.range(of: ": digest: sha256:", in: text), CIText.contains(text, " size: ") {
            let left = text[text.startIndex..<marker.lowerBound]
            guard let digest = CIText.firstSHA256(in: text[marker.lowerBound...])?.digest else { return nil }
            if left.contains("/"), let reference = try? ImageReference(parsing: String(left)) {
                return CIPushedImage(repository: reference.repository, tag: reference.tag, digest: digest, tool: "crane")
            }
            let tag = Self.isTag(left) ? String(left) : nil
            return CIPushedImage(repository: pendingRepository, tag: tag, digest: digest, tool: "docker")
        }
        if text.hasPrefix("Pushed ") {
            return reference(text.dropFirst("Pushed ".count), tool: "kaniko")
        }
        if text.hasPrefix("Published ") {
            return reference(text.dropFirst("Published ".count), tool: "ko")
        }
        if text.hasPrefix("Successfully pushed ") {
            return podman(text.dropFirst("Successfully pushed ".count))
        }
        if craneOutputExpected, !text.contains(" "), CIText.contains(text, "@sha256:") {
            return reference(text, tool: "crane")
        }
        return nil
    }

    /// `registry/repo[:tag]@sha256:…` as one whitespace-free token.
    private func reference(_ text: Substring, tool: String) -> CIPushedImage? {
        let token = text.prefix { $0 != " " && $0 != "\t" }
        guard token.contains("@sha256:"), let parsed = try? ImageReference(parsing: String(token)),
              let digest = parsed.digest, digest.algorithm == .sha256 else { return nil }
        return CIPushedImage(repository: parsed.repository, tag: parsed.tag, digest: digest.description, tool: tool)
    }

    /// `Successfully pushed [to] [docker://]<ref>[@sha256:…] [with digest sha256:…]`.
    private func podman(_ text: Substring) -> CIPushedImage? {
        guard let digest = CIText.firstSHA256(in: text)?.digest else { return nil }
        var token = text.prefix { $0 != " " }
        if token == "to" { token = text.dropFirst(3).prefix { $0 != " " } }
        if token.hasPrefix("docker://") { token = token.dropFirst("docker://".count) }
        if let at = token.firstIndex(of: "@") { token = token[token.startIndex..<at] }
        let parsed = try? ImageReference(parsing: String(token))
        return CIPushedImage(repository: parsed?.repository, tag: parsed?.tag, digest: digest, tool: "podman")
    }

    /// `[\w][\w.-]{0,127}` (distribution's tag grammar).
    static func isTag(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, text.utf8.count <= 128, first != UInt8(ascii: "."), first != UInt8(ascii: "-") else {
            return false
        }
        return text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
        }
    }

    /// Strips BuildKit step prefixes (`#12 `, `=> => `), Go's log timestamp (`2024/01/02
    /// 15:04:05 `) and logrus levels (`INFO[0012] `) that push lines may carry.
    static func droppingProgressPrefixes(_ text: Substring) -> Substring {
        var rest = text
        if rest.hasPrefix("#") {
            let digits = rest.dropFirst().prefix { $0.isNumber }
            if !digits.isEmpty, rest.dropFirst(1 + digits.count).hasPrefix(" ") {
                rest = rest.dropFirst(2 + digits.count)
            }
        }
        while rest.hasPrefix("=> ") { rest = rest.dropFirst(3) }
        let utf8 = Array(rest.utf8.prefix(20))
        if utf8.count == 20, utf8[4] == UInt8(ascii: "/"), utf8[7] == UInt8(ascii: "/"), utf8[10] == UInt8(ascii: " "),
           utf8[13] == UInt8(ascii: ":"), utf8[16] == UInt8(ascii: ":"), utf8[19] == UInt8(ascii: " ") {
            rest = rest.dropFirst(20)
        }
        for level in ["INFO[", "WARN[", "DEBU["] where rest.hasPrefix(level) {
            if let close = rest.firstIndex(of: "]") {
                rest = rest[rest.index(after: close)...].drop { $0 == " " }
            }
        }
        return rest
    }
}
