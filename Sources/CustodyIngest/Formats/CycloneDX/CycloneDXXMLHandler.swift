#if canImport(FoundationXML)
import FoundationXML
#endif
import Foundation
import CustodyCore

/// SAX handler for CycloneDX XML: keeps a stack of what each open element means and collects
/// the header, the metadata component, inventory components (document pre-order) and
/// dependency pairs. Only elements in the BOM's own namespace count; extension elements and
/// everything CycloneDX nests that is not inventory (`pedigree` ancestors, `services`,
/// `vulnerabilities`, tool components) are skipped with their subtrees.
final class CycloneDXXMLHandler: NSObject, XMLParserDelegate {
    struct Failure {
        var message: String
        var line: Int
        var column: Int
    }

    /// `from dependsOn to`: a `<dependency ref=to>` nested in `<dependency ref=from>`.
    struct Dependency {
        var from: String
        var fromLocation: String
        var to: String
        var toLocation: String
    }

    private(set) var header: CycloneDXHeader?
    private(set) var metadataComponent: CycloneDXComponent?
    private(set) var components: [CycloneDXComponent] = []
    private(set) var dependencies: [Dependency] = []
    private(set) var failure: Failure?

    static let maximumDepth = 256
    static let namespacePrefix = "http://cyclonedx.org/schema/bom/"

    private enum Field { case group, name, version, purl, cpe }

    private enum Frame {
        case bom, metadata, timestamp
        case tools, toolList, tool, toolName, toolVersion
        case componentList
        /// An inventory component (`slot` into `components`) or the metadata one (`slot` -1).
        case component(slot: Int)
        case field(Field)
        case properties, property(name: String)
        case hashes, hash(algorithm: String)
        case dependencies
        case dependency(ref: String, location: String)
        case skip
    }

    private var stack: [Frame] = []
    private var namespace = ""
    private var text = ""
    private var open: [CycloneDXComponent] = []
    private var tool: (name: String?, version: String?) = (nil, nil)

    // MARK: - Elements

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {
        guard failure == nil else { return }
        let location = "line:\(parser.lineNumber)"
        guard let parent = stack.last else {
            startRoot(parser, elementName, namespaceURI, attributes)
            return
        }
        guard stack.count < Self.maximumDepth else {
            fail(parser, "elements nest deeper than \(Self.maximumDepth) levels")
            return
        }
        if case .skip = parent {
            stack.append(.skip)
            return
        }
        guard namespaceURI == namespace else {
            stack.append(.skip)
            return
        }
        text = ""
        let frame: Frame
        switch (parent, elementName) {
        case (.bom, "metadata"): frame = .metadata
        case (.bom, "components"): frame = .componentList
        case (.bom, "dependencies"): frame = .dependencies
        case (.metadata, "timestamp"):
            header?.timestampLocation = location
            frame = .timestamp
        case (.metadata, "tools"): frame = .tools
        case (.metadata, "component") where metadataComponent == nil && open.isEmpty:
            open.append(component(attributes, location))
            frame = .component(slot: -1)
        case (.tools, "tool"), (.toolList, "component"), (.toolList, "service"):
            tool = (nil, nil)
            frame = .tool
        case (.tools, "components"), (.tools, "services"): frame = .toolList
        case (.tool, "name"): frame = .toolName
        case (.tool, "version"): frame = .toolVersion
        case (.componentList, "component"):
            open.append(component(attributes, location))
            components.append(CycloneDXComponent(location: location))
            frame = .component(slot: components.count - 1)
        case (.component, "group"): frame = .field(.group)
        case (.component, "name"): frame = .field(.name)
        case (.component, "version"): frame = .field(.version)
        case (.component, "purl"): frame = .field(.purl)
        case (.component, "cpe"): frame = .field(.cpe)
        case (.component, "properties"): frame = .properties
        case (.component, "hashes"): frame = .hashes
        case (.component, "components"): frame = .componentList
        case (.properties, "property"): frame = .property(name: attributes["name"] ?? "")
        case (.hashes, "hash"): frame = .hash(algorithm: attributes["alg"] ?? "")
        case (.dependencies, "dependency"), (.dependency, "dependency"):
            let ref = attributes["ref"] ?? ""
            if case let .dependency(parentRef, parentLocation) = parent {
                dependencies.append(Dependency(from: parentRef, fromLocation: parentLocation, to: ref, toLocation: location))
            }
            frame = .dependency(ref: ref, location: location)
        default: frame = .skip
        }
        stack.append(frame)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard failure == nil, let frame = stack.popLast() else { return }
        let value = trimmed(text)
        switch frame {
        case .timestamp: header?.timestamp = value
        case .toolName: tool.name = value
        case .toolVersion: tool.version = value
        case .tool:
            if let name = tool.name, !name.isEmpty {
                header?.tools.append(tool.version.map { $0.isEmpty ? name : name + " " + $0 } ?? name)
            }
        case let .field(field):
            guard !open.isEmpty else { break }
            switch field {
            case .group: open[open.count - 1].group = value
            case .name: open[open.count - 1].name = value
            case .version: open[open.count - 1].version = value
            case .purl: open[open.count - 1].purl = value
            case .cpe: open[open.count - 1].cpe = value
            }
        case let .property(name):
            if !open.isEmpty, isMetadataComponentOpen || CycloneDXProperties.keepsOnEdge(name) {
                open[open.count - 1].properties.append(CycloneDXProperty(name: name, value: value))
            }
        case let .hash(algorithm):
            if !open.isEmpty, isMetadataComponentOpen {
                open[open.count - 1].hashes.append(CycloneDXHash(algorithm: algorithm, content: value))
            }
        case let .component(slot):
            guard let finished = open.popLast() else { break }
            if slot < 0 { metadataComponent = finished } else { components[slot] = finished }
        default: break
        }
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if collectsText { text += string }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if collectsText { text += String(decoding: CDATABlock, as: UTF8.self) }
    }

    func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
        nil
    }

    /// FoundationXML on Linux reports well-formedness errors here and then *recovers* (parse()
    /// still returns true), so the first error is kept and parsing stops.
    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        fail(parser, "not a well-formed XML document (\(Self.describe(parseError)))")
    }

    func parser(_ parser: XMLParser, validationErrorOccurred validationError: any Error) {
        fail(parser, "XML validation error (\(Self.describe(validationError)))")
    }

    /// libxml2's error number (`xmlParserErrors`; FoundationXML passes it through as the
    /// NSError code but gives no message) with the text of the common ones.
    static func describe(_ error: any Error) -> String {
        let code = (error as NSError).code
        let known: [Int: String] = [
            4: "document is empty", 5: "extra content or premature end of the document", 9: "invalid character",
            26: "undeclared entity", 38: "'<' in an attribute value", 39: "attribute value not started",
            40: "attribute value not finished", 41: "attribute without value", 42: "attribute redefined",
            45: "comment not finished", 63: "CDATA section not finished", 68: "name required", 73: "'>' required",
            76: "opening and ending tag mismatch", 77: "premature end of data in tag",
        ]
        return known[code].map { "\($0), libxml2 error \(code)" } ?? "libxml2 error \(code)"
    }

    // MARK: - Helpers

    private func startRoot(_ parser: XMLParser, _ name: String, _ namespaceURI: String?, _ attributes: [String: String]) {
        guard name == "bom", let uri = namespaceURI, uri.hasPrefix(Self.namespacePrefix) else {
            fail(parser, "not a CycloneDX XML document: the root element is <\(name)> in namespace \(namespaceURI.map { "\"\($0)\"" } ?? "(none)"), expected <bom> in \(Self.namespacePrefix)1.x")
            return
        }
        let spec = String(uri.dropFirst(Self.namespacePrefix.count))
        guard CycloneDXDocumentKey.isSupportedSpecVersion(spec) else {
            fail(parser, "unsupported CycloneDX XML schema \"\(uri.prefix(100))\" (1.x is supported)")
            return
        }
        namespace = uri
        var header = CycloneDXHeader(specVersion: spec)
        header.serialNumber = attributes["serialNumber"]
        header.serialNumberLocation = "line:\(parser.lineNumber)"
        header.timestampLocation = nil
        if let version = attributes["version"] {
            guard let number = Int64(trimmed(version)), number >= 0 else {
                fail(parser, "the bom version attribute must be a non-negative integer, found \(CycloneDXFactMapper.quote(version))")
                return
            }
            header.bomVersion = number
        }
        self.header = header
        stack.append(.bom)
    }

    private func component(_ attributes: [String: String], _ location: String) -> CycloneDXComponent {
        var component = CycloneDXComponent(location: location)
        component.type = attributes["type"]
        component.bomRef = attributes["bom-ref"]
        return component
    }

    /// True when the innermost open component is `metadata.component` itself.
    private var isMetadataComponentOpen: Bool {
        for frame in stack.reversed() {
            if case let .component(slot) = frame { return slot < 0 }
        }
        return false
    }

    private var collectsText: Bool {
        switch stack.last {
        case .timestamp, .toolName, .toolVersion, .field, .property, .hash: true
        default: false
        }
    }

    private func fail(_ parser: XMLParser, _ message: String) {
        guard failure == nil else { return }
        failure = Failure(message: message, line: parser.lineNumber, column: parser.columnNumber)
        parser.abortParsing()
    }

    private func trimmed(_ text: String) -> String {
        var body = Substring(text)
        while let first = body.first, first.isWhitespace { body = body.dropFirst() }
        while let last = body.last, last.isWhitespace { body = body.dropLast() }
        return String(body)
    }
}
