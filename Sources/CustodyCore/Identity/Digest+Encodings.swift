/// The non-OCI digest spellings of FORMATS.md §0.1, all funnelled into `Digest`.
extension Digest {
    /// Maps every producer's algorithm spelling to one id: `SHA-256`, `SHA256`, `sha256`,
    /// `sha-256`, `SHA2_256` → `.sha256`; `SHA3-256`, `sha3_256` → `.sha3_256`;
    /// `BLAKE2b-256`, `blake2b256` → `.blake2b_256`; `SHA-512/256`, `sha512_256` → `.sha512_256`.
    ///
    /// Returns nil for non-crypto or non-content keys (`gitCommit`, `dirHash`, `adler32`, `arn`)
    /// and for the length-less in-toto `blake2b`, whose algorithm depends on the hex length
    /// (`init(algorithmName:hex:)` resolves that one).
    public static func algorithm(named name: String) -> Algorithm? {
        guard let key = squashedAlgorithmKey(name) else { return nil }
        return algorithmAliases[key]
    }

    /// CycloneDX `{"alg","content"}`, SPDX `{"algorithm","checksumValue"}`, SPDX 3 `hashValue`,
    /// OpenVEX `{"sha-256": hex}`, in-toto DigestSet and Rekor `{"algorithm","value"}`.
    public init(algorithmName: String, hex: String) throws {
        let algorithm = try Digest.resolveAlgorithm(algorithmName, byteCount: hex.utf8.count / 2)
        try self.init(algorithm: algorithm, hex: hex)
    }

    /// Sigstore `messageSignature.messageDigest` (`{"algorithm":"SHA2_256","digest":"<base64>"}`):
    /// base64 (standard or URL-safe, padding optional) of the raw digest bytes.
    public init(algorithmName: String, base64: String) throws {
        guard let bytes = Base64Bytes.decode(base64) else {
            throw CustodyError.rejected("digest is not valid base64: \(InputExcerpt.quote(base64))")
        }
        let algorithm = try Digest.resolveAlgorithm(algorithmName, byteCount: bytes.count)
        guard bytes.count == algorithm.byteCount else {
            throw CustodyError.rejected(
                "\(algorithm.rawValue) digest must be \(algorithm.byteCount) bytes, base64 decodes to \(bytes.count)")
        }
        try self.init(algorithm: algorithm, hex: HexText.encode(bytes))
    }

    /// Subresource Integrity as in npm lockfiles: `sha512-<base64>`. Several space-separated
    /// hashes may be present (`sha512-… sha1-…`); as the SRI spec says, the strongest one wins
    /// and tokens with unknown algorithms or `?options` suffixes are tolerated.
    public init(sri: String) throws {
        var best: Digest?
        for token in sri.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
            let value = token.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
            guard let dash = value.firstIndex(of: "-"),
                  let algorithm = Digest.algorithm(named: String(value[..<dash])),
                  let candidate = try? Digest(algorithmName: algorithm.rawValue,
                                              base64: String(value[value.index(after: dash)...]))
            else { continue }
            if best.map({ candidate.algorithm.byteCount > $0.algorithm.byteCount }) ?? true {
                best = candidate
            }
        }
        guard let best else {
            throw CustodyError.rejected("not a Subresource Integrity value: \(InputExcerpt.quote(sri))")
        }
        self = best
    }

    /// Resolves a name, using the digest length only for the length-less in-toto `blake2b`.
    private static func resolveAlgorithm(_ name: String, byteCount: Int) throws -> Algorithm {
        if let algorithm = algorithm(named: name) { return algorithm }
        if squashedAlgorithmKey(name) == "blake2b" {
            switch byteCount {
            case 32: return .blake2b_256
            case 48: return .blake2b_384
            case 64: return .blake2b_512
            default: break
            }
        }
        throw CustodyError.rejected("unsupported digest algorithm \(InputExcerpt.quote(name))")
    }

    /// Lower-cases and drops `-`, `_`, `/` so that all spellings collapse to one key;
    /// nil for anything that is not a short ASCII name.
    private static func squashedAlgorithmKey(_ name: String) -> String? {
        guard !name.isEmpty, name.utf8.count <= 32 else { return nil }
        var key = ""
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "/"): continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): key.unicodeScalars.append(Unicode.Scalar(byte + 32))
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                key.unicodeScalars.append(Unicode.Scalar(byte))
            default: return nil
            }
        }
        return key
    }

    private static let algorithmAliases: [String: Algorithm] = [
        "md5": .md5,
        "sha1": .sha1,
        "sha224": .sha224, "sha2224": .sha224,
        "sha256": .sha256, "sha2256": .sha256,
        "sha384": .sha384, "sha2384": .sha384,
        "sha512": .sha512, "sha2512": .sha512,
        "sha512224": .sha512_224, "sha2512224": .sha512_224,
        "sha512256": .sha512_256, "sha2512256": .sha512_256,
        "sha3224": .sha3_224,
        "sha3256": .sha3_256,
        "sha3384": .sha3_384,
        "sha3512": .sha3_512,
        "blake2b256": .blake2b_256,
        "blake2b384": .blake2b_384,
        "blake2b512": .blake2b_512,
        "blake2s256": .blake2s_256, "blake2s": .blake2s_256,
        "blake3": .blake3,
    ]
}

/// Hex helpers that work on ASCII bytes only (Swift's `Character.isHexDigit` also accepts
/// full-width digits, which must not sneak into keys).
enum HexText {
    private static let digits = Array("0123456789abcdef".utf8)

    /// Lower-cased copy of `text` if it is exactly `length` ASCII hex digits.
    static func normalized(_ text: String, length: Int) -> String? {
        guard text.utf8.count == length else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(length)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"): out.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): out.append(byte + 32)
            default: return nil
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Base64 decoding that accepts both alphabets and optional padding, because protobuf-JSON
/// and DSSE producers differ (FORMATS.md §0.5); `Data(base64Encoded:)` insists on padding.
enum Base64Bytes {
    static func decode(_ text: String) -> [UInt8]? {
        var input = Array(text.utf8)
        var padding = 0
        while input.last == UInt8(ascii: "=") {
            input.removeLast()
            padding += 1
        }
        guard padding <= 2, input.count % 4 != 1, !input.isEmpty else { return nil }
        if padding > 0, (input.count + padding) % 4 != 0 { return nil }
        var out = [UInt8]()
        out.reserveCapacity(input.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in input {
            guard let value = sextet(byte) else { return nil }
            accumulator = (accumulator << 6) | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((accumulator >> UInt32(bits)) & 0xff))
            }
        }
        return out
    }

    private static func sextet(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): byte - UInt8(ascii: "A")
        case UInt8(ascii: "a")...UInt8(ascii: "z"): byte - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"), UInt8(ascii: "-"): 62
        case UInt8(ascii: "/"), UInt8(ascii: "_"): 63
        default: nil
        }
    }
}

/// Quotes (a bounded prefix of) hostile input for error messages: control characters are
/// escaped and huge values truncated, so a message never floods a terminal.
enum InputExcerpt {
    static func quote(_ text: String, limit: Int = 80) -> String {
        let prefix = text.unicodeScalars.prefix(limit)
        var body = String(String.UnicodeScalarView(prefix)).debugDescription
        if prefix.count < text.unicodeScalars.count { body += "…" }
        return body
    }
}
