/// A content digest stored as `(algorithm, lower-case hex)`.
///
/// Every producer spells digests differently (FORMATS.md §0.1): OCI `sha256:<hex>`, CycloneDX
/// `SHA-256` + upper-case hex, Sigstore `SHA2_256` + base64, npm SRI `sha512-<base64>`. All of
/// them normalise to this one value so that `description` (`"sha256:<hex>"`) can serve as the
/// artifact node key. The alternative spellings are parsed in `Digest+Encodings.swift`.
///
/// A digest says nothing about *what* was hashed: a `sha1` git commit id and a `sha1` file hash
/// are both representable here, and callers must keep that distinction in the fact they record.
public struct Digest: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Hash algorithms seen in supply-chain evidence. The raw value is the canonical name used
    /// in `"alg:hex"`: in-toto DigestSet spelling (lower-case, `_` instead of `-`), which is
    /// also the OCI spelling for the three OCI algorithms.
    public enum Algorithm: String, Sendable, CaseIterable {
        case md5
        case sha1
        case sha224
        case sha256
        case sha384
        case sha512
        case sha512_224
        case sha512_256
        case sha3_224
        case sha3_256
        case sha3_384
        case sha3_512
        case blake2b_256
        case blake2b_384
        case blake2b_512
        case blake2s_256
        /// BLAKE3 with its default 256-bit output (the only length CycloneDX allows).
        case blake3

        /// Length of the digest in bytes; every encoding is checked against it.
        public var byteCount: Int {
            switch self {
            case .md5: 16
            case .sha1: 20
            case .sha224, .sha512_224, .sha3_224: 28
            case .sha256, .sha512_256, .sha3_256, .blake2b_256, .blake2s_256, .blake3: 32
            case .sha384, .sha3_384, .blake2b_384: 48
            case .sha512, .sha3_512, .blake2b_512: 64
            }
        }

        /// Length of the hex encoding (two characters per byte).
        public var hexLength: Int { byteCount * 2 }
    }

    public var algorithm: Algorithm
    /// Lower-case hex, exactly `algorithm.hexLength` characters.
    public var hex: String

    /// Validates `hex` (either case, stored lower-case) against the algorithm's length.
    public init(algorithm: Algorithm, hex: String) throws {
        guard let normalized = HexText.normalized(hex, length: algorithm.hexLength) else {
            throw CustodyError.rejected(
                "not a \(algorithm.rawValue) digest: expected \(algorithm.hexLength) hex digits, got \(InputExcerpt.quote(hex))")
        }
        self.algorithm = algorithm
        self.hex = normalized
    }

    /// Parses `"alg:hex"` as written in OCI references, registry events and Rekor.
    /// The algorithm part may use any spelling `algorithm(named:)` accepts.
    public init(parsing text: String) throws {
        // Split on UTF-8 bytes: a ':' inside a grapheme cluster must not confuse String indices.
        let parts = text.utf8.split(separator: UInt8(ascii: ":"), maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw CustodyError.rejected("not a digest (expected \"algorithm:hex\"): \(InputExcerpt.quote(text))")
        }
        let name = String(decoding: parts[0], as: UTF8.self)
        let hex = String(decoding: parts[1], as: UTF8.self)
        guard let algorithm = Digest.algorithm(named: name) else {
            throw CustodyError.rejected("unsupported digest algorithm \(InputExcerpt.quote(name)) in \(InputExcerpt.quote(text))")
        }
        try self.init(algorithm: algorithm, hex: hex)
    }

    /// `"sha256:<hex>"`: the artifact node key.
    public var description: String { "\(algorithm.rawValue):\(hex)" }

    /// Orders by algorithm name, then hex, so sorted output is stable across runs.
    public static func < (a: Digest, b: Digest) -> Bool {
        (a.algorithm.rawValue, a.hex) < (b.algorithm.rawValue, b.hex)
    }
}
