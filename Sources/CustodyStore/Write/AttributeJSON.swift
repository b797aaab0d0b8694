/// Encodes string attributes as a compact JSON object with sorted keys. Hand-written because
/// it runs once per node and edge on bulk ingest, where Foundation's encoders dominate: the
/// bytes are written once into the result, and `Memo` reuses the text for a run of equal
/// attribute sets (100,000 packages share a handful of `componentType`/`qualifiers` pairs).
enum AttributeJSON {
    static func encode(_ attributes: [String: String]) -> String? {
        if attributes.isEmpty { return nil }
        if attributes.count == 1, let (key, value) = attributes.first { return build([(key, value)]) }
        return build(attributes.sorted { $0.key < $1.key })
    }

    /// Remembers the last encoding: equal dictionaries in a row cost one comparison.
    struct Memo {
        private var last: [String: String] = [:]
        private var text: String?

        mutating func encode(_ attributes: [String: String]) -> String? {
            if attributes.isEmpty { return nil }
            if attributes != last {
                last = attributes
                text = AttributeJSON.encode(attributes)
            }
            return text
        }
    }

    private static func build(_ pairs: [(key: String, value: String)]) -> String {
        var capacity = 2
        // Per pair: two pairs of quotes, the colon and a comma.
        for (key, value) in pairs { capacity += escapedCount(key) + escapedCount(value) + 6 }
        return String(unsafeUninitializedCapacity: capacity) { out in
            var count = 0
            out[count] = UInt8(ascii: "{")
            count += 1
            for (index, (key, value)) in pairs.enumerated() {
                if index > 0 {
                    out[count] = UInt8(ascii: ",")
                    count += 1
                }
                writeQuoted(key, to: out, at: &count)
                out[count] = UInt8(ascii: ":")
                count += 1
                writeQuoted(value, to: out, at: &count)
            }
            out[count] = UInt8(ascii: "}")
            return count + 1
        }
    }

    /// Bytes of `text` once escaped, without the quotes.
    private static func escapedCount(_ text: String) -> Int {
        var count = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): count += 2
            case 0..<0x20: count += 6
            default: count += 1
            }
        }
        return count
    }

    private static func writeQuoted(_ text: String, to out: UnsafeMutableBufferPointer<UInt8>, at count: inout Int) {
        func put(_ byte: UInt8) {
            out[count] = byte
            count += 1
        }
        put(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): put(UInt8(ascii: "\\")); put(byte)
            case UInt8(ascii: "\n"): put(UInt8(ascii: "\\")); put(UInt8(ascii: "n"))
            case UInt8(ascii: "\r"): put(UInt8(ascii: "\\")); put(UInt8(ascii: "r"))
            case UInt8(ascii: "\t"): put(UInt8(ascii: "\\")); put(UInt8(ascii: "t"))
            case 0..<0x20:
                for escaped in "\\u00".utf8 { put(escaped) }
                put(hexDigit(byte >> 4))
                put(hexDigit(byte & 0x0F))
            default: put(byte)
            }
        }
        put(UInt8(ascii: "\""))
    }

    /// Lower-case hex, as the scalar-by-scalar encoder wrote it (`\u001b`).
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
