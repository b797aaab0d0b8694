import CustodyCore

/// What an SBOM says it describes.
public enum SBOMSubject: Sendable {
    /// An image or blob known by digest (CycloneDX `metadata.component` with a digest version
    /// or `pkg:oci/...@sha256:` purl, SPDX root package checksum).
    case artifact(Digest, name: String?, tag: String?)
    /// An image named only by reference (`registry/app:1.4.2`): kept so that a later digest
    /// for the same reference (registry events, provenance) can link it.
    case imageReference(ImageReference)
    /// An application or library with a purl (`pkg:npm/juice-shop@11.1.2`).
    case package(PackageURL)
    /// A subject with a name but no usable identity; the SBOM node stands for it.
    case unnamed(name: String?)
}

/// The shared fact vocabulary of every SBOM format, so CycloneDX, SPDX 2 and SPDX 3 produce
/// the same graph for the same content:
///
/// - `sbom` node (key: serial number / namespace) `describes` each subject;
/// - the subject is an `artifact` (digest), an `image-reference`, a `package`, or the `sbom`
///   node itself;
/// - every component is a `package` node keyed by its canonical purl without qualifiers
///   (qualifiers kept as an attribute); one without a purl gets a `pkg:generic/...` key marked
///   `synthesized` and a diagnostic;
/// - the subject `contains` every component (flattened, nested ones too), with the SBOM time
///   as the edge's interval and the component's properties on the edge;
/// - dependency relations are `dependsOn` edges between packages.
public struct SBOMBuilder {
    public private(set) var batch = FactBatch()
    public let sbom: LocalNodeID
    public let time: Timestamp?
    public private(set) var subjects: [LocalNodeID] = []
    /// Components without a purl are listed one by one up to this many, then counted.
    static let listedMissingPurls = 50
    private var missingPurls = 0
    private var sharedAttributes: [AttributeSet: [String: String]] = [:]

    /// - Parameter tools: the tools the document names as its producers, as written; the
    ///   `producer` attribute lists each non-empty one once, in the order first named (a set:
    ///   a crafted list of 50,000 took 4 s when each was compared with every earlier one).
    public init(documentKey: String, format: String, specVersion: String?, createdAt: Timestamp?,
                tools: [String], name: String?) {
        time = createdAt
        var attributes = ["format": format]
        if let specVersion { attributes["specVersion"] = specVersion }
        if let createdAt { attributes["createdAt"] = createdAt.rfc3339 }
        var seen = Set<String>()
        let producer = tools.filter { !$0.isEmpty && seen.insert($0).inserted }.joined(separator: ", ")
        if !producer.isEmpty { attributes["producer"] = producer }
        if let name, !name.isEmpty { attributes["name"] = name }
        sbom = batch.node(.sbom, documentKey, attributes: attributes, at: "")
        batch.observedAt = createdAt
    }

    public mutating func reserve(components: Int, dependencies: Int) {
        batch.reserve(nodes: components + 8, edges: components + dependencies + 8)
    }

    /// Records what the SBOM describes and returns the node that will `contain` components.
    @discardableResult
    public mutating func addSubject(_ subject: SBOMSubject, at location: String?) -> LocalNodeID {
        let node: LocalNodeID
        switch subject {
        case let .artifact(digest, name, tag):
            var attributes: [String: String] = [:]
            if let name { attributes["name"] = name }
            node = batch.node(.artifact, digest.description, attributes: attributes, at: location)
            if let name, let reference = try? ImageReference(parsing: name) {
                let repository = batch.node(.imageRepository, reference.repository, at: location)
                batch.edge(.storedIn, from: node, to: repository, firstSeen: time, lastSeen: time, at: location)
                let writtenTag = tag ?? reference.tag
                if let writtenTag, let referenceNode = imageReferenceNode(repository: reference.repository, tag: writtenTag, at: location) {
                    // A claim only ("was tagged so when the SBOM was written"), not tag history.
                    batch.edge(.refersTo, from: referenceNode, to: node, firstSeen: time, lastSeen: time,
                               certainty: .inferred, at: location)
                }
            }
        case let .imageReference(reference):
            let tag = reference.tag ?? "latest"
            node = imageReferenceNode(repository: reference.repository, tag: tag, at: location)
                ?? batch.node(.imageReference, reference.description, at: location)
            let repository = batch.node(.imageRepository, reference.repository, at: location)
            batch.edge(.storedIn, from: node, to: repository, firstSeen: time, lastSeen: time, at: location)
        case let .package(purl):
            node = batch.node(.package, purl.identityKey, attributes: packageAttributes(purl, componentType: nil), at: location,
                              package: PackageColumns(purl))
        case .unnamed:
            node = sbom
        }
        if node != sbom {
            batch.edge(.describes, from: sbom, to: node, firstSeen: time, lastSeen: time, at: location)
        }
        subjects.append(node)
        return node
    }

    private mutating func imageReferenceNode(repository: String, tag: String, at location: String?) -> LocalNodeID? {
        batch.node(.imageReference, "\(repository):\(tag)", at: location)
    }

    /// Adds a component as a package node. Returns nil only for entries that are not
    /// packages (files), which the caller skips.
    public mutating func addPackage(purl: PackageURL?, name: String?, version: String?, group: String? = nil,
                                    componentType: String? = nil, cpe: String? = nil, at location: String?) -> LocalNodeID {
        if let purl {
            var attributes = packageAttributes(purl, componentType: componentType)
            if let cpe { attributes["cpe"] = cpe }
            return batch.node(.package, purl.identityKey, attributes: attributes, at: location, package: PackageColumns(purl))
        }
        let synthesized = PackageURL(type: "generic", namespace: group?.isEmpty == false ? group : nil,
                                     name: (name?.isEmpty == false ? name : nil) ?? "unnamed", version: version)
        var attributes = packageAttributes(synthesized, componentType: componentType)
        attributes["synthesized"] = "true"
        if let cpe { attributes["cpe"] = cpe }
        missingPurls += 1
        if missingPurls <= Self.listedMissingPurls {
            batch.warn("component \(name ?? "(no name)")\(version.map { "@\($0)" } ?? "") has no purl; recorded as \(synthesized.identityKey)",
                       at: location)
        }
        return batch.node(.package, synthesized.identityKey, attributes: attributes, at: location,
                          package: PackageColumns(synthesized))
    }

    /// Packages share a few attribute sets (`componentType` `library`, the same distro
    /// qualifiers): one dictionary per distinct set, not one allocation per component.
    private mutating func packageAttributes(_ purl: PackageURL, componentType: String?) -> [String: String] {
        let qualifiers = purl.qualifiers.isEmpty ? nil : purl.qualifiers.map { "\($0.key)=\($0.value)" }.joined(separator: "&")
        let key = AttributeSet(qualifiers: qualifiers, componentType: componentType)
        if let shared = sharedAttributes[key] { return shared }
        var attributes: [String: String] = [:]
        if let qualifiers { attributes["qualifiers"] = qualifiers }
        if let componentType { attributes["componentType"] = componentType }
        if sharedAttributes.count < 4096 { sharedAttributes[key] = attributes }
        return attributes
    }

    private struct AttributeSet: Hashable {
        var qualifiers: String?
        var componentType: String?
    }

    /// `subject contains package`, with per-document properties (e.g. `acme:runtime`) on the edge.
    public mutating func addContains(_ subject: LocalNodeID, _ package: LocalNodeID,
                                     properties: [String: String] = [:], at location: String?) {
        guard subject != package else { return }
        batch.edge(.contains, from: subject, to: package, firstSeen: time, lastSeen: time, attributes: properties, at: location)
    }

    public mutating func addDependsOn(_ dependent: LocalNodeID, _ dependency: LocalNodeID, at location: String?) {
        guard dependent != dependency else { return }
        batch.edge(.dependsOn, from: dependent, to: dependency, firstSeen: time, lastSeen: time, at: location)
    }

    /// Publishes the facts added so far to `stream` from now on (`FactBatch.publish`).
    public mutating func stream(to stream: FactStream?) {
        batch.stream = stream
    }

    /// Hands the facts added since the last call to the batch's stream, if it has one.
    public mutating func publish() {
        batch.publish()
    }

    public mutating func warn(_ message: String, at location: String?) {
        batch.warn(message, at: location)
    }

    public mutating func info(_ message: String, at location: String?) {
        batch.diagnose(Diagnostic(.info, message, at: location))
    }

    public func finish() -> FactBatch {
        var result = batch
        if missingPurls > Self.listedMissingPurls {
            result.warn("\(missingPurls - Self.listedMissingPurls) more components have no purl (recorded as pkg:generic/…)")
        }
        return result
    }
}
