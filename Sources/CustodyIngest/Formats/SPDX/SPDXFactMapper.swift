import CustodyCore
import CustodyCrypto

/// Turns an `SPDXDocumentModel` into facts through `SBOMBuilder`, the same way for SPDX 2 JSON,
/// tag-value and SPDX 3 (FORMATS.md §2, DESIGN.md §2):
///
/// - subjects are `documentDescribes[]` / `rootElement[]` plus `DOCUMENT DESCRIBES x` (and the
///   inverse `x DESCRIBED_BY DOCUMENT`); an image subject becomes an `artifact` (or an
///   `image-reference` when no digest is written), a package with a purl a `package`, anything
///   else the sbom node itself;
/// - every other package is a `package` node contained by every subject (flattened: Syft has
///   no root→package edges at all in old versions, Trivy chains image→OS→packages);
/// - `DEPENDS_ON`, `*_DEPENDENCY_OF`, links become `dependsOn` between package nodes.
struct SPDXFactMapper {
    let model: SPDXDocumentModel
    /// The whole document, for the fallback sbom key.
    let bytes: [UInt8]

    func makeBatch() -> FactBatch {
        var pending = PendingDiagnostics()
        let createdAt = parseCreated(&pending)
        let key = model.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "sha256:" + SHA256Hasher.hex(of: bytes)
        var builder = SBOMBuilder(documentKey: key, format: model.format, specVersion: model.specVersion,
                                  createdAt: createdAt, tools: model.tools,
                                  name: model.name)
        builder.reserve(components: model.packages.count, dependencies: model.relationships.count)
        pending.flushEarly(into: &builder)

        var packageIndex: [String: Int] = [:]
        for (index, package) in model.packages.enumerated() {
            guard let id = package.id else { continue }
            if packageIndex[id] == nil {
                packageIndex[id] = index
            } else {
                builder.warn("package id \(SPDXText.excerpt(id)) appears more than once; relationships use the first", at: package.location)
            }
        }

        // Subjects.
        var subjectIDs: [(id: String, location: String)] = model.describes
        for relationship in model.relationships {
            guard let normalized = SPDXRelationshipType.normalize(relationship.type),
                  normalized.kind == .describes else { continue }
            let (from, to) = normalized.reversed ? (relationship.to, relationship.from) : (relationship.from, relationship.to)
            if let documentID = model.documentID, from == documentID {
                subjectIDs.append((to, relationship.location))
            }
        }
        var seenSubjects = Set<String>()
        var unnamedSubjects = 0
        var subjectPackages: [Int: LocalNodeID] = [:]
        for (position, (id, location)) in subjectIDs.enumerated() where seenSubjects.insert(id).inserted {
            if SPDXElementID.isExternalOrVoid(id) {
                // Relationships are counted with the others below; only count documentDescribes here.
                if position < model.describes.count { pending.skippedReferences += 1 }
                continue
            }
            if let index = packageIndex[id] {
                let package = model.packages[index]
                let subject = SPDXSubjectClassifier.subject(for: package, builder: &builder)
                if case .unnamed = subject {
                    // Said, not silently dropped: such a package becomes no node of its own.
                    unnamedSubjects += 1
                    if unnamedSubjects <= Self.listedUnnamedSubjects {
                        builder.info("the document describes \(SPDXText.excerpt(Self.nameAndVersion(package))), which has no digest and no purl: the SBOM node stands for it",
                                     at: package.location)
                    }
                }
                subjectPackages[index] = builder.addSubject(subject, at: package.location)
            } else if let fileName = model.fileNames[id] {
                builder.addSubject(.unnamed(name: fileName), at: location)
            } else {
                builder.warn("the document describes \(SPDXText.excerpt(id)), which is not in the document", at: location)
            }
        }
        if unnamedSubjects > Self.listedUnnamedSubjects {
            builder.info("\(unnamedSubjects - Self.listedUnnamedSubjects) more described packages have no digest and no purl (\(unnamedSubjects) in all)",
                         at: nil)
        }
        if builder.subjects.isEmpty {
            builder.info("the document names no subject (no documentDescribes, rootElement or DESCRIBES); its packages are recorded as contained by the SBOM itself",
                         at: nil)
            builder.addSubject(.unnamed(name: model.name), at: nil)
        }
        var containers: [LocalNodeID] = []
        for subject in builder.subjects where !containers.contains(subject) {
            containers.append(subject)
        }

        // Packages: every non-subject package is a member of every subject.
        var nodeByID: [String: LocalNodeID] = [:]
        for (index, package) in model.packages.enumerated() {
            if let subjectNode = subjectPackages[index] {
                if let id = package.id, builder.batch.ref(subjectNode).kind == .package { nodeByID[id] = subjectNode }
                continue
            }
            let node = addPackage(package, builder: &builder)
            if let id = package.id, nodeByID[id] == nil { nodeByID[id] = node }
            for container in containers {
                builder.addContains(container, node, at: package.location)
            }
        }

        // Dependencies between packages.
        for relationship in model.relationships {
            if SPDXElementID.isExternalOrVoid(relationship.from) || SPDXElementID.isExternalOrVoid(relationship.to) {
                pending.skippedReferences += 1
                continue
            }
            guard let normalized = SPDXRelationshipType.normalize(relationship.type) else {
                pending.ignoredTypes[relationship.type, default: 0] += 1
                continue
            }
            guard normalized.kind == .dependsOn else { continue }
            let (dependent, dependency) = normalized.reversed
                ? (relationship.to, relationship.from) : (relationship.from, relationship.to)
            guard let from = nodeByID[dependent], let to = nodeByID[dependency] else {
                if packageIndex[dependent] == nil || packageIndex[dependency] == nil {
                    pending.unresolvedDependencies += 1
                } else {
                    pending.subjectDependencies += 1
                }
                continue
            }
            builder.addDependsOn(from, to, at: relationship.location)
        }
        pending.flush(into: &builder, fileCount: model.fileCount)
        return builder.finish()
    }

    /// Described packages without identity are listed one by one up to this many, then counted.
    static let listedUnnamedSubjects = 20

    static func nameAndVersion(_ package: SPDXPackageRecord) -> String {
        let name = package.name.flatMap { $0.isEmpty ? nil : $0 } ?? package.id ?? "(no name)"
        return package.version.flatMap { $0.isEmpty ? nil : $0 }.map { "\(name) \($0)" } ?? name
    }

    private func addPackage(_ package: SPDXPackageRecord, builder: inout SBOMBuilder) -> LocalNodeID {
        var purl: PackageURL?
        if let text = package.purl {
            do {
                purl = try PackageURL(parsing: text)
            } catch let error as CustodyError {
                builder.warn("unreadable purl \(SPDXText.excerpt(text)): \(error.message)", at: package.location)
            } catch {
                builder.warn("unreadable purl \(SPDXText.excerpt(text))", at: package.location)
            }
        }
        return builder.addPackage(purl: purl, name: package.name, version: package.version,
                                  componentType: package.purpose?.lowercased(), cpe: package.cpe, at: package.location)
    }

    private func parseCreated(_ pending: inout PendingDiagnostics) -> Timestamp? {
        guard let text = model.created, !text.isEmpty else { return nil }
        if let time = try? Timestamp(rfc3339: text) { return time }
        pending.early.append(Diagnostic(.warning, "creation time \(SPDXText.excerpt(text)) is not RFC 3339; the SBOM has no time",
                                        at: model.createdLocation))
        return nil
    }
}

/// Counts reported once per document rather than once per record.
private struct PendingDiagnostics {
    var early: [Diagnostic] = []
    var skippedReferences = 0
    var unresolvedDependencies = 0
    var subjectDependencies = 0
    var ignoredTypes: [String: Int] = [:]

    mutating func flushEarly(into builder: inout SBOMBuilder) {
        for diagnostic in early {
            if diagnostic.severity == .warning {
                builder.warn(diagnostic.message, at: diagnostic.location)
            } else {
                builder.info(diagnostic.message, at: diagnostic.location)
            }
        }
        early.removeAll()
    }

    func flush(into builder: inout SBOMBuilder, fileCount: Int) {
        if skippedReferences > 0 {
            builder.info("\(skippedReferences) relationship(s) name NOASSERTION, NONE or an element of another document (DocumentRef-…); skipped",
                         at: nil)
        }
        if unresolvedDependencies > 0 {
            builder.info("\(unresolvedDependencies) dependency relationship(s) name elements that are not packages of this document; skipped",
                         at: nil)
        }
        if subjectDependencies > 0 {
            builder.info("\(subjectDependencies) dependency relationship(s) of a subject without a package identity are recorded only as contains",
                         at: nil)
        }
        if !ignoredTypes.isEmpty {
            let list = ignoredTypes.sorted { $0.key < $1.key }.prefix(20)
                .map { "\(SPDXText.word($0.key)) ×\($0.value)" }.joined(separator: ", ")
            builder.info("relationship types not recorded: \(list)\(ignoredTypes.count > 20 ? ", …" : "")", at: nil)
        }
        if fileCount > 0 {
            builder.info("\(fileCount) file(s) listed; files are not recorded as packages", at: nil)
        }
    }
}

/// How an SBOM subject package becomes an `SBOMSubject` (FORMATS.md §2.2 "How tools encode the
/// image"): Syft puts the manifest digest in the SHA256 checksum and in an oci purl version
/// (`sha256%3A…`), Trivy an oci purl with `repository_url`, ko an oci purl without a name.
enum SPDXSubjectClassifier {
    static func subject(for package: SPDXPackageRecord, builder: inout SBOMBuilder) -> SBOMSubject {
        var purl: PackageURL?
        if let text = package.purl {
            do {
                purl = try PackageURL(parsing: text)
            } catch {
                builder.warn("unreadable purl \(SPDXText.excerpt(text)) on the subject", at: package.location)
            }
        }
        let isImage = package.purpose == "CONTAINER" || purl?.type == "oci" || purl?.type == "docker"
        if isImage {
            let digest = imageDigest(package, purl: purl)
            let reference = imageName(package, purl: purl)
            // Trivy names the package `rails:latest` and puts the repository in repository_url.
            let named = package.name.flatMap { try? ImageReference(parsing: $0) }
            let tag = purl?.qualifier("tag") ?? (named?.repository == reference?.repository ? named?.tag : nil)
            if let digest {
                return .artifact(digest, name: reference?.description, tag: tag)
            }
            if var reference {
                if let tag = tag ?? reference.tag ?? plausibleTag(package.version),
                   let tagged = try? ImageReference(host: reference.host, path: reference.path, tag: tag) {
                    reference = tagged
                }
                return .imageReference(reference)
            }
        }
        if let purl { return .package(purl) }
        return .unnamed(name: package.name)
    }

    /// The oci/docker purl version when it is a digest, else a SHA256 checksum, else a
    /// `versionInfo` that is a digest (Syft writes the digest there for `latest`).
    private static func imageDigest(_ package: SPDXPackageRecord, purl: PackageURL?) -> Digest? {
        if let version = purl?.version, let digest = try? Digest(parsing: version) { return digest }
        for checksum in package.checksums where Digest.algorithm(named: checksum.algorithm) == .sha256 {
            if let digest = try? Digest(algorithmName: checksum.algorithm, hex: checksum.value) { return digest }
        }
        if let version = package.version, let digest = try? Digest(parsing: version) { return digest }
        return nil
    }

    /// `repository_url` (purl spec), else the package name when it reads as an image reference
    /// (Syft: the name as typed). ko names packages by digest: no name then.
    private static func imageName(_ package: SPDXPackageRecord, purl: PackageURL?) -> ImageReference? {
        if let url = purl?.qualifier("repository_url"), let reference = try? ImageReference(parsing: url) {
            return reference
        }
        if let name = package.name, let reference = try? ImageReference(parsing: name) { return reference }
        return nil
    }

    private static func plausibleTag(_ version: String?) -> String? {
        guard let version, !version.isEmpty, (try? Digest(parsing: version)) == nil else { return nil }
        return version
    }
}

enum SPDXText {
    /// A relationship type or similar token for a message: letters, digits, `_`, `-` kept,
    /// anything else `?`, at most 40 characters.
    static func word(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(40) {
            switch scalar {
            case "A"..."Z", "a"..."z", "0"..."9", "_", "-": out.unicodeScalars.append(scalar)
            default: out += "?"
            }
        }
        return text.unicodeScalars.count > 40 ? out + "…" : out
    }

    /// A bounded, escaped quote of document text for messages.
    static func excerpt(_ text: String, limit: Int = 80) -> String {
        let prefix = text.unicodeScalars.prefix(limit)
        var body = String(String.UnicodeScalarView(prefix)).debugDescription
        if prefix.count < text.unicodeScalars.count { body += "…" }
        return body
    }
}
