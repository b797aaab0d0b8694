#if canImport(FoundationXML)
import FoundationXML
#endif
import Foundation
import CustodyCore

/// CycloneDX XML, schema 1.1 – 1.6 (namespace `http://cyclonedx.org/schema/bom/1.x`), as
/// written by cyclonedx-maven, the PHP/Composer and .NET plugins and others. Produces the same
/// facts as the JSON ingestor (through `CycloneDXFactMapper`); locations are `line:N`.
///
/// Hostile input: the document must be UTF-8 (declared or not) and may not contain a DOCTYPE
/// — CycloneDX never needs one, and refusing it before the parser runs blocks entity expansion
/// ("billion laughs") and external entities (file or network reads). External entity resolution
/// is also switched off on the parser. Elements nest at most 256 deep.
public struct CycloneDXXMLIngestor: Ingestor {
    public init() {}

    public var descriptor: IngestorDescriptor {
        IngestorDescriptor(
            id: "cyclonedx-xml",
            version: "1",
            summary: "CycloneDX SBOM, XML encoding (schema 1.1–1.6; cyclonedx-maven, cyclonedx-php-composer, …)",
            emits: "sbom, artifact / image-reference / package subject, package; describes, contains, dependsOn, storedIn, refersTo")
    }

    public func detect(_ sample: DetectionSample) -> Confidence {
        guard sample.looksLikeXML else { return .none }
        if sample.contains("cyclonedx.org/schema/bom/") { return .high }
        return sample.fileNameHasSuffix(".cdx.xml", ".cyclonedx.xml", "bom.xml") ? .low : .none
    }

    public func ingest(_ input: IngestInput) throws -> FactBatch {
        try CycloneDXXMLPrologCheck.check(input.bytes, source: input.source)

        let handler = CycloneDXXMLHandler()
        let parser = XMLParser(data: Data(input.bytes))
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = handler
        let parsed = parser.parse()

        if let failure = handler.failure {
            throw CustodyError.rejected(failure.message,
                                        at: SourceLocation(path: input.source, line: failure.line, column: failure.column))
        }
        guard parsed, parser.parserError == nil else {
            let reason = parser.parserError.map(CycloneDXXMLHandler.describe) ?? "malformed XML"
            throw CustodyError.rejected("not a readable XML document (\(reason))",
                                        at: SourceLocation(path: input.source, line: parser.lineNumber,
                                                           column: parser.columnNumber))
        }
        guard let header = handler.header else {
            throw CustodyError.rejected("not a CycloneDX XML document (no <bom> element)",
                                        at: SourceLocation(path: input.source, line: 1))
        }

        var mapper = CycloneDXFactMapper(
            header: header, format: "cyclonedx-xml", documentBytes: input.bytes,
            metadataComponent: handler.metadataComponent,
            expectedComponents: handler.components.count, expectedDependencies: handler.dependencies.count)
        for component in handler.components { mapper.addComponent(component) }
        var current: (ref: String, node: LocalNodeID?)?
        for dependency in handler.dependencies {
            if current?.ref != dependency.from {
                current = (dependency.from, mapper.resolveDependent(dependency.from, at: dependency.fromLocation))
            }
            if let dependent = current?.node {
                mapper.addDependency(dependent, on: dependency.to, entry: dependency.fromLocation, at: dependency.toLocation)
            }
        }
        return mapper.finish()
    }
}

/// Checks done on the raw bytes before `XMLParser` sees them.
enum CycloneDXXMLPrologCheck {
    static func check(_ bytes: [UInt8], source: String) throws {
        func reject(_ message: String, atByte offset: Int) -> CustodyError {
            let (line, column) = position(of: offset, in: bytes)
            return CustodyError.rejected(message, at: SourceLocation(path: source, line: line, column: column))
        }
        guard !bytes.isEmpty else { throw reject("empty document", atByte: 0) }
        if bytes.starts(with: [0xFE, 0xFF]) || bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0x00, 0x3C])
            || bytes.starts(with: [0x3C, 0x00]) {
            throw reject("only UTF-8 CycloneDX XML is accepted (this looks like UTF-16 or UTF-32)", atByte: 0)
        }
        if let bad = firstInvalidUTF8(bytes) {
            throw reject("invalid UTF-8 at byte \(bad)", atByte: bad)
        }

        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                index += 1
                continue
            }
            guard byte == UInt8(ascii: "<") else {
                throw reject("text before the root element", atByte: index)
            }
            if matches(bytes, at: index, "<?") {
                guard let end = find(bytes, "?>", from: index + 2) else { throw reject("unterminated processing instruction", atByte: index) }
                if matches(bytes, at: index, "<?xml"), let problem = declarationProblem(bytes[index..<end]) {
                    throw reject(problem, atByte: index)
                }
                index = end + 2
            } else if matches(bytes, at: index, "<!--") {
                guard let end = find(bytes, "-->", from: index + 4) else { throw reject("unterminated comment", atByte: index) }
                index = end + 3
            } else if matches(bytes, at: index, "<!") {
                let isDoctype = matches(bytes, at: index, "<!DOCTYPE", caseInsensitive: true)
                throw reject(isDoctype
                    ? "DOCTYPE declarations are refused: CycloneDX never needs one, and entities are an expansion and file-read risk"
                    : "markup declaration before the root element is refused", atByte: index)
            } else {
                return // the root element: any later DOCTYPE is a well-formedness error for the parser
            }
        }
        throw reject("no root element", atByte: bytes.count)
    }

    /// The XML declaration may only name UTF-8 (or its ASCII subset): another declared encoding
    /// would make the parser read these bytes differently than the checks above did.
    private static func declarationProblem(_ declaration: ArraySlice<UInt8>) -> String? {
        let text = String(decoding: declaration, as: UTF8.self).lowercased()
        guard let range = text.firstRange(of: "encoding") else { return nil }
        var rest = text[range.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return "malformed encoding declaration" }
        rest = rest.dropFirst()
        let name = rest.prefix { $0 != quote }
        return ["utf-8", "utf8", "us-ascii", "ascii"].contains(String(name))
            ? nil : "only UTF-8 CycloneDX XML is accepted (declared encoding \"\(name.prefix(40))\")"
    }

    private static func matches(_ bytes: [UInt8], at index: Int, _ literal: String, caseInsensitive: Bool = false) -> Bool {
        let needle = Array(literal.utf8)
        guard index + needle.count <= bytes.count else { return false }
        for (offset, expected) in needle.enumerated() {
            var actual = bytes[index + offset]
            if caseInsensitive, actual >= UInt8(ascii: "a"), actual <= UInt8(ascii: "z") { actual -= 32 }
            if actual != expected { return false }
        }
        return true
    }

    private static func find(_ bytes: [UInt8], _ literal: String, from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            if matches(bytes, at: index, literal) { return index }
            index += 1
        }
        return nil
    }

    /// Offset of the first byte that is not part of well-formed UTF-8 (overlongs, surrogates
    /// and code points above U+10FFFF included), or nil.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { buffer -> Int? in
            var index = 0
            let count = buffer.count
            while index < count {
                let lead = buffer[index]
                if lead < 0x80 {
                    index += 1
                    continue
                }
                let length: Int
                var lower: UInt8 = 0x80
                var upper: UInt8 = 0xBF
                switch lead {
                case 0xC2...0xDF: length = 2
                case 0xE0: length = 3; lower = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: length = 3
                case 0xED: length = 3; upper = 0x9F
                case 0xF0: length = 4; lower = 0x90
                case 0xF1...0xF3: length = 4
                case 0xF4: length = 4; upper = 0x8F
                default: return index
                }
                guard index + length <= count else { return index }
                let second = buffer[index + 1]
                guard second >= lower, second <= upper else { return index }
                var offset = 2
                while offset < length {
                    guard buffer[index + offset] & 0xC0 == 0x80 else { return index }
                    offset += 1
                }
                index += length
            }
            return nil
        }
    }

    /// 1-based line and column (in scalars) of a byte offset; error paths only.
    static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in bytes.prefix(offset) {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }
}
