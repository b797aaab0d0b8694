import CustodyCrypto
import CustodyIngest
import Foundation
import Testing

/// `InputReader.readHashed`: the hash computed while reading (in 4 MiB chunks on another
/// thread) must equal the hash of the bytes returned, for every way a file can arrive.
struct InputReaderTests {
    private func temporaryFile(_ bytes: [UInt8], name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("custody-reader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Deterministic, incompressible-looking bytes of any size.
    private func pseudoRandomBytes(_ count: Int) -> [UInt8] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    @Test(arguments: [0, 1, 255, (4 << 20) - 1, 4 << 20, (9 << 20) + 12_345])
    func hashWhileReadingMatchesHashOfBytes(size: Int) throws {
        let bytes = pseudoRandomBytes(size)
        let path = try temporaryFile(bytes, name: "doc.json")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let read = try InputReader().readHashed(path)
        #expect(read.bytes == bytes)
        #expect(read.sha256 == SHA256Hasher.hex(of: bytes))
    }

    /// A gzip'd file is hashed after decompression: the same evidence as the plain file.
    @Test func gzipFileIsHashedAfterDecompression() throws {
        let plain = Array(String(repeating: "{\"kind\":\"PodList\"}\n", count: 400_000).utf8)
        let path = try temporaryFile(plain, name: "pods.json")
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-k", path]
        try gzip.run()
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0)
        let read = try InputReader().readHashed(path + ".gz")
        #expect(read.bytes == plain)
        #expect(read.sha256 == SHA256Hasher.hex(of: plain))
    }
}
