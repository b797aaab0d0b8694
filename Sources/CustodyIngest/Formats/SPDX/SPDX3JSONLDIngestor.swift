import CustodyCore
import CustodyJSON

/// SPDX 3.0 JSON-LD (FORMATS.md §2.4): a flat `@graph` of elements that reference each other by
/// IRI string. Reads `SpdxDocument` (key, `rootElement`, creation info), `software_Sbom`/`Bom`
/// root elements, `software_Package`, `software_File` (counted) and every `*Relationship`
/// (`contains`, `dependsOn`, `describes`, links). `type`/`@type` and `spdxId`/`@id` are both
/// accepted, as are expanded type IRIs (`…/terms/Software/Package`). Locations are pointers
/// (`/@graph/12`). Facts are made by `SPDXFactMapper`.
public struct SPDX3JSONLDIngestor: Ingestor {
    public init() {}

    public var descriptor: IngestorDescriptor {
        IngestorDescriptor(
            id: "spdx3-jsonld", version: "1",
            summary: "SPDX 3.0 JSON-LD SBOM (packages and relationships)",
            emits: "sbom, artifact, image-reference, package; describes, contains, dependsOn, storedIn, refersTo")
    }

    public func detect(_ sample: DetectionSample) -> Confidence {
        guard sample.looksLikeJSON else { return .none }
        if sample.contains("spdx.org/rdf/3."), sample.contains("\"@context\"") || sample.contains("\"@graph\"") { return .high }
        if sample.contains("\"@graph\""), sample.contains("\"spdxId\"") || sample.contains("SpdxDocument") { return .medium }
        if sample.fileNameHasSuffix(".spdx3.json", ".spdx.jsonld", ".jsonld") { return .low }
        return .none
    }

    public func ingest(_ input: IngestInput) throws -> FactBatch {
        let reader = SPDXJSONReader(source: input.source)
        let document = try reader.parse(input.bytes)
        var graph = SPDX3Graph(reader: reader, format: descriptor.id)
        try graph.read(document.root)
        return SPDXFactMapper(model: graph.makeModel(), bytes: input.bytes).makeBatch()
    }
}

struct SPDX3Graph {
    let reader: SPDXJSONReader
    private var model: SPDXDocumentModel

    private struct CreationInfo {
        var created: String?
        var location: String
        var specVersion: String?
        var createdBy: [String] = []
        var createdUsing: [String] = []
    }

    private var creationInfos: [String: CreationInfo] = [:]
    private var firstCreationInfo: CreationInfo?
    private var documentCreationInfo: CreationInfo?
    private var documentID: String?
    private var documentRoots: [(String, String)] = []
    private var bomRoots: [String: [(String, String)]] = [:]
    private var firstBom: String?
    private var agentNames: [String: String] = [:]

    init(reader: SPDXJSONReader, format: String) {
        self.reader = reader
        model = SPDXDocumentModel(format: format)
    }

    mutating func read(_ root: JSONValue) throws {
        if root.isArray {
            try readElements(root, pointer: "")
            return
        }
        try reader.requireObject(root, pointer: "", what: "an SPDX 3 JSON-LD document")
        if let graph = try reader.array(root, "@graph", pointer: "") {
            try readElements(graph, pointer: "/@graph")
        } else if root["type"] != nil || root["@type"] != nil {
            try readElement(root, pointer: "")
        } else {
            throw reader.reject("not an SPDX 3 JSON-LD document: no @graph", at: root, pointer: "")
        }
    }

    private mutating func readElements(_ array: JSONValue, pointer: String) throws {
        model.packages.reserveCapacity(array.count / 2)
        for (index, element) in array.elements.enumerated() {
            try readElement(element, pointer: "\(pointer)/\(index)")
        }
    }

    private mutating func readElement(_ element: JSONValue, pointer: String) throws {
        try reader.requireObject(element, pointer: pointer, what: "a graph element")
        guard let rawType = try reader.string(element, "type", pointer: pointer)
                ?? reader.string(element, "@type", pointer: pointer) else { return }
        let type = Self.normalizeType(rawType)
        let id = try reader.string(element, "spdxId", pointer: pointer) ?? reader.string(element, "@id", pointer: pointer)
        switch type {
        case "CreationInfo":
            let info = try readCreationInfo(element, pointer: pointer)
            if let id { creationInfos[id] = info }
            if firstCreationInfo == nil { firstCreationInfo = info }
        case "SpdxDocument":
            guard documentID == nil else { return }
            documentID = id
            model.name = try reader.string(element, "name", pointer: pointer)
            documentRoots = try reader.strings(element, "rootElement", pointer: pointer)
            // A blank-node reference (usual) or the creation info inline.
            if let value = element["creationInfo"], value.isObject {
                documentCreationInfo = try readCreationInfo(value, pointer: pointer + "/creationInfo")
            } else if let reference = try reader.string(element, "creationInfo", pointer: pointer) {
                documentCreationInfo = creationInfos[reference]
                pendingCreationInfoReference = reference
            }
        case "software_Sbom", "Bom", "Bundle":
            guard let id else { return }
            bomRoots[id] = try reader.strings(element, "rootElement", pointer: pointer)
            if firstBom == nil { firstBom = id }
        case "software_Package":
            model.packages.append(try readPackage(element, id: id, pointer: pointer))
        case "software_File":
            model.fileCount += 1
            if let id { model.fileNames[id] = try reader.string(element, "name", pointer: pointer) ?? id }
        case "Tool", "Person", "Organization", "SoftwareAgent", "Agent":
            if let id, let name = try reader.string(element, "name", pointer: pointer) { agentNames[id] = name }
        default:
            if type.hasSuffix("Relationship") { try readRelationship(element, pointer: pointer) }
        }
    }

    /// A document whose creation info node comes after it in the graph.
    private var pendingCreationInfoReference: String?

    private func readCreationInfo(_ element: JSONValue, pointer: String) throws -> CreationInfo {
        var info = CreationInfo(location: pointer + "/created")
        info.created = try reader.string(element, "created", pointer: pointer)
        info.specVersion = try reader.string(element, "specVersion", pointer: pointer)
        info.createdBy = try reader.strings(element, "createdBy", pointer: pointer).map(\.0)
        info.createdUsing = try reader.strings(element, "createdUsing", pointer: pointer).map(\.0)
        return info
    }

    private func readPackage(_ element: JSONValue, id: String?, pointer: String) throws -> SPDXPackageRecord {
        var package = SPDXPackageRecord(location: pointer)
        package.id = id
        package.name = try reader.string(element, "name", pointer: pointer)
        package.version = try reader.string(element, "software_packageVersion", pointer: pointer)
        package.purl = try reader.string(element, "software_packageUrl", pointer: pointer)
        package.purpose = try reader.string(element, "software_primaryPurpose", pointer: pointer)?.uppercased()
        if let identifiers = try reader.array(element, "externalIdentifier", pointer: pointer) {
            for (index, identifier) in identifiers.elements.enumerated() {
                let itemPointer = "\(pointer)/externalIdentifier/\(index)"
                try reader.requireObject(identifier, pointer: itemPointer, what: "an external identifier")
                guard let kind = try reader.string(identifier, "externalIdentifierType", pointer: itemPointer),
                      let value = try reader.string(identifier, "identifier", pointer: itemPointer) else { continue }
                switch kind {
                case "packageUrl": if package.purl == nil { package.purl = value }
                case "cpe23", "cpe22": package.addExternalRef(category: "SECURITY", type: kind, locator: value)
                default: break
                }
            }
        }
        if let hashes = try reader.array(element, "verifiedUsing", pointer: pointer) {
            for (index, hash) in hashes.elements.enumerated() {
                let itemPointer = "\(pointer)/verifiedUsing/\(index)"
                try reader.requireObject(hash, pointer: itemPointer, what: "an integrity method")
                let type = try reader.string(hash, "type", pointer: itemPointer) ?? reader.string(hash, "@type", pointer: itemPointer)
                guard type.map(Self.normalizeType) == "Hash",
                      let algorithm = try reader.string(hash, "algorithm", pointer: itemPointer),
                      let value = try reader.string(hash, "hashValue", pointer: itemPointer) else { continue }
                package.checksums.append(SPDXChecksum(algorithm: algorithm, value: value))
            }
        }
        return package
    }

    private mutating func readRelationship(_ element: JSONValue, pointer: String) throws {
        let from = try reader.string(element, "from", pointer: pointer)
        let type = try reader.string(element, "relationshipType", pointer: pointer)
        let targets = try reader.strings(element, "to", pointer: pointer)
        guard let from, let type else {
            throw reader.reject("a relationship needs from and relationshipType", at: element, pointer: pointer)
        }
        for (to, _) in targets {
            model.relationships.append(SPDXRelationshipRecord(from: from, type: type, to: to, location: pointer))
        }
    }

    /// Subjects: the document's root elements, looking through `software_Sbom`/`Bom` roots
    /// (a document usually has one Sbom whose root is the package), plus `describes` from the
    /// document or from such a Bom.
    mutating func makeModel() -> SPDXDocumentModel {
        // `describes` from the document is resolved here (through Boms), not by the mapper.
        model.documentID = nil
        model.namespace = documentID
        let info = documentCreationInfo ?? pendingCreationInfoReference.flatMap { creationInfos[$0] } ?? firstCreationInfo
        model.created = info?.created
        model.createdLocation = info?.location
        model.specVersion = info?.specVersion.map { "SPDX-" + $0 }
        let tools = info.map { $0.createdUsing.isEmpty ? $0.createdBy : $0.createdUsing } ?? []
        model.tools = tools.map { agentNames[$0] ?? $0 }

        var roots = documentRoots
        if roots.isEmpty, let firstBom { roots = [(firstBom, "")] }
        var containerIDs = Set<String>(documentID.map { [$0] } ?? [])
        var visited = Set<String>()
        var queue = roots
        var index = 0
        while index < queue.count {
            let (id, location) = queue[index]
            index += 1
            guard visited.insert(id).inserted else { continue }
            if let nested = bomRoots[id] {
                containerIDs.insert(id)
                queue.append(contentsOf: nested)
            } else {
                model.describes.append((id, location))
            }
        }
        for relationship in model.relationships where containerIDs.contains(relationship.from) {
            if SPDXRelationshipType.normalize(relationship.type) == .init(kind: .describes, reversed: false),
               bomRoots[relationship.to] == nil {
                model.describes.append((relationship.to, relationship.location))
            }
        }
        return model
    }

    /// `software_Package`, `spdx:software_Package`, `https://spdx.org/rdf/3.0.1/terms/Software/Package`
    /// → `software_Package`; Core types have no prefix (`…/terms/Core/Relationship` → `Relationship`).
    static func normalizeType(_ raw: String) -> String {
        var text = Substring(raw)
        if let terms = text.firstRange(of: "/terms/") {
            text = text[terms.upperBound...]
        } else if !text.contains("/"), let colon = text.lastIndex(of: ":") {
            text = text[text.index(after: colon)...]
        }
        let parts = text.split(separator: "/")
        guard parts.count >= 2, let first = parts.first, let last = parts.last else { return String(text) }
        if first == "Core" { return String(last) }
        return first.prefix(1).lowercased() + first.dropFirst() + "_" + last
    }
}
