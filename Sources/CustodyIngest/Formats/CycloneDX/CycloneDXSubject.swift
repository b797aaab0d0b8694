import CustodyCore

/// Decides what a CycloneDX BOM describes from `metadata.component` (FORMATS.md §1.2).
///
/// Containers: the image digest may be in the `pkg:oci` / `pkg:docker` purl version (Trivy;
/// `sha256%3A` from older Syft decodes the same way), in `version` (Syft before mid-2023;
/// JFrog Xray writes `sha256__<hex>`, its storage folder name), in Trivy's
/// `aquasecurity:trivy:RepoDigest` property (`repo@sha256:…`), or as a SHA-256 hash. Trivy's
/// `ImageID` is the *config* digest and deliberately not used: artifact keys are registry
/// (manifest/index) digests, and a config digest would never join with them.
///
/// A container without any digest becomes an image reference (Trivy `RepoTag`, else
/// `name` + `version` as tag, Syft's shape for tagged input). A `name` that is an archive path
/// (`images/app.tar.gz`, what Trivy writes for tarball input) is not taken for a reference.
enum CycloneDXSubject {
    struct Resolution {
        var subject: SBOMSubject
        /// Problems worth a diagnostic (bad purl on the subject), with their location.
        var warnings: [String] = []
    }

    static func resolve(_ component: CycloneDXComponent?) -> Resolution {
        guard let component else { return Resolution(subject: .unnamed(name: nil)) }
        var warnings: [String] = []
        var purl: PackageURL?
        if let text = component.purl, !text.isEmpty {
            do {
                purl = try PackageURL(parsing: text)
            } catch {
                warnings.append("metadata.component has an invalid purl (\(message(of: error))); ignored")
            }
        }
        if component.type == "container", let subject = containerSubject(component, purl: purl) {
            return Resolution(subject: subject, warnings: warnings)
        }
        if let purl { return Resolution(subject: .package(purl), warnings: warnings) }
        return Resolution(subject: .unnamed(name: nonEmpty(component.name)), warnings: warnings)
    }

    private static func containerSubject(_ component: CycloneDXComponent, purl: PackageURL?) -> SBOMSubject? {
        let repoTags = component.properties(named: "aquasecurity:trivy:RepoTag")
            .compactMap { text in (try? ImageReference(parsing: text)).map { (text, $0) } }
        let componentName = nonEmpty(component.name).flatMap { looksLikeImageName($0) ? $0 : nil }

        var digest: Digest?
        var name: String?
        var tag: String?

        if let purl, purl.type == "oci" || purl.type == "docker", let version = purl.version,
           let found = imageDigest(version) {
            digest = found
            tag = purl.qualifier("tag")
            name = repositoryName(of: purl)
        }
        if digest == nil, let version = component.version, let found = imageDigest(version) {
            digest = found
        }
        for repoDigest in component.properties(named: "aquasecurity:trivy:RepoDigest") {
            guard let at = repoDigest.lastIndex(of: "@"),
                  let found = imageDigest(String(repoDigest[repoDigest.index(after: at)...])) else { continue }
            if digest == nil { digest = found }
            if found == digest, name == nil { name = String(repoDigest[..<at]) }
        }
        if digest == nil {
            for hash in component.hashes where Digest.algorithm(named: hash.algorithm) == .sha256 {
                if let found = try? Digest(algorithm: .sha256, hex: hash.content) {
                    digest = found
                    break
                }
            }
        }

        if let digest {
            if name == nil, let (text, _) = repoTags.first { name = text }
            if name == nil { name = componentName }
            if tag == nil, let name, let reference = try? ImageReference(parsing: name) {
                tag = repoTags.first { $0.1.repository == reference.repository }?.1.tag
                if tag == nil, reference.tag == nil, name == componentName,
                   let version = component.version, imageDigest(version) == nil, isTag(version) {
                    tag = version
                }
            }
            return .artifact(digest, name: name, tag: tag)
        }

        if let (_, reference) = repoTags.first { return .imageReference(reference) }
        guard let componentName, var reference = try? ImageReference(parsing: componentName) else { return nil }
        if reference.tag == nil, reference.digest == nil, let version = component.version, isTag(version),
           let tagged = try? ImageReference(host: reference.host, path: reference.path, tag: version) {
            reference = tagged
        }
        return .imageReference(reference)
    }

    /// `host/path` of an image purl: `repository_url` for `oci` (the spec's place for it),
    /// `repository_url` + namespace/name for `docker`. Nil when the purl does not say.
    private static func repositoryName(of purl: PackageURL) -> String? {
        if purl.type == "oci" { return purl.qualifier("repository_url") }
        let path = [purl.namespace, purl.name].compactMap { $0 }.joined(separator: "/")
        if let host = purl.qualifier("repository_url") { return host + "/" + path }
        return path
    }

    /// A registry digest as written in a version or property: `sha256:<hex>` (also
    /// percent-encoded `sha256%3A`) or JFrog's `sha256__<hex>`. OCI algorithms only.
    static func imageDigest(_ text: String) -> Digest? {
        var value = text
        if value.contains("%3A") || value.contains("%3a") {
            value = value.replacing("%3A", with: ":").replacing("%3a", with: ":")
        }
        if let range = value.firstRange(of: "__"), !value[..<range.lowerBound].contains(":") {
            value.replaceSubrange(range, with: ":")
        }
        guard let digest = try? Digest(parsing: value) else { return nil }
        switch digest.algorithm {
        case .sha256, .sha384, .sha512: return digest
        default: return nil
        }
    }

    /// Not an archive or directory path (Trivy puts the tarball path in `name`).
    private static func looksLikeImageName(_ text: String) -> Bool {
        let lower = text.lowercased()
        for suffix in [".tar", ".tar.gz", ".tgz", ".tar.zst", ".tar.xz", ".zip", ".oci"] where lower.hasSuffix(suffix) {
            return false
        }
        return !lower.hasPrefix("/") && !lower.hasPrefix(".") && (try? ImageReference(parsing: text)) != nil
    }

    private static func isTag(_ text: String) -> Bool {
        (try? ImageReference(host: "docker.io", path: "library/x", tag: text)) != nil
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    static func message(of error: any Error) -> String {
        (error as? CustodyError)?.message ?? String(describing: error)
    }
}
