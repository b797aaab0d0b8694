import CompressNIO
import CustodyCore
import NIOCore

/// Compression of stored evidence bytes (gzip through zlib, fastest level: evidence is
/// written once and read rarely, and ingest time matters during an incident).
public enum ContentCodec {
    public static func encode(_ bytes: [UInt8]) -> StoredContent {
        guard bytes.count >= 256 else { return StoredContent(encoding: "identity", bytes: bytes) }
        var buffer = ByteBuffer(bytes: bytes)
        do {
            let compressed = try buffer.compress(with: .gzip(configuration: .init(compressionLevel: .fastestCompression)))
            return StoredContent(encoding: "gzip", bytes: Array(compressed.readableBytesView))
        } catch {
            return StoredContent(encoding: "identity", bytes: bytes)
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
