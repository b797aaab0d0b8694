import CustodyCore
import Foundation

/// A walk from the subject to a result: nodes joined by the stored edges that were followed
/// (in either direction: a package is reached from the artifact that `contains` it). A path is
/// only as certain as its weakest edge.
struct GraphPath: Sendable {
    struct Step: Sendable {
        var node: NodeRef
        var nodeID: Int64
        /// The edge followed to reach `node` (nil for the first step and for `link` steps).
        var edge: Edge?
        /// A step the engine made without a stored edge, named: `versionInRange` from an
        /// advisory's versionless package to a version its range contains.
        var link: String?
    }

    private(set) var steps: [Step]

    init(start: Node) {
        steps = [Step(node: start.ref, nodeID: start.id, edge: nil, link: nil)]
    }

    func appending(_ node: Node, via edge: Edge) -> GraphPath {
        var copy = self
        copy.steps.append(Step(node: node.ref, nodeID: node.id, edge: edge, link: nil))
        return copy
    }

    func appending(_ node: Node, link: String) -> GraphPath {
        var copy = self
        copy.steps.append(Step(node: node.ref, nodeID: node.id, edge: nil, link: link))
        return copy
    }

    var end: NodeRef { steps[steps.count - 1].node }
    var endID: Int64 { steps[steps.count - 1].nodeID }

    /// The node before the end (the digest of a workload's `ran` step).
    var previous: NodeRef? { steps.count >= 2 ? steps[steps.count - 2].node : nil }

    var certainty: Certainty {
        steps.compactMap(\.edge?.certainty).min() ?? .recorded
    }

    var edges: [Edge] { steps.compactMap(\.edge) }

    func contains(_ id: Int64) -> Bool { steps.contains { $0.nodeID == id } }

    /// Recorded over inferred, then shorter, then the lower edge ids (deterministic output).
    func isBetter(than other: GraphPath) -> Bool {
        if certainty != other.certainty { return certainty > other.certainty }
        if steps.count != other.steps.count { return steps.count < other.steps.count }
        return edges.map(\.id).lexicographicallyPrecedes(other.edges.map(\.id))
    }
}

/// Attribute JSON of stored nodes and edges, decoded on demand. The store writes a flat object
/// of strings (`AttributeJSON`), which `flat` reads without Foundation (a blast radius decodes
/// tens of thousands of `ran` attributes; `JSONSerialization` costs ~20 µs each); anything
/// else falls back to `JSONSerialization`.
enum Attributes {
    static func decode(_ json: String?) -> [String: String] {
        guard let json, !json.isEmpty else { return [:] }
        if let flat = flat(json) { return flat }
        guard let data = json.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        var out: [String: String] = [:]
        for (key, value) in object {
            if let string = value as? String { out[key] = string } else { out[key] = "\(value)" }
        }
        return out
    }

    /// Whether the UTF-8 of `json` contains `needle` (Foundation's `contains` bridges to
    /// NSString, which costs more than the whole search).
    static func contains(_ json: String, _ needle: [UInt8]) -> Bool {
        var json = json
        return json.withUTF8 { bytes in
            guard bytes.count >= needle.count, let first = needle.first else { return false }
            var index = 0
            while index <= bytes.count - needle.count {
                if bytes[index] == first {
                    var matched = true
                    for offset in 1..<needle.count where bytes[index + offset] != needle[offset] {
                        matched = false
                        break
                    }
                    if matched { return true }
                }
                index += 1
            }
            return false
        }
    }

    /// `{"k":"v",…}` with string values only; nil for anything else.
    static func flat(_ json: String) -> [String: String]? {
        var bytes = Array(json.utf8)[...]
        func skipSpace() { while let b = bytes.first, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { bytes = bytes.dropFirst() } }
        func expect(_ byte: UInt8) -> Bool {
            skipSpace()
            guard bytes.first == byte else { return false }
            bytes = bytes.dropFirst()
            return true
        }
        func string() -> String? {
            guard expect(0x22) else { return nil }
            var out: [UInt8] = []
            while let b = bytes.first {
                bytes = bytes.dropFirst()
                switch b {
                case 0x22: return String(decoding: out, as: UTF8.self)
                case 0x5C:
                    guard let escaped = bytes.first else { return nil }
                    bytes = bytes.dropFirst()
                    switch escaped {
                    case 0x22, 0x5C, 0x2F: out.append(escaped)
                    case 0x6E: out.append(0x0A)
                    case 0x72: out.append(0x0D)
                    case 0x74: out.append(0x09)
                    case 0x62: out.append(0x08)
                    case 0x66: out.append(0x0C)
                    default: return nil  // \u escapes: leave to JSONSerialization
                    }
                default: out.append(b)
                }
            }
            return nil
        }
        guard expect(0x7B) else { return nil }
        var out: [String: String] = [:]
        if expect(0x7D) { return out }
        while true {
            guard let key = string(), expect(0x3A), let value = string() else { return nil }
            out[key] = value
            if expect(0x2C) { continue }
            guard expect(0x7D) else { return nil }
            skipSpace()
            return bytes.isEmpty ? out : nil
        }
    }
}
