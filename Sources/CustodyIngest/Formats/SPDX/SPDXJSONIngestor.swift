import CustodyCore
import CustodyJSON

/// SPDX 2.2 / 2.3 JSON (FORMATS.md §2.1–2.2): Syft, Trivy, ko, Microsoft sbom-tool,
/// kubernetes-sigs/bom, spdx-maven-plugin. Facts are made by `SPDXFactMapper`.
public struct SPDXJSONIngestor: Ingestor {
    public init() {}

    public var descriptor: IngestorDescriptor {
        IngestorDescriptor(
            id: "spdx-json", version: "1",
            summary: "SPDX 2.2/2.3 JSON SBOM (Syft, Trivy, ko, sbom-tool, bom)",
            emits: "sbom, artifact, image-reference, package; describes, contains, dependsOn, storedIn, refersTo")
    }

    public func detect(_ sample: DetectionSample) -> Confidence {
        guard sample.firstByte == UInt8(ascii: "{") else { return .none }
        if sample.contains("\"spdxVersion\""), sample.contains("\"SPDX-2") { return .high }
        // sbom-tool writes `files` (thousands of them) before `spdxVersion`.
        if sample.contains("\"SPDXID\""), sample.contains("\"SPDXRef-") { return .medium }
        if sample.fileNameHasSuffix(".spdx.json") { return .low }
        return .none
    }

    public func ingest(_ input: IngestInput) throws -> FactBatch {
        let reader = SPDXJSONReader(source: input.source)
        let document = try reader.parse(input.bytes)
        let model = try Self.readModel(document.root, reader: reader, format: descriptor.id)
        return SPDXFactMapper(model: model, bytes: input.bytes).makeBatch()
    }

    static func readModel(_ root: JSONValue, reader: SPDXJSONReader, format: String) throws -> SPDXDocumentModel {
        try reader.requireObject(root, pointer: "", what: "an SPDX JSON document")
        var model = SPDXDocumentModel(format: format)
        guard let version = try reader.string(root, "spdxVersion", pointer: "") else {
            throw reader.reject("not an SPDX 2 JSON document: spdxVersion is missing", at: root, pointer: "")
        }
        model.specVersion = version
        model.documentID = try reader.string(root, "SPDXID", pointer: "") ?? "SPDXRef-DOCUMENT"
        model.namespace = try reader.string(root, "documentNamespace", pointer: "")
        model.name = try reader.string(root, "name", pointer: "")

        if let info = try reader.object(root, "creationInfo", pointer: "") {
            model.created = try reader.string(info, "created", pointer: "/creationInfo")
            model.createdLocation = "/creationInfo/created"
            for (creator, _) in try reader.strings(info, "creators", pointer: "/creationInfo") {
                if let tool = SPDXCreators.tool(creator) { model.tools.append(tool) }
            }
        }
        for (id, pointer) in try reader.strings(root, "documentDescribes", pointer: "") {
            model.describes.append((id, pointer))
        }
        if let packages = try reader.array(root, "packages", pointer: "") {
            model.packages.reserveCapacity(packages.count)
            for (index, element) in packages.elements.enumerated() {
                model.packages.append(try readPackage(element, pointer: "/packages/\(index)", reader: reader))
            }
        }
        if let files = try reader.array(root, "files", pointer: "") {
            for (index, element) in files.elements.enumerated() {
                let pointer = "/files/\(index)"
                try reader.requireObject(element, pointer: pointer, what: "a file")
                if let id = try reader.string(element, "SPDXID", pointer: pointer) {
                    model.fileNames[id] = try reader.string(element, "fileName", pointer: pointer) ?? id
                }
                model.fileCount += 1
            }
        }
        if let relationships = try reader.array(root, "relationships", pointer: "") {
            model.relationships.reserveCapacity(relationships.count)
            for (index, element) in relationships.elements.enumerated() {
                let pointer = "/relationships/\(index)"
                try reader.requireObject(element, pointer: pointer, what: "a relationship")
                let from = try reader.string(element, "spdxElementId", pointer: pointer)
                let type = try reader.string(element, "relationshipType", pointer: pointer)
                let to = try reader.string(element, "relatedSpdxElement", pointer: pointer)
                guard let from, let type, let to else {
                    throw reader.reject("a relationship needs spdxElementId, relationshipType and relatedSpdxElement",
                                        at: element, pointer: pointer)
                }
                model.relationships.append(SPDXRelationshipRecord(from: from, type: type, to: to, location: pointer))
            }
        }
        return model
    }

    static func readPackage(_ element: JSONValue, pointer: String, reader: SPDXJSONReader) throws -> SPDXPackageRecord {
        try reader.requireObject(element, pointer: pointer, what: "a package")
        var package = SPDXPackageRecord(location: pointer)
        package.id = try reader.string(element, "SPDXID", pointer: pointer)
        package.name = try reader.string(element, "name", pointer: pointer)
        package.version = try reader.string(element, "versionInfo", pointer: pointer)
        package.purpose = try reader.string(element, "primaryPackagePurpose", pointer: pointer)?.uppercased()
        if let checksums = try reader.array(element, "checksums", pointer: pointer) {
            for (index, checksum) in checksums.elements.enumerated() {
                let checksumPointer = "\(pointer)/checksums/\(index)"
                try reader.requireObject(checksum, pointer: checksumPointer, what: "a checksum")
                if let algorithm = try reader.string(checksum, "algorithm", pointer: checksumPointer),
                   let value = try reader.string(checksum, "checksumValue", pointer: checksumPointer) {
                    package.checksums.append(SPDXChecksum(algorithm: algorithm, value: value))
                }
            }
        }
        if let references = try reader.array(element, "externalRefs", pointer: pointer) {
            for (index, reference) in references.elements.enumerated() {
                let referencePointer = "\(pointer)/externalRefs/\(index)"
                try reader.requireObject(reference, pointer: referencePointer, what: "an external reference")
                let category = try reader.string(reference, "referenceCategory", pointer: referencePointer)
                if let type = try reader.string(reference, "referenceType", pointer: referencePointer),
                   let locator = try reader.string(reference, "referenceLocator", pointer: referencePointer) {
                    package.addExternalRef(category: category, type: type, locator: locator)
                }
            }
        }
        return package
    }
}

/// SPDX 2 `creators` strings: `Tool: syft-1.4.1`, `Organization: …`, `Person: …`.
enum SPDXCreators {
    static func tool(_ creator: String) -> String? {
        guard let colon = creator.firstIndex(of: ":") else { return nil }
        let kind = creator[..<colon].trimmingSPDXSpace()
        guard kind.lowercased() == "tool" else { return nil }
        let name = creator[creator.index(after: colon)...].trimmingSPDXSpace()
        return name.isEmpty ? nil : String(name)
    }
}

extension StringProtocol {
    /// Drops leading and trailing spaces, tabs and carriage returns.
    func trimmingSPDXSpace() -> SubSequence {
        var start = startIndex
        var end = endIndex
        while start < end, self[start] == " " || self[start] == "\t" || self[start] == "\r" { start = index(after: start) }
        while end > start {
            let before = index(before: end)
            guard self[before] == " " || self[before] == "\t" || self[before] == "\r" else { break }
            end = before
        }
        return self[start..<end]
    }
}
