import CompressNIO
import CustodyCore
import NIOCore

/// Compression of stored evidence bytes (gzip through zlib, fastest level: evidence is
/// written once and read rarely, and ingest time matters during an incident).
public enum ContentCodec {
    public static func encode(_ bytes: [UInt8]) -> StoredContent {
        guard bytes.count >= 256 else { return StoredContent(encoding: "identity", bytes: bytes) }
        do {
            return StoredContent(encoding: "gzip", bytes: try gzip(bytes))
        } catch {
            return StoredContent(encoding: "identity", bytes: bytes)
        }
    }

    /// Streams the input through zlib in 1 MiB slices into a growing array: the one-shot
    /// `ByteBuffer.compress` copied the whole document into a buffer and reserved an output
    /// as large as the input, so a 50 MB SBOM briefly cost 100 MB more memory while parsing.
    private static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let compressor = CompressionAlgorithm.gzip(configuration: .init(compressionLevel: .fastestCompression)).compressor
        try compressor.startStream()
        defer { try? compressor.finishStream() }
        let slice = 1 << 20
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count / 4)
        var input = ByteBuffer()
        input.reserveCapacity(slice)
        var output = ByteBuffer()
        var start = 0
        while true {
            let end = min(start + slice, bytes.count)
            let last = end == bytes.count
            input.clear()
            input.writeBytes(bytes[start..<end])
            while true {
                output.clear(minimumCapacity: slice / 2)
                var more = false
                do {
                    try compressor.streamDeflate(from: &input, to: &output, flush: last ? .finish : .no)
                } catch let error as CompressNIOError where error == .bufferOverflow {
                    more = true
                }
                result.append(contentsOf: output.readableBytesView)
                // Without `finish`, zlib stops when the output is full or the input is used up.
                if !(more || (!last && input.readableBytes > 0)) { break }
            }
            if last { return result }
            start = end
        }
    }

    /// Decodes stored bytes back to the original document.
    public static func decode(_ content: StoredContent) throws -> [UInt8] {
        switch content.encoding {
        case "identity": return content.bytes
        case "gzip":
            var buffer = ByteBuffer(bytes: content.bytes)
            do {
                let out = try buffer.decompress(with: .gzip())
                return Array(out.readableBytesView)
            } catch {
                throw CustodyError(.database, "stored evidence is corrupt", cause: "\(error)")
            }
        default:
            throw CustodyError(.database, "stored evidence has unknown encoding \(content.encoding)")
        }
    }
}
