import CustodyCore
import CustodyCrypto

/// Turns what a CycloneDX reader found into SBOM facts through `SBOMBuilder`, identically for
/// JSON and XML.
///
/// Order of calls: `init` (header + metadata component → sbom node and subject), then
/// `addComponent` for every component in document pre-order, then `resolveDependent` /
/// `addDependency` for the `dependencies` section, then `finish`.
///
/// Decisions (see FORMATS.md §1):
/// - every component, nested ones too, is a package `contain`ed by the subject; `type: file`
///   components are skipped (Syft lists every file it hashed) and counted in one info diagnostic;
/// - `bom-ref`s resolve only within this document (they are not identities); a BOM-Link
///   (`urn:cdx:<uuid>/<version>#ref`) to this same document resolves to its fragment, one to
///   another BOM is reported as unresolved;
/// - dependency entries from or to the subject are skipped: `contains` already says it;
/// - unknown refs give one warning each, the first 20 by name and then a count;
/// - a `bom-ref` seen twice keeps its first component (warned, also capped).
struct CycloneDXFactMapper {
    private var builder: SBOMBuilder
    private let subject: LocalNodeID
    private let subjectRef: String?
    private let subjectRefBytes: [UInt8]
    private let documentKey: String
    private var refs: BomRefIndex
    /// `bom-ref`s of skipped file components: dependencies on them are dropped silently.
    private var skippedRefs: Set<String> = []
    private var fileComponents = 0
    private var unknownRefs = 0
    private var duplicateRefs = 0

    static let warningCap = 20

    /// - Parameters:
    ///   - format: stored as the sbom node's `format` attribute (`cyclonedx-json`, `cyclonedx-xml`).
    ///   - metadataComponent: `metadata.component`, with all its properties and hashes.
    init(header: CycloneDXHeader, format: String, documentBytes: [UInt8],
         metadataComponent: CycloneDXComponent?, expectedComponents: Int, expectedDependencies: Int,
         stream: FactStream? = nil) {
        var keyProblem: String?
        var key: String?
        if let serial = header.serialNumber {
            key = CycloneDXDocumentKey.key(serialNumber: serial, version: header.bomVersion)
            if key == nil {
                keyProblem = "serialNumber \(Self.quote(serial)) is not urn:uuid:<uuid>; the SBOM is keyed by its content hash"
            }
        }
        documentKey = key ?? "sha256:" + SHA256Hasher.hex(of: documentBytes)

        var timeProblem: String?
        var createdAt: Timestamp?
        if let text = header.timestamp, !text.isEmpty {
            do {
                createdAt = try Timestamp(rfc3339: text)
            } catch {
                timeProblem = "metadata.timestamp \(Self.quote(text)) is not an RFC 3339 time (\(CycloneDXSubject.message(of: error))); the SBOM is recorded without a time"
            }
        }

        builder = SBOMBuilder(documentKey: documentKey, format: format, specVersion: header.specVersion,
                              createdAt: createdAt, tools: header.tools,
                              name: metadataComponent?.name)
        builder.reserve(components: expectedComponents, dependencies: expectedDependencies)
        builder.stream(to: stream)
        refs = BomRefIndex(capacity: expectedComponents)
        if let keyProblem { builder.warn(keyProblem, at: header.serialNumberLocation) }
        if let timeProblem { builder.warn(timeProblem, at: header.timestampLocation) }

        let resolution = CycloneDXSubject.resolve(metadataComponent)
        for warning in resolution.warnings { builder.warn(warning, at: metadataComponent?.location) }
        subject = builder.addSubject(resolution.subject, at: metadataComponent?.location)
        let ref = metadataComponent?.bomRef
        subjectRef = ref?.isEmpty == false ? ref : nil
        subjectRefBytes = Array((subjectRef ?? "").utf8)
    }

    /// Hands the facts added so far to the writer, when the document is streamed.
    mutating func publish() {
        builder.publish()
    }

    /// Adds one inventory component (metadata.component's children included).
    mutating func addComponent(_ component: CycloneDXComponent) {
        if component.type == "file" {
            fileComponents += 1
            if let ref = component.bomRef, !ref.isEmpty { skippedRefs.insert(ref) }
            return
        }
        var purl: PackageURL?
        if let text = component.purl, !text.isEmpty {
            do {
                purl = try PackageURL(parsing: text)
            } catch {
                builder.warn("component \(Self.describe(component)) has an invalid purl (\(CycloneDXSubject.message(of: error))); recorded without it",
                             at: component.location)
            }
        }
        let node = builder.addPackage(purl: purl, name: component.name, version: component.version,
                                      group: component.group, componentType: component.type,
                                      cpe: component.cpe?.isEmpty == false ? component.cpe : nil,
                                      at: component.location)
        builder.addContains(subject, node, properties: CycloneDXProperties.edgeAttributes(component.properties),
                            at: component.location)
        guard let ref = component.bomRef, !ref.isEmpty else { return }
        if refs.insert(ref, node) != nil {
            duplicateRefs += 1
            if duplicateRefs <= Self.warningCap {
                builder.warn("bom-ref \(Self.quote(ref)) is used by more than one component; dependencies use the first",
                             at: component.location)
            }
        }
    }

    /// The package a dependency entry's `ref` names, or nil when the entry is to be skipped
    /// (the subject, a file, an empty ref, or an unknown ref — the last one warned).
    mutating func resolveDependent(_ ref: String, at location: @autoclosure () -> String) -> LocalNodeID? {
        resolve(ref, at: location)
    }

    /// `dependent dependsOn <ref>`, unless `ref` is the subject, a file, or unknown (warned at
    /// `refLocation`). The edge is located at its dependency entry.
    mutating func addDependency(_ dependent: LocalNodeID, on ref: String, entry: String,
                                at refLocation: @autoclosure () -> String) {
        guard let dependency = resolve(ref, at: refLocation) else { return }
        builder.addDependsOn(dependent, dependency, at: entry)
    }

    /// Resolution of a reference given as UTF-8 bytes (the JSON reader's, without a `String`):
    /// decided here when it names a component or the subject (nearly always), else `.slow` and
    /// the caller resolves the decoded text (skipped files, BOM-Links, unknown refs).
    enum QuickResolution {
        case resolved(LocalNodeID?)
        case slow
    }

    func quickResolve(_ ref: UnsafeBufferPointer<UInt8>) -> QuickResolution {
        if ref.isEmpty || ref.elementsEqual(subjectRefBytes) { return .resolved(nil) }
        guard let node = refs.node(for: ref) else { return .slow }
        return .resolved(node == subject ? nil : node)
    }

    /// `dependent dependsOn dependency` for a reference `quickResolve` resolved.
    mutating func addDependency(_ dependent: LocalNodeID, resolved dependency: LocalNodeID, entry: String) {
        builder.addDependsOn(dependent, dependency, at: entry)
    }

    private mutating func resolve(_ ref: String, at location: () -> String) -> LocalNodeID? {
        if ref.isEmpty || ref == subjectRef { return nil }
        if let node = refs.node(for: ref) { return node == subject ? nil : node }
        if skippedRefs.contains(ref) { return nil }
        if ref.hasPrefix("urn:cdx:"), let hash = ref.firstIndex(of: "#") {
            if ref[..<hash] == documentKey {
                let fragment = String(ref[ref.index(after: hash)...])
                if fragment.isEmpty || fragment == subjectRef || skippedRefs.contains(fragment) { return nil }
                if let node = refs.node(for: fragment) { return node == subject ? nil : node }
            } else {
                unknown("BOM-Link \(Self.quote(ref)) points into another SBOM; the dependency is not recorded", at: location)
                return nil
            }
        }
        unknown("dependency ref \(Self.quote(ref)) names no component of this SBOM", at: location)
        return nil
    }

    private mutating func unknown(_ message: String, at location: () -> String) {
        unknownRefs += 1
        if unknownRefs <= Self.warningCap { builder.warn(message, at: location()) }
    }

    consuming func finish() -> FactBatch {
        if fileComponents > 0 {
            builder.info("\(fileComponents) component(s) of type file were skipped (files are not packages)", at: nil)
        }
        if unknownRefs > Self.warningCap {
            builder.warn("\(unknownRefs - Self.warningCap) more dependency refs name no component of this SBOM (\(unknownRefs) in all)",
                         at: "dependencies")
        }
        if duplicateRefs > Self.warningCap {
            builder.warn("\(duplicateRefs - Self.warningCap) more duplicate bom-refs (\(duplicateRefs) in all)", at: "components")
        }
        return builder.finish()
    }

    private static func describe(_ component: CycloneDXComponent) -> String {
        let name = [component.group, component.name].compactMap { $0?.isEmpty == false ? $0 : nil }.joined(separator: "/")
        return quote((name.isEmpty ? "(no name)" : name) + (component.version.map { "@\($0)" } ?? ""))
    }

    /// Quotes hostile text for a message: bounded, control characters escaped.
    static func quote(_ text: String, limit: Int = 120) -> String {
        let prefix = text.unicodeScalars.prefix(limit)
        var body = String(String.UnicodeScalarView(prefix)).debugDescription
        if prefix.count < text.unicodeScalars.count { body += "…" }
        return body
    }
}
