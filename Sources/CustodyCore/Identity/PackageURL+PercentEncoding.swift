/// Percent-encoding as purl-spec §5.4 defines it: only ASCII letters, digits, `.-_~` and the
/// colon stay literal; every other UTF-8 byte becomes `%XX` (upper-case hex). Decoding is
/// strict so malformed input (`%G1`, a truncated `%`, invalid UTF-8) is reported, never trapped.
enum PurlPercentCoding {
    static func encode(_ text: String) -> String {
        if text.utf8.allSatisfy(isLiteral) { return text }
        var out = ""
        out.unicodeScalars.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isLiteral(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hexDigit(byte >> 4))
                out.unicodeScalars.append(hexDigit(byte & 0x0F))
            }
        }
        return out
    }

    /// Encodes each `/`-separated segment and keeps the separators (namespace, subpath).
    static func encodeSegments(_ text: String) -> String {
        text.split(separator: "/", omittingEmptySubsequences: false)
            .map { encode(String($0)) }
            .joined(separator: "/")
    }

    /// Decodes `%XX` triplets; nil when a triplet is malformed or the bytes are not UTF-8.
    static func decode(_ text: some StringProtocol) -> String? {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return String(text) }
        let source = Array(text.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(source.count)
        var index = 0
        while index < source.count {
            let byte = source[index]
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                index += 1
                continue
            }
            guard index + 2 < source.count,
                  let high = hexValue(source[index + 1]),
                  let low = hexValue(source[index + 2])
            else { return nil }
            bytes.append(high << 4 | low)
            index += 3
        }
        return strictUTF8(bytes)
    }

    /// `String(decoding:)` would silently substitute U+FFFD; identity keys must not.
    private static func strictUTF8(_ bytes: [UInt8]) -> String? {
        var result = ""
        var iterator = bytes.makeIterator()
        var codec = UTF8()
        while true {
            switch codec.decode(&iterator) {
            case .scalarValue(let scalar): result.unicodeScalars.append(scalar)
            case .emptyInput: return result
            case .error: return nil
            }
        }
    }

    static func isLiteral(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: ":"):
            return true
        default:
            return false
        }
    }

    static func hexDigitByte(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
    }

    private static func hexDigit(_ nibble: UInt8) -> Unicode.Scalar {
        Unicode.Scalar(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Character-class rules shared by purl and vers parsing.
enum PurlSyntax {
    /// Type (purl §5.6.2, vers §5.3.2): ASCII letters, digits, `.` and `-`, starting with a letter.
    static func isValidType(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, isASCIILetter(first) else { return false }
        return text.unicodeScalars.allSatisfy { isASCIILetter($0) || isASCIIDigit($0) || $0 == "." || $0 == "-" }
    }

    /// Qualifier key (§5.6.6): lower-case letters, digits, `.-_`, starting with a letter.
    static func isValidQualifierKey(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || isASCIIDigit($0) || $0 == "." || $0 == "-" || $0 == "_"
        }
    }

    /// Short, single-line excerpt of rejected input for error messages.
    static func excerpt(_ text: String, limit: Int = 120) -> String {
        let flat = String(text.map { $0.isNewline ? " " : $0 })
        return flat.count <= limit ? flat : String(flat.prefix(limit)) + "…"
    }

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }

    private static func isASCIIDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }
}
