import Foundation

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
