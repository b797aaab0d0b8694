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
    /// The weakest certainty of the path's edges, kept as steps are added (read for every
    /// result row and every comparison of paths).
    private(set) var certainty: Certainty = .recorded

    init(start: Node) {
        steps = [Step(node: start.ref, nodeID: start.id, edge: nil, link: nil)]
    }

    func appending(_ node: Node, via edge: Edge) -> GraphPath {
        var copy = self
        copy.steps.reserveCapacity(steps.count + 2)
        copy.steps.append(Step(node: node.ref, nodeID: node.id, edge: edge, link: nil))
        copy.certainty = min(certainty, edge.certainty)
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

    var edges: [Edge] { steps.compactMap(\.edge) }

    /// The last stored edge followed (`edges.last` without building the array).
    var lastEdge: Edge? {
        for step in steps.reversed() { if let edge = step.edge { return edge } }
        return nil
    }

    func contains(_ id: Int64) -> Bool { steps.contains { $0.nodeID == id } }

    /// Recorded over inferred, then shorter, then the lower edge ids (deterministic output).
    func isBetter(than other: GraphPath) -> Bool {
        if certainty != other.certainty { return certainty > other.certainty }
        if steps.count != other.steps.count { return steps.count < other.steps.count }
        return steps.lazy.compactMap { $0.edge?.id }.lexicographicallyPrecedes(other.steps.lazy.compactMap { $0.edge?.id })
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

    /// `{"k":"v",…}` with string values only; nil for anything else. Scans the UTF-8 in place
    /// (slicing an array byte by byte cost more than the rows it decodes).
    static func flat(_ json: String) -> [String: String]? {
        var json = json
        return json.withUTF8 { bytes -> [String: String]? in
            var at = 0
            func skipSpace() { while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 { at += 1 } }
            func expect(_ byte: UInt8) -> Bool {
                skipSpace()
                guard at < bytes.count, bytes[at] == byte else { return false }
                at += 1
                return true
            }
            func string() -> String? {
                guard expect(0x22) else { return nil }
                let start = at
                // Fast path: no escapes, one copy.
                while at < bytes.count, bytes[at] != 0x22, bytes[at] != 0x5C { at += 1 }
                guard at < bytes.count else { return nil }
                if bytes[at] == 0x22 {
                    at += 1
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(at - 1)]), as: UTF8.self)
                }
                var out = Array(bytes[start..<at])
                while at < bytes.count {
                    let b = bytes[at]
                    at += 1
                    switch b {
                    case 0x22: return String(decoding: out, as: UTF8.self)
                    case 0x5C:
                        guard at < bytes.count else { return nil }
                        let escaped = bytes[at]
                        at += 1
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
                return at == bytes.count ? out : nil
            }
        }
    }
}
