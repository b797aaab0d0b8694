/// Encodes string attributes as a compact JSON object with sorted keys. Hand-written because
/// it runs once per node and edge on bulk ingest, where Foundation's encoders dominate.
enum AttributeJSON {
    static func encode(_ attributes: [String: String]) -> String? {
        if attributes.isEmpty { return nil }
        var out = "{"
        var first = true
        for key in attributes.keys.sorted() {
            if !first { out += "," }
            first = false
            appendQuoted(key, to: &out)
            out += ":"
            appendQuoted(attributes[key]!, to: &out)
        }
        out += "}"
        return out
    }

    static func appendQuoted(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
