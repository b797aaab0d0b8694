import CustodyCore

/// SPDX 2.x tag-value (FORMATS.md §2.3): `Tag: value` lines, `<text>…</text>` values that may
/// span lines, `#` comments; a package block starts at `PackageName:`, a file block at
/// `FileName:`. Locations are `line:N`. Facts are made by `SPDXFactMapper`.
///
/// Tolerated on purpose: `Relationship A TYPE B` without the colon (spdx-sbom-generator 0.0.1
/// writes it so), CRLF line ends, a UTF-8 BOM, unknown tags. Rejected: invalid UTF-8, control
/// characters (binary data) and an unterminated `<text>`, each with its line and column.
public struct SPDXTagValueIngestor: Ingestor {
    public init() {}

    public var descriptor: IngestorDescriptor {
        IngestorDescriptor(
            id: "spdx-tag-value", version: "1",
            summary: "SPDX 2.x tag-value SBOM (.spdx)",
            emits: "sbom, artifact, image-reference, package; describes, contains, dependsOn, storedIn, refersTo")
    }

    public func detect(_ sample: DetectionSample) -> Confidence {
        if sample.looksLikeJSON || sample.looksLikeXML { return .none }
        if sample.contains("SPDXVersion: SPDX-") || sample.contains("SPDXVersion:SPDX-") { return .high }
        if sample.contains("SPDXID: SPDXRef-") { return .medium }
        if sample.fileNameHasSuffix(".spdx", ".spdx.txt") { return .low }
        return .none
    }

    public func ingest(_ input: IngestInput) throws -> FactBatch {
        var parser = SPDXTagValueParser(source: input.source, bytes: input.bytes, format: descriptor.id)
        let model = try parser.parse()
        var batch = SPDXFactMapper(model: model, bytes: input.bytes).makeBatch()
        if parser.malformedLines > 0 {
            batch.warn("\(parser.malformedLines) line(s) are not `Tag: value` and were skipped (first at line \(parser.firstMalformedLine))",
                       at: "line:\(parser.firstMalformedLine)")
        }
        return batch
    }
}

struct SPDXTagValueParser {
    let source: String
    let bytes: [UInt8]
    private(set) var model: SPDXDocumentModel
    private(set) var malformedLines = 0
    private(set) var firstMalformedLine = 0

    private enum Element {
        case document
        case package(Int)
        case file(String?)
        case other
    }

    private var current = Element.document
    /// A `<text>` value still open: its tag, the line it started on, and the text so far.
    private var openText: (tag: String, line: Int, text: String)?

    init(source: String, bytes: [UInt8], format: String) {
        self.source = source
        self.bytes = bytes
        model = SPDXDocumentModel(format: format)
    }

    mutating func parse() throws -> SPDXDocumentModel {
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var lineNumber = 0
        while start < bytes.count || (start == bytes.count && lineNumber == 0) {
            lineNumber += 1
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            let next = end + 1
            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
            try validate(start, end, line: lineNumber, insideText: openText != nil)
            let line = String(decoding: bytes[start..<end], as: UTF8.self)
            try handle(line, lineNumber: lineNumber)
            start = next
        }
        if let openText {
            throw CustodyError.rejected("unterminated <text> value of \(openText.tag) (no </text> before the end of the document)",
                                        at: SourceLocation(path: source, line: openText.line))
        }
        guard model.specVersion != nil else {
            throw CustodyError.rejected("not an SPDX tag-value document: no SPDXVersion line", at: SourceLocation(path: source, line: 1))
        }
        return model
    }

    /// Rejects invalid UTF-8 and control characters (binary data) with line and column.
    private func validate(_ start: Int, _ end: Int, line: Int, insideText: Bool) throws {
        var index = start
        var column = 1
        while index < end {
            let byte = bytes[index]
            if byte < 0x80 {
                let allowed = byte >= 0x20 && byte != 0x7F || byte == 0x09 || byte == 0x0D
                    || (insideText && (byte == 0x0C || byte == 0x0B))
                guard allowed else {
                    throw CustodyError.rejected("control character 0x\(String(byte, radix: 16, uppercase: true)) in a tag-value document (binary data?)",
                                                at: SourceLocation(path: source, line: line, column: column))
                }
                index += 1
            } else {
                guard let length = Self.scalarLength(bytes, at: index, end: end) else {
                    throw CustodyError.rejected("invalid UTF-8 (byte 0x\(String(byte, radix: 16, uppercase: true)))",
                                                at: SourceLocation(path: source, line: line, column: column))
                }
                index += length
            }
            column += 1
        }
    }

    /// Length of the well-formed UTF-8 sequence at `index` (Unicode Table 3-7: no overlongs,
    /// no surrogates, nothing above U+10FFFF), or nil.
    static func scalarLength(_ bytes: [UInt8], at index: Int, end: Int) -> Int? {
        let lead = bytes[index]
        func continuation(_ offset: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            index + offset < end && bytes[index + offset] >= low && bytes[index + offset] <= high
        }
        switch lead {
        case 0xC2...0xDF: return continuation(1) ? 2 : nil
        case 0xE0: return continuation(1, 0xA0) && continuation(2) ? 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF: return continuation(1) && continuation(2) ? 3 : nil
        case 0xED: return continuation(1, 0x80, 0x9F) && continuation(2) ? 3 : nil
        case 0xF0: return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF4: return continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) ? 4 : nil
        default: return nil
        }
    }

    private mutating func handle(_ line: String, lineNumber: Int) throws {
        if var open = openText {
            if let close = line.firstRange(of: "</text>") {
                open.text += line[..<close.lowerBound]
                openText = nil
                apply(tag: open.tag, value: String(open.text), lineNumber: open.line)
            } else {
                open.text += line + "\n"
                openText = open
            }
            return
        }
        let trimmed = line.trimmingSPDXSpace()
        if trimmed.isEmpty || trimmed.hasPrefix("#") { return }
        // spdx-sbom-generator 0.0.1: `Relationship A DEPENDS_ON B` without a colon.
        if trimmed.hasPrefix("Relationship "), !trimmed.hasPrefix("Relationship:") {
            apply(tag: "Relationship", value: String(trimmed.dropFirst("Relationship ".count)), lineNumber: lineNumber)
            return
        }
        guard let colon = trimmed.firstIndex(of: ":"), Self.isTag(trimmed[..<colon]) else {
            malformed(lineNumber)
            return
        }
        let tag = String(trimmed[..<colon])
        var value = trimmed[trimmed.index(after: colon)...].trimmingSPDXSpace()
        if value.hasPrefix("<text>") {
            value = value.dropFirst("<text>".count)
            if let close = value.firstRange(of: "</text>") {
                apply(tag: tag, value: String(value[..<close.lowerBound]), lineNumber: lineNumber)
            } else {
                openText = (tag, lineNumber, String(value) + "\n")
            }
            return
        }
        apply(tag: tag, value: String(value), lineNumber: lineNumber)
    }

    private static func isTag(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.count <= 64 && text.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    private mutating func malformed(_ lineNumber: Int) {
        if malformedLines == 0 { firstMalformedLine = lineNumber }
        malformedLines += 1
    }

    private mutating func apply(tag: String, value: String, lineNumber: Int) {
        let location = "line:\(lineNumber)"
        switch tag {
        case "SPDXVersion": model.specVersion = value
        case "DocumentName": model.name = value
        case "DocumentNamespace": model.namespace = value
        case "Creator": if let tool = SPDXCreators.tool(value) { model.tools.append(tool) }
        case "Created":
            model.created = value
            model.createdLocation = location
        case "SPDXID":
            switch current {
            case .document: model.documentID = value
            case let .package(index): model.packages[index].id = value
            case let .file(name):
                model.fileNames[value] = name ?? value
                current = .other
            case .other: break
            }
        case "PackageName":
            var package = SPDXPackageRecord(location: location)
            package.name = value
            model.packages.append(package)
            current = .package(model.packages.count - 1)
        case "FileName":
            model.fileCount += 1
            current = .file(value)
        case "SnippetSPDXID", "LicenseID":
            current = .other
        case "Relationship":
            let parts = value.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count >= 3 else {
                malformed(lineNumber)
                return
            }
            model.relationships.append(SPDXRelationshipRecord(from: String(parts[0]), type: String(parts[1]),
                                                              to: String(parts[2]), location: location))
        default:
            guard case let .package(index) = current else { return }
            applyPackage(tag: tag, value: value, to: index, lineNumber: lineNumber)
        }
    }

    private mutating func applyPackage(tag: String, value: String, to index: Int, lineNumber: Int) {
        switch tag {
        case "PackageVersion": model.packages[index].version = value
        case "PrimaryPackagePurpose": model.packages[index].purpose = value.uppercased()
        case "PackageChecksum":
            guard let colon = value.firstIndex(of: ":") else {
                malformed(lineNumber)
                return
            }
            let algorithm = value[..<colon].trimmingSPDXSpace()
            let hex = value[value.index(after: colon)...].trimmingSPDXSpace()
            model.packages[index].checksums.append(SPDXChecksum(algorithm: String(algorithm), value: String(hex)))
        case "ExternalRef":
            let parts = value.split(maxSplits: 2, whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count == 3 else {
                malformed(lineNumber)
                return
            }
            model.packages[index].addExternalRef(category: String(parts[0]), type: String(parts[1]),
                                                 locator: String(parts[2].trimmingSPDXSpace()))
        default: break
        }
    }
}
