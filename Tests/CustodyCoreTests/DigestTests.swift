import Testing
@testable import CustodyCore

/// Every digest spelling of FORMATS.md §0.1 must land on the same `(algorithm, hex)` key.
/// Expected values are the digests of the empty input, so they can be checked with any tool.
struct DigestTests {
    static let sha256Empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let sha512Empty = "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
        + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
    static let sha384Empty = "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b"
    static let sha1Empty = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
    static let md5Empty = "d41d8cd98f00b204e9800998ecf8427e"

    @Test func ociPrefixedForm() throws {
        let digest = try Digest(parsing: "sha256:\(Self.sha256Empty)")
        #expect(digest.algorithm == .sha256)
        #expect(digest.hex == Self.sha256Empty)
        #expect(digest.description == "sha256:\(Self.sha256Empty)")
        #expect(try Digest(parsing: "sha512:\(Self.sha512Empty)").algorithm == .sha512)
    }

    @Test func upperCaseHexIsStoredLowerCase() throws {
        let upper = try Digest(parsing: "sha256:\(Self.sha256Empty.uppercased())")
        #expect(upper.hex == Self.sha256Empty)
        #expect(upper == (try Digest(parsing: "sha256:\(Self.sha256Empty)")))
        #expect(try Digest(algorithmName: "SHA-256", hex: Self.sha256Empty.uppercased()).hex == Self.sha256Empty)
    }

    @Test(arguments: ["SHA-256", "SHA256", "sha256", "sha-256", "SHA2_256", "sha2-256", "Sha_256"])
    func sha256Spellings(name: String) {
        #expect(Digest.algorithm(named: name) == .sha256)
    }

    @Test func otherAlgorithmSpellings() {
        #expect(Digest.algorithm(named: "SHA-1") == .sha1)
        #expect(Digest.algorithm(named: "SHA1") == .sha1)
        #expect(Digest.algorithm(named: "MD5") == .md5)
        #expect(Digest.algorithm(named: "SHA-384") == .sha384)
        #expect(Digest.algorithm(named: "SHA2_384") == .sha384)
        #expect(Digest.algorithm(named: "SHA-512") == .sha512)
        #expect(Digest.algorithm(named: "SHA3-256") == .sha3_256)
        #expect(Digest.algorithm(named: "sha3_256") == .sha3_256)
        #expect(Digest.algorithm(named: "SHA3_384") == .sha3_384)
        #expect(Digest.algorithm(named: "SHA3-512") == .sha3_512)
        #expect(Digest.algorithm(named: "sha512_256") == .sha512_256)
        #expect(Digest.algorithm(named: "SHA-512/256") == .sha512_256)
        #expect(Digest.algorithm(named: "BLAKE2b-256") == .blake2b_256)
        #expect(Digest.algorithm(named: "blake2b256") == .blake2b_256)
        #expect(Digest.algorithm(named: "BLAKE2b-512") == .blake2b_512)
        #expect(Digest.algorithm(named: "BLAKE3") == .blake3)
    }

    @Test(arguments: ["gitCommit", "gitTree", "dirHash", "ADLER32", "arn", "", "sha 256", "ｓｈａ256", "blake2b"])
    func nonContentOrUnknownNamesAreNil(name: String) {
        #expect(Digest.algorithm(named: name) == nil)
    }

    @Test func rawValuesAreTheCanonicalKeys() throws {
        #expect(try Digest(algorithmName: "SHA3-256", hex: Self.sha256Empty).description == "sha3_256:\(Self.sha256Empty)")
        #expect(try Digest(algorithmName: "BLAKE2b-256", hex: Self.sha256Empty).description == "blake2b_256:\(Self.sha256Empty)")
        #expect(try Digest(parsing: "sha3_256:\(Self.sha256Empty)").algorithm == .sha3_256)
    }

    @Test func cycloneDXSPDXOpenVEXInTotoRekorAgree() throws {
        let reference = try Digest(algorithm: .sha256, hex: Self.sha256Empty)
        #expect(try Digest(algorithmName: "SHA-256", hex: Self.sha256Empty) == reference)      // CycloneDX
        #expect(try Digest(algorithmName: "SHA256", hex: Self.sha256Empty) == reference)       // SPDX 2.x
        #expect(try Digest(algorithmName: "sha256", hex: Self.sha256Empty) == reference)       // SPDX 3, in-toto, Rekor
        #expect(try Digest(algorithmName: "sha-256", hex: Self.sha256Empty) == reference)      // OpenVEX
        #expect(try Digest(algorithmName: "sha1", hex: Self.sha1Empty).algorithm == .sha1)     // SLSA v0.2 git material
        #expect(try Digest(algorithmName: "MD5", hex: Self.md5Empty).algorithm == .md5)
        #expect(try Digest(algorithmName: "SHA-384", hex: Self.sha384Empty).algorithm == .sha384)
        #expect(try Digest(algorithmName: "sha512", hex: Self.sha512Empty).algorithm == .sha512) // npm provenance
    }

    @Test func lengthlessBlake2bResolvesByLength() throws {
        #expect(try Digest(algorithmName: "blake2b", hex: Self.sha512Empty).algorithm == .blake2b_512)
        #expect(try Digest(algorithmName: "blake2b", hex: Self.sha256Empty).algorithm == .blake2b_256)
        #expect(throws: CustodyError.self) { try Digest(algorithmName: "blake2b", hex: Self.sha1Empty) }
    }

    @Test func sigstoreBase64MessageDigest() throws {
        let digest = try Digest(algorithmName: "SHA2_256", base64: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
        #expect(digest.description == "sha256:\(Self.sha256Empty)")
        // URL-safe alphabet without padding (protobuf-JSON producers) gives the same key.
        #expect(try Digest(algorithmName: "SHA2_256", base64: "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU") == digest)
        #expect(try Digest(algorithmName: "SHA2_384", base64: "OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb").hex
            == Self.sha384Empty)
    }

    @Test func sigstoreBase64RejectsWrongLengthAndGarbage() {
        // 20 bytes of SHA-1 under a SHA2_256 label.
        #expect(throws: CustodyError.self) { try Digest(algorithmName: "SHA2_256", base64: "2jmj7l5rSw0yVb/vlWAYkK/YBwk=") }
        #expect(throws: CustodyError.self) { try Digest(algorithmName: "SHA2_256", base64: "not base64!") }
        #expect(throws: CustodyError.self) { try Digest(algorithmName: "SHA2_256", base64: "") }
        #expect(throws: CustodyError.self) { try Digest(algorithmName: "SHA2_256", base64: "47DEQ===") }
        #expect(throws: CustodyError.self) { try Digest(algorithmName: "UNKNOWN", base64: "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=") }
    }

    @Test func sriSha512() throws {
        let sri = "sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="
        let digest = try Digest(sri: sri)
        #expect(digest.algorithm == .sha512)
        #expect(digest.hex == Self.sha512Empty)
        // Same artifact as npm provenance's {"sha512": "<hex>"} subject.
        #expect(digest == (try Digest(algorithmName: "sha512", hex: Self.sha512Empty)))
    }

    @Test func sriPicksStrongestAndToleratesOptionsAndUnknowns() throws {
        let multi = "sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk= sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==?opt"
        #expect(try Digest(sri: multi).algorithm == .sha512)
        #expect(try Digest(sri: "md4-xxxx sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=").hex == Self.sha1Empty)
        #expect(throws: CustodyError.self) { try Digest(sri: "") }
        #expect(throws: CustodyError.self) { try Digest(sri: "sha512-") }
        #expect(throws: CustodyError.self) { try Digest(sri: "sha512:abc") }
    }

    @Test(arguments: [
        "", "sha256", "sha256:", ":abc", "sha256:abc",
        "sha256:" + String(repeating: "g", count: 64),
        "sha256:" + String(repeating: "a", count: 63),
        "sha256:" + String(repeating: "a", count: 65),
        "sha256: " + String(repeating: "a", count: 63),
        "sha256:" + String(repeating: "ａ", count: 64),       // full-width letters
        "sha256:" + String(repeating: "a", count: 63) + "\n",
        "md4:" + String(repeating: "a", count: 32),
        "invaliddigest:" + String(repeating: "f", count: 64),
        "sha256\u{600}:" + String(repeating: "a", count: 64),   // prepend mark glued to the ':'
        "sha256:\u{301}" + String(repeating: "a", count: 64),   // combining mark after the ':'
        String(repeating: "x", count: 100_000),
    ])
    func malformedPrefixedDigestsThrow(text: String) {
        #expect(throws: CustodyError.self) { try Digest(parsing: text) }
    }

    @Test func lengthIsCheckedPerAlgorithm() {
        #expect(throws: CustodyError.self) { try Digest(algorithm: .sha512, hex: Self.sha256Empty) }
        #expect(throws: CustodyError.self) { try Digest(algorithm: .sha1, hex: Self.sha256Empty) }
        #expect(throws: CustodyError.self) { try Digest(algorithmName: "SHA-256", hex: Self.sha1Empty) }
        #expect(Digest.Algorithm.sha512_256.hexLength == 64)
        #expect(Digest.Algorithm.md5.hexLength == 32)
    }

    @Test func orderingAndHashingFollowTheKey() throws {
        let a = try Digest(parsing: "sha256:" + String(repeating: "0", count: 64))
        let b = try Digest(parsing: "sha256:" + String(repeating: "f", count: 64))
        let c = try Digest(parsing: "sha512:" + String(repeating: "0", count: 128))
        #expect([c, b, a].sorted() == [a, b, c])
        #expect(Set([a, try Digest(parsing: "SHA256:" + String(repeating: "0", count: 64))]).count == 1)
    }
}
