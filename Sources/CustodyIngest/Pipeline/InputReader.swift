import CompressNIO
import CustodyCore
import CustodyCrypto
import Foundation
import NIOCore

/// Turns command-line paths into documents: files, directories (recursively, sorted, hidden
/// entries skipped), `-` for standard input, and gzip'd files (by magic bytes, not by name).
/// Sizes are capped so that a huge file or a decompression bomb is a clear rejection.
public struct InputReader: Sendable {
    public var maxDocumentBytes: Int
    public var maxDecompressedBytes: Int
    /// Real evidence compresses 5–30×; a bomb compresses ~1000×.
    public var maxExpansionRatio: Int

    public init(maxDocumentBytes: Int = 1 << 30, maxDecompressedBytes: Int = 1 << 30, maxExpansionRatio: Int = 200) {
        self.maxDocumentBytes = maxDocumentBytes
        self.maxDecompressedBytes = maxDecompressedBytes
        self.maxExpansionRatio = maxExpansionRatio
    }

    /// One entry per document to read, in a stable order; unreadable paths become failures.
    public func expand(_ paths: [String]) -> [Result<String, CustodyError>] {
        var out: [Result<String, CustodyError>] = []
        let fm = FileManager.default
        for path in paths {
            if path == "-" {
                out.append(.success("-"))
                continue
            }
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                out.append(.failure(.rejected("no such file or directory", at: SourceLocation(path: path))))
                continue
            }
            if !isDirectory.boolValue {
                out.append(.success(path))
                continue
            }
            guard let enumerator = fm.enumerator(atPath: path) else {
                out.append(.failure(.rejected("cannot list directory", at: SourceLocation(path: path))))
                continue
            }
            var files: [String] = []
            while let relative = enumerator.nextObject() as? String {
                let components = relative.split(separator: "/")
                if components.contains(where: { $0.hasPrefix(".") && $0 != ".github" }) { continue }
                let full = (path as NSString).appendingPathComponent(relative)
                var childIsDirectory: ObjCBool = false
                if fm.fileExists(atPath: full, isDirectory: &childIsDirectory), !childIsDirectory.boolValue {
                    files.append(full)
                }
            }
            out += files.sorted().map { .success($0) }
        }
        return out
    }

    /// Reads a document's bytes, decompressing gzip, with the SHA-256 (hex) of what was
    /// returned. A plain file is hashed while it is read (`OverlappedHasher`).
    public func readHashed(_ path: String) throws -> (bytes: [UInt8], sha256: String) {
        let raw: [UInt8]
        var sha256: String?
        if path == "-" {
            raw = try readStandardInput()
        } else {
            (raw, sha256) = try readFile(path)
        }
        if raw.starts(with: [0x1F, 0x8B]) {
            let plain = try gunzip(raw, source: path)
            return (plain, SHA256Hasher.hex(of: plain))
        }
        return (raw, sha256 ?? SHA256Hasher.hex(of: raw))
    }

    /// Asks the kernel to start reading `path` into the page cache (`POSIX_FADV_WILLNEED`,
    /// asynchronous), so that a later `read` finds it there. Only a hint: errors are ignored.
    public static func adviseReadSoon(_ path: String) {
        guard path != "-" else { return }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_WILLNEED)
        close(descriptor)
    }

    /// Chunk size for reading and the overlapped hash.
    private static let readChunk = 4 << 20

    /// Reads a whole file straight into the array (no `Data` and copy: a 50 MB SBOM was held
    /// twice while it was converted), in chunks that are hashed on another thread as they
    /// arrive. Returns no hash for a gzip'd file: its hash is that of the decompressed bytes.
    private func readFile(_ path: String) throws -> (bytes: [UInt8], sha256: String?) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw CustodyError.rejected("cannot read file", at: SourceLocation(path: path)) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw CustodyError.rejected("cannot read file", at: SourceLocation(path: path)) }
        let size = Int(status.st_size)
        if size > maxDocumentBytes {
            throw CustodyError.rejected("file is \(size) bytes; the limit is \(maxDocumentBytes) bytes", at: SourceLocation(path: path))
        }
        var failed = false
        var hasher: OverlappedHasher?
        var bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            var hashed = 0
            while count < size {
                let got = readBytes(descriptor, buffer.baseAddress! + count, min(Self.readChunk, size - count))
                if got < 0, errno == EINTR { continue }
                if got <= 0 {
                    failed = got < 0
                    break
                }
                count += got
                if hasher == nil, count >= 2, !(buffer[0] == 0x1F && buffer[1] == 0x8B) {
                    hasher = OverlappedHasher()
                }
                if let hasher, count - hashed >= Self.readChunk || count == size {
                    hasher.add(UnsafeRawBufferPointer(start: buffer.baseAddress! + hashed, count: count - hashed))
                    hashed = count
                }
            }
            // The hasher reads this buffer: wait for it before the array can move or be freed.
            if let pending = hasher {
                if count - hashed > 0 { pending.add(UnsafeRawBufferPointer(start: buffer.baseAddress! + hashed, count: count - hashed)) }
                pending.wait()
            }
        }
        if failed { throw CustodyError.rejected("cannot read file", at: SourceLocation(path: path)) }
        // A file that grew while being read (or a special file reporting size 0): read on.
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = chunk.withUnsafeMutableBytes { readBytes(descriptor, $0.baseAddress!, $0.count) }
            if got < 0, errno == EINTR { continue }
            if got < 0 { throw CustodyError.rejected("cannot read file", at: SourceLocation(path: path)) }
            if got == 0 { break }
            bytes.append(contentsOf: chunk[..<got])
            chunk[..<got].withUnsafeBytes { hasher?.addNow($0) }
            if bytes.count > maxDocumentBytes {
                throw CustodyError.rejected("file exceeds \(maxDocumentBytes) bytes", at: SourceLocation(path: path))
            }
        }
        return (bytes, hasher?.finish())
    }

    private func readStandardInput() throws -> [UInt8] {
        var bytes: [UInt8] = []
        let handle = FileHandle.standardInput
        while true {
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { break }
            bytes += chunk
            if bytes.count > maxDocumentBytes {
                throw CustodyError.rejected("standard input exceeds \(maxDocumentBytes) bytes", at: SourceLocation(path: "-"))
            }
        }
        return bytes
    }

    /// Decompresses gzip in bounded chunks. Stops as soon as the output passes
    /// `maxDecompressedBytes` or `maxExpansionRatio` times the input (a decompression bomb),
    /// so a bomb costs a few megabytes, not gigabytes. A stream whose length does not match
    /// the gzip trailer is truncated or corrupt.
    func gunzip(_ raw: [UInt8], source: String) throws -> [UInt8] {
        let limit = min(maxDecompressedBytes, max(64 << 20, raw.count.multipliedReportingOverflow(by: maxExpansionRatio).partialValue))
        var input = ByteBuffer(bytes: raw)
        var output: [UInt8] = []
        output.reserveCapacity(min(limit, raw.count * 8))
        let decompressor = CompressionAlgorithm.gzip().decompressor
        var chunk = ByteBuffer()
        do {
            try decompressor.startStream()
            defer { try? decompressor.finishStream() }
            var finished = false
            while !finished {
                chunk.clear(minimumCapacity: 4 << 20)
                do {
                    try decompressor.streamInflate(from: &input, to: &chunk)
                    finished = true
                } catch let error as CompressNIOError where error == .bufferOverflow {
                    // The chunk is full and more output follows.
                } catch let error as CompressNIOError where error == .inputBufferOverflow {
                    throw CustodyError.rejected("truncated gzip data", at: SourceLocation(path: source))
                }
                output.append(contentsOf: chunk.readableBytesView)
                if output.count > limit {
                    throw CustodyError.rejected("gzip data expands past \(limit) bytes (decompression bomb?); refused",
                                                at: SourceLocation(path: source))
                }
            }
        } catch let error as CustodyError {
            throw error
        } catch {
            throw CustodyError.rejected("corrupt gzip data", at: SourceLocation(path: source))
        }
        if raw.count >= 18 {
            let trailer = raw.suffix(4).reversed().reduce(UInt32(0)) { ($0 << 8) | UInt32($1) }
            if trailer != UInt32(truncatingIfNeeded: output.count) {
                throw CustodyError.rejected("truncated or corrupt gzip data (length does not match its trailer)",
                                            at: SourceLocation(path: source))
            }
        }
        return output
    }

    public static func fileName(of path: String) -> String {
        path == "-" ? "-" : (path as NSString).lastPathComponent
    }
}

/// `read(2)` (inside `InputReader`, `read` names the method).
private func readBytes(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
