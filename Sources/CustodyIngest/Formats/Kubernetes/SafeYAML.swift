import CustodyCore
import Foundation
import Yams

/// YAML → JSON for untrusted input, so that the YAML and JSON ingestors share one reader.
///
/// Yams composes a tree in memory with a recursive composer and hashes mapping keys, so
/// hostile YAML can crash or hang it; the defences, in order:
/// 1. a size cap and strict UTF-8;
/// 2. a lexical pre-scan (`YAMLPrescan`) that bounds the nesting depth and refuses aliases in
///    key position (hashing an aliased key costs its full expansion: the keyed billion laughs);
/// 3. composing on a thread with a large stack, so that even the deepest nesting the pre-scan
///    admits cannot overflow it;
/// 4. converting to JSON with an output budget, which is where alias expansion would explode
///    (the classic billion laughs): past the budget the document is refused.
enum SafeYAML {
    static let maxInputBytes = 256 << 20
    static let maxDepth = 10_000
    static let composeStackBytes = 512 << 20

    static func jsonBytes(from bytes: [UInt8], source: String) throws -> [UInt8] {
        guard bytes.count <= maxInputBytes else {
            throw CustodyError.rejected("YAML document is \(bytes.count) bytes; the limit is \(maxInputBytes >> 20) MiB (use -o json for large inventories)",
                                        at: SourceLocation(path: source))
        }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard let text = String(validating: body, as: UTF8.self) else {
            throw CustodyError.rejected("not valid UTF-8 text", at: SourceLocation(path: source))
        }
        try YAMLPrescan.check(body, maxDepth: maxDepth, source: source)
        let budget = max(64 << 20, bytes.count * 16)
        let box = ConversionBox()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.result = Result { try convert(text, source: source, budget: budget) }
            done.signal()
        }
        thread.stackSize = composeStackBytes
        thread.start()
        done.wait()
        return try box.result!.get()
    }

    private static func convert(_ text: String, source: String, budget: Int) throws -> [UInt8] {
        var documents: [Node] = []
        do {
            let parser = try Parser(yaml: text)
            while let node = try parser.nextRoot() {
                if case let .scalar(scalar) = node, scalar.string.isEmpty || node.null != nil { continue }
                documents.append(node)
            }
        } catch let error as YamlError {
            throw rejection(error, source: source)
        }
        guard !documents.isEmpty else { throw CustodyError.rejected("empty YAML document", at: SourceLocation(path: source)) }
        var writer = JSONWriter(budget: budget, source: source)
        if documents.count == 1 {
            try writer.write(documents[0])
        } else {
            // A multi-document stream (`---` separated objects) reads as one List.
            writer.raw("{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[")
            for (index, document) in documents.enumerated() {
                if index > 0 { writer.raw(",") }
                try writer.write(document)
            }
            writer.raw("]}")
        }
        return writer.out
    }

    private static func rejection(_ error: YamlError, source: String) -> CustodyError {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return CustodyError.rejected("not readable YAML: \(problem)", at: SourceLocation(path: source, line: mark.line, column: mark.column))
        case let .duplicatedKeysInMapping(duplicates, context):
            return CustodyError.rejected("duplicate mapping keys \(duplicates.prefix(3).map { KubeValue.quote($0) }.joined(separator: ", "))",
                                         at: SourceLocation(path: source, line: context.mark.line, column: context.mark.column))
        case let .reader(problem, _, _, _):
            return CustodyError.rejected("not readable YAML: \(problem)", at: SourceLocation(path: source))
        default:
            return CustodyError.rejected("not readable YAML", at: SourceLocation(path: source))
        }
    }
}

/// Carries the converter's result out of its thread (written once, read after the semaphore).
private final class ConversionBox: @unchecked Sendable {
    var result: Result<[UInt8], any Error>?
}

/// Writes a composed YAML tree as JSON, counting every byte against a budget.
private struct JSONWriter {
    var out: [UInt8] = []
    let budget: Int
    let source: String

    init(budget: Int, source: String) {
        self.budget = budget
        self.source = source
        out.reserveCapacity(1 << 16)
    }

    mutating func raw(_ text: String) { out.append(contentsOf: text.utf8) }

    mutating func write(_ node: Node) throws {
        guard out.count <= budget else {
            throw CustodyError.rejected("YAML expands past \(budget >> 20) MiB as JSON (alias expansion bomb?); refused",
                                        at: SourceLocation(path: source))
        }
        switch node {
        case let .scalar(scalar):
            writeScalar(node, scalar)
        case let .mapping(mapping):
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, value) in mapping {
                guard case let .scalar(keyScalar) = key else {
                    throw CustodyError.rejected("a mapping key is not a scalar (line \(key.mark?.line ?? 0)); Kubernetes objects have string keys",
                                                at: SourceLocation(path: source, line: key.mark?.line, column: key.mark?.column))
                }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(keyScalar.string)
                out.append(UInt8(ascii: ":"))
                try write(value)
            }
            out.append(UInt8(ascii: "}"))
        case let .sequence(sequence):
            out.append(UInt8(ascii: "["))
            for (index, element) in sequence.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                try write(element)
            }
            out.append(UInt8(ascii: "]"))
        case .alias:
            // The composer resolves aliases to their nodes; an unresolved one carries nothing.
            raw("null")
        }
    }

    /// Plain scalars keep their YAML types (null, booleans, JSON-compatible numbers); quoted
    /// and block scalars, and plain ones that are not JSON numbers (`0x1F`, `.inf`), are strings.
    private mutating func writeScalar(_ node: Node, _ scalar: Node.Scalar) {
        if scalar.style == .plain || scalar.style == .any {
            if node.null != nil { return raw("null") }
            if let flag = node.bool { return raw(flag ? "true" : "false") }
            if node.int != nil || node.float != nil, Self.isJSONNumber(scalar.string) { return raw(scalar.string) }
        }
        writeString(scalar.string)
    }

    private mutating func writeString(_ text: String) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0..<0x20:
                let hex = String(byte, radix: 16)
                raw("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    static func isJSONNumber(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        guard let first = bytes.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else { return false }
        if first == UInt8(ascii: "0"), bytes.count > 1, let second = bytes.dropFirst().first,
           second >= UInt8(ascii: "0"), second <= UInt8(ascii: "9") { return false }
        var sawExponent = false
        var previous: UInt8 = first
        for byte in bytes.dropFirst() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): break
            case UInt8(ascii: "."): if sawExponent { return false }
            case UInt8(ascii: "e"), UInt8(ascii: "E"): if sawExponent { return false }; sawExponent = true
            case UInt8(ascii: "+"), UInt8(ascii: "-"): if previous != UInt8(ascii: "e"), previous != UInt8(ascii: "E") { return false }
            default: return false
            }
            previous = byte
        }
        return previous >= UInt8(ascii: "0") && previous <= UInt8(ascii: "9")
    }
}
