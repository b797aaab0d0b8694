import CustodyCore
import CustodyJSON

/// CycloneDX JSON, `specVersion` 1.2 – 1.7 (any `1.x` is accepted; current Syft and Trivy
/// write 1.7). See FORMATS.md §1 and `CycloneDXFactMapper` for what becomes a fact.
///
/// Reads with `CustodyJSON` (one pass into a tape, then navigation without building objects),
/// so a 50 MB, 100,000-component SBOM stays well inside the ingest budget. The document is
/// rejected, with a line/column and JSON pointer, when it is not JSON, not CycloneDX, or when
/// a field that carries structure or identity has the wrong type (`components` not an array,
/// a component not an object, a `purl` that is a number…). Unknown fields are ignored.
public struct CycloneDXJSONIngestor: Ingestor {
    public init() {}

    public var descriptor: IngestorDescriptor {
        IngestorDescriptor(
            id: "cyclonedx-json",
            version: "1",
            summary: "CycloneDX SBOM, JSON encoding (specVersion 1.2–1.7; Syft, Trivy, cdxgen, cyclonedx-* plugins)",
            emits: "sbom, artifact / image-reference / package subject, package; describes, contains, dependsOn, storedIn, refersTo")
    }

    public var streams: Bool { true }

    public func detect(_ sample: DetectionSample) -> Confidence {
        let namedLikeIt = sample.fileNameHasSuffix(".cdx.json", ".cyclonedx.json", "bom.json")
        guard sample.looksLikeJSON else { return .none }
        if sample.contains("\"bomFormat\""), sample.contains("\"CycloneDX\"") { return .high }
        return namedLikeIt ? .low : .none
    }

    public func ingest(_ input: IngestInput) throws -> FactBatch {
        var timer = PhaseTimer(label: "cyclonedx-json")
        defer { timer.report() }
        let document: JSONDocument
        do {
            document = try JSONDocument(bytes: input.bytes)
        } catch {
            throw CustodyError.rejected("not a readable JSON document: \(error.message)",
                                        at: SourceLocation(path: input.source, line: error.line, column: error.column))
        }
        timer.mark("parse")
        let reader = CycloneDXJSONReader(source: input.source, bytes: input.bytes, stream: input.stream)
        let batch = try reader.read(document.root)
        timer.mark("facts")
        return batch
    }
}

/// The tape walk behind `CycloneDXJSONIngestor`.
struct CycloneDXJSONReader {
    let source: String
    /// The document's bytes, for the raw prefix test on property names.
    let bytes: [UInt8]
    /// Where facts are published while the document is read (`FactBatch.publish`), if anywhere.
    var stream: FactStream? = nil

    /// Components (or dependency entries) between two publications: ~100 chunks for the
    /// 100,000-component benchmark SBOM, each small next to the batch.
    static let publishEvery = 2_048

    func read(_ root: JSONValue) throws -> FactBatch {
        guard root.isObject else {
            throw reject("a CycloneDX JSON document is an object, found \(Self.describe(root.kind))", root, "")
        }
        guard let format = root["bomFormat"] else {
            throw reject("bomFormat is missing (a CycloneDX document has \"bomFormat\": \"CycloneDX\")", root, "")
        }
        guard format.string == "CycloneDX" else {
            throw reject("bomFormat must be \"CycloneDX\", found \(Self.excerpt(format))", format, "/bomFormat")
        }
        guard let specValue = root["specVersion"], let spec = specValue.string else {
            throw reject("specVersion is missing or not a string", root["specVersion"] ?? root, "/specVersion")
        }
        guard CycloneDXDocumentKey.isSupportedSpecVersion(spec) else {
            throw reject("unsupported CycloneDX specVersion \(CycloneDXFactMapper.quote(spec)) (1.x is supported)",
                         specValue, "/specVersion")
        }

        var header = CycloneDXHeader(specVersion: spec)
        header.serialNumber = try optionalString(root, "serialNumber", "")
        header.serialNumberLocation = "/serialNumber"
        if let version = root["version"], !version.isNull {
            guard let number = version.int64, number >= 0 else {
                throw reject("version must be a non-negative integer, found \(Self.excerpt(version))", version, "/version")
            }
            header.bomVersion = number
        }

        var metadataComponent: CycloneDXComponent?
        var metadataChildren: JSONValue?
        if let metadata = try optionalContainer(root, "metadata", "", object: true) {
            header.timestamp = try optionalString(metadata, "timestamp", "/metadata")
            header.timestampLocation = "/metadata/timestamp"
            if let tools = metadata["tools"], !tools.isNull {
                header.tools = try toolNames(tools, "/metadata/tools")
            }
            if let component = metadata["component"], !component.isNull {
                let read = try readComponent(component, pointer: "/metadata/component", allProperties: true)
                metadataComponent = read.component
                metadataChildren = read.children
            }
        }
        let components = try optionalContainer(root, "components", "", object: false)
        let dependencies = try optionalContainer(root, "dependencies", "", object: false)

        var mapper = CycloneDXFactMapper(
            header: header, format: "cyclonedx-json", documentBytes: bytes, metadataComponent: metadataComponent,
            expectedComponents: (components?.count ?? 0) + (metadataChildren?.count ?? 0),
            expectedDependencies: dependencies.map(Self.edgeCount) ?? 0, stream: stream)

        if let metadataChildren { try walk(metadataChildren, pointer: "/metadata/component/components", into: &mapper) }
        if let components { try walk(components, pointer: "/components", into: &mapper) }
        if let dependencies { try readDependencies(dependencies, into: &mapper) }
        return mapper.finish()
    }

    // MARK: - Components

    /// Adds every component of `array` and, depth first, their nested `components`. Recursion
    /// depth is bounded by the parser's nesting limit (two JSON levels per component level).
    ///
    /// A streamed document's top-level array hands back the tape memory of the components it
    /// has read (`JSONArrayView.releaseElements`): its facts and SQLite's pages then fit in
    /// the memory the tape held.
    private func walk(_ array: JSONValue, pointer: String, into mapper: inout CycloneDXFactMapper) throws {
        let elements = array.elements
        let releasing = stream != nil && pointer == "/components" && elements.count >= Self.releaseMinimum
        var released = elements.startIndex
        var position = elements.startIndex
        var index = 0
        while position < elements.endIndex {
            let elementPointer = JSONPointerText.child(pointer, index)
            let read = try readComponent(elements[position], pointer: elementPointer, allProperties: false)
            mapper.addComponent(read.component)
            if let children = read.children {
                try walk(children, pointer: elementPointer + "/components", into: &mapper)
            }
            index += 1
            position = elements.index(after: position)
            if index % Self.publishEvery == 0 {
                mapper.publish()
                if releasing {
                    elements.releaseElements(released..<position)
                    released = position
                }
            }
        }
    }

    /// Component arrays from this size on release their tape as they are walked (streamed).
    static let releaseMinimum = 4_096

    private func readComponent(_ value: JSONValue, pointer: String, allProperties: Bool) throws
        -> (component: CycloneDXComponent, children: JSONValue?) {
        guard value.isObject else {
            throw reject("a component must be an object, found \(Self.describe(value.kind))", value, pointer)
        }
        var component = CycloneDXComponent(location: pointer)
        var children: JSONValue?
        var seenProperties = false
        var seenHashes = false
        for (key, member) in value.rawMembers {
            switch ComponentField(key, in: bytes) {
            case .purl: if component.purl == nil { component.purl = try string(member, pointer, "purl") }
            case .name: if component.name == nil { component.name = try string(member, pointer, "name") }
            case .version: if component.version == nil { component.version = try string(member, pointer, "version") }
            case .type: if component.type == nil { component.type = try string(member, pointer, "type") }
            case .bomRef: if component.bomRef == nil { component.bomRef = try string(member, pointer, "bom-ref") }
            case .group: if component.group == nil { component.group = try string(member, pointer, "group") }
            case .cpe: if component.cpe == nil { component.cpe = try string(member, pointer, "cpe") }
            case .properties where !seenProperties:
                seenProperties = true
                component.properties = try properties(member, "\(pointer)/properties", all: allProperties)
            case .hashes where !seenHashes:
                seenHashes = true
                try expectArray(member, pointer + "/hashes")
                if allProperties { component.hashes = try hashes(member, pointer + "/hashes") }
            case .components where children == nil:
                try expectArray(member, pointer + "/components")
                if !member.isNull { children = member }
            default: break
            }
        }
        return (component, children)
    }

    private func properties(_ value: JSONValue, _ pointer: @autoclosure () -> String, all: Bool) throws -> [CycloneDXProperty] {
        try expectArray(value, pointer())
        var result: [CycloneDXProperty] = []
        var index = 0
        for element in value.elements {
            guard element.isObject else {
                throw reject("a property must be an object, found \(Self.describe(element.kind))", element, "\(pointer())/\(index)")
            }
            if !all, let raw = element["name"], raw.kind == .string,
               CycloneDXProperties.isToolInternal(raw: bytes, at: raw.byteOffset + 1) {
                index += 1
                continue
            }
            let name = try optionalString(element, "name", "\(pointer())/\(index)") ?? ""
            if all || CycloneDXProperties.keepsOnEdge(name) {
                let value = try optionalString(element, "value", "\(pointer())/\(index)") ?? ""
                result.append(CycloneDXProperty(name: name, value: value))
            }
            index += 1
        }
        return result
    }

    private func hashes(_ value: JSONValue, _ pointer: String) throws -> [CycloneDXHash] {
        var result: [CycloneDXHash] = []
        var index = 0
        for element in value.elements {
            guard element.isObject else {
                throw reject("a hash must be an object, found \(Self.describe(element.kind))", element, "\(pointer)/\(index)")
            }
            if let algorithm = try optionalString(element, "alg", "\(pointer)/\(index)"),
               let content = try optionalString(element, "content", "\(pointer)/\(index)") {
                result.append(CycloneDXHash(algorithm: algorithm, content: content))
            }
            index += 1
        }
        return result
    }

    // MARK: - Dependencies

    private func readDependencies(_ array: JSONValue, into mapper: inout CycloneDXFactMapper) throws {
        var index = 0
        for entry in array.elements {
            let pointer = JSONPointerText.child("/dependencies", index)
            index += 1
            if index % Self.publishEvery == 0 { mapper.publish() }
            guard entry.isObject else {
                throw reject("a dependency entry must be an object, found \(Self.describe(entry.kind))", entry, pointer)
            }
            guard let refValue = entry["ref"], let ref = refValue.string else {
                throw reject("a dependency entry needs a \"ref\" string", entry["ref"] ?? entry, pointer + "/ref")
            }
            guard let targets = entry["dependsOn"], !targets.isNull else { continue }
            try expectArray(targets, pointer + "/dependsOn")
            let dependent: LocalNodeID?
            switch quickResolve(refValue, mapper) {
            case let .resolved(node): dependent = node
            case .slow: dependent = mapper.resolveDependent(ref, at: pointer + "/ref")
            }
            var itemIndex = 0
            for item in targets.elements {
                guard item.kind == .string else {
                    throw reject("dependsOn entries must be bom-ref strings, found \(Self.describe(item.kind))",
                                 item, "\(pointer)/dependsOn/\(itemIndex)")
                }
                if let dependent {
                    // Nearly every reference names a component: resolved from the bytes.
                    switch quickResolve(item, mapper) {
                    case let .resolved(target?): mapper.addDependency(dependent, resolved: target, entry: pointer)
                    case .resolved(nil): break
                    case .slow:
                        if let target = item.string {
                            mapper.addDependency(dependent, on: target, entry: pointer, at: "\(pointer)/dependsOn/\(itemIndex)")
                        }
                    }
                }
                itemIndex += 1
            }
        }
    }

    /// `mapper.quickResolve` on a reference's bytes in the document (no `String`).
    private func quickResolve(_ reference: JSONValue, _ mapper: CycloneDXFactMapper) -> CycloneDXFactMapper.QuickResolution {
        guard let range = reference.unescapedStringRange else { return .slow }
        return bytes.withUnsafeBufferPointer { mapper.quickResolve(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// How many `dependsOn` references the section holds, to size the batch once.
    private static func edgeCount(_ dependencies: JSONValue) -> Int {
        var count = 0
        for entry in dependencies.elements where entry.isObject {
            if let targets = entry["dependsOn"], targets.isArray { count += targets.count }
        }
        return count
    }

    // MARK: - Tools

    /// `name version` of each tool: the ≤1.4 array of `{vendor, name, version}` and the 1.5+
    /// object `{components: [...], services: [...]}` (its array form is still legal).
    private func toolNames(_ tools: JSONValue, _ pointer: String) throws -> [String] {
        var entries: [JSONValue] = []
        if tools.isArray {
            entries = Array(tools.elements)
        } else if tools.isObject {
            for key in ["components", "services"] {
                if let list = tools[key], list.isArray { entries += list.elements }
            }
        } else {
            throw reject("tools must be an array or an object, found \(Self.describe(tools.kind))", tools, pointer)
        }
        return entries.compactMap { tool in
            guard let name = tool["name"]?.string, !name.isEmpty else { return nil }
            guard let version = tool["version"]?.string, !version.isEmpty else { return name }
            return name + " " + version
        }
    }

    // MARK: - Typed access

    // Pointers are built only for a rejection: most fields of most documents are fine.
    private func string(_ value: JSONValue, _ pointer: @autoclosure () -> String, _ field: String) throws -> String? {
        if let text = value.string { return text }
        if value.isNull { return nil }
        throw reject("\(field) must be a string, found \(Self.describe(value.kind))", value, pointer() + "/" + field)
    }

    private func optionalString(_ object: JSONValue, _ key: String, _ pointer: @autoclosure () -> String) throws -> String? {
        guard let value = object[key] else { return nil }
        return try string(value, pointer(), key)
    }

    private func optionalContainer(_ object: JSONValue, _ key: String, _ pointer: String, object wantObject: Bool) throws
        -> JSONValue? {
        guard let value = object[key], !value.isNull else { return nil }
        guard wantObject ? value.isObject : value.isArray else {
            throw reject("\(key) must be \(wantObject ? "an object" : "an array"), found \(Self.describe(value.kind))",
                         value, pointer + "/" + key)
        }
        return value
    }

    private func expectArray(_ value: JSONValue, _ pointer: @autoclosure () -> String) throws {
        guard value.isArray || value.isNull else {
            throw reject("expected an array, found \(Self.describe(value.kind))", value, pointer())
        }
    }

    private func reject(_ message: String, _ value: JSONValue, _ pointer: String) -> CustodyError {
        let position = value.location
        return CustodyError.rejected(message, at: SourceLocation(path: source, line: position.line,
                                                                 column: position.column, pointer: pointer))
    }

    static func describe(_ kind: JSONValue.Kind) -> String {
        switch kind {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    static func excerpt(_ value: JSONValue) -> String {
        if let text = value.string { return CycloneDXFactMapper.quote(text) }
        return describe(value.kind)
    }
}

/// The component members the reader uses, recognized from the key's bytes by length first
/// (a component has ~8 members; comparing each against ten names was a tenth of the walk).
enum ComponentField {
    case purl, name, version, type, bomRef, group, cpe, properties, hashes, components, other

    /// `bytes`: the document's bytes, which the key's range points into.
    init(_ key: JSONValue, in bytes: [UInt8]) {
        if let range = key.unescapedStringRange {
            self = bytes.withUnsafeBufferPointer { Self(utf8: UnsafeBufferPointer(rebasing: $0[range])) }
        } else if var text = key.string {
            self = text.withUTF8 { Self(utf8: $0) }
        } else {
            self = .other
        }
    }

    private init(utf8 key: UnsafeBufferPointer<UInt8>) {
        func equals(_ literal: StaticString) -> Bool {
            literal.utf8CodeUnitCount == key.count
                && key.elementsEqual(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
        }
        switch key.count {
        case 3: self = equals("cpe") ? .cpe : .other
        case 4: self = equals("purl") ? .purl : equals("name") ? .name : equals("type") ? .type : .other
        case 5: self = equals("group") ? .group : .other
        case 6: self = equals("hashes") ? .hashes : .other
        case 7: self = equals("version") ? .version : equals("bom-ref") ? .bomRef : .other
        case 10: self = equals("properties") ? .properties : equals("components") ? .components : .other
        default: self = .other
        }
    }
}

/// JSON pointers of array elements (`/components/12`), written without string interpolation:
/// one per component and per dependency entry.
enum JSONPointerText {
    static func child(_ parent: String, _ index: Int) -> String {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &digits) { buffer in
            var value = index.magnitude
            var count = 0
            repeat {
                buffer[buffer.count - 1 - count] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
                count += 1
            } while value > 0
            var parent = parent
            return parent.withUTF8 { prefix in
                String(unsafeUninitializedCapacity: prefix.count + 2 + count) { out in
                    var at = 0
                    for byte in prefix { out[at] = byte; at += 1 }
                    out[at] = UInt8(ascii: "/")
                    at += 1
                    if index < 0 { out[at] = UInt8(ascii: "-"); at += 1 }
                    for offset in (buffer.count - count)..<buffer.count { out[at] = buffer[offset]; at += 1 }
                    return at
                }
            }
        }
    }
}
