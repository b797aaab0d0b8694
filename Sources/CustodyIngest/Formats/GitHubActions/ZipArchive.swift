import CompressNIO
import CustodyCore
import NIOCore

/// A minimal, bounded ZIP reader for GitHub's run-log archives: the end-of-central-directory
/// record, the central directory, and stored or deflated entries (raw deflate through zlib,
/// already a dependency). ZIP64, encryption and multi-disk archives are refused with a clear
/// message; GitHub's log archives use none of them. Every size is checked against the buffer
/// and a total decompression budget, so a crafted archive is a rejection, never a crash or a
/// memory blow-up.
public struct ZipArchive: Sendable {
    public struct Entry: Sendable, Hashable {
        public var name: String
        var method: UInt16
        var flags: UInt16
        var compressedSize: Int
        public var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    public let entries: [Entry]
    private let bytes: [UInt8]
    /// Largest total of decompressed bytes this reader will produce.
    public var budget: Int

    public static func looksLikeZip(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06])
    }

    public init(bytes: [UInt8], budget: Int = 1 << 30) throws {
        self.bytes = bytes
        self.budget = budget
        guard let end = Self.endOfCentralDirectory(bytes) else {
            throw CustodyError.rejected("not a ZIP archive, or truncated: no end-of-central-directory record")
        }
        let count = Int(Self.u16(bytes, end + 10))
        let size = Int(Self.u32(bytes, end + 12))
        let offset = Int(Self.u32(bytes, end + 16))
        if count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
            throw CustodyError.rejected("ZIP64 archives are not supported yet; unzip it and ingest the log files")
        }
        guard Self.u16(bytes, end + 4) == 0, Self.u16(bytes, end + 6) == 0 else {
            throw CustodyError.rejected("multi-disk ZIP archives are not supported")
        }
        guard offset + size <= end else { throw CustodyError.rejected("corrupt ZIP archive: central directory outside the file") }
        var entries: [Entry] = []
        var cursor = offset
        for _ in 0..<count {
            guard cursor + 46 <= bytes.count, Self.u32(bytes, cursor) == 0x0201_4B50 else {
                throw CustodyError.rejected("corrupt ZIP archive: bad central directory entry at byte \(cursor)")
            }
            let nameLength = Int(Self.u16(bytes, cursor + 28))
            let extraLength = Int(Self.u16(bytes, cursor + 30))
            let commentLength = Int(Self.u16(bytes, cursor + 32))
            guard cursor + 46 + nameLength <= bytes.count else { throw CustodyError.rejected("corrupt ZIP archive: truncated entry name") }
            let name = String(decoding: bytes[(cursor + 46)..<(cursor + 46 + nameLength)], as: UTF8.self)
            entries.append(Entry(name: name, method: Self.u16(bytes, cursor + 10), flags: Self.u16(bytes, cursor + 8),
                                 compressedSize: Int(Self.u32(bytes, cursor + 20)), uncompressedSize: Int(Self.u32(bytes, cursor + 24)),
                                 localHeaderOffset: Int(Self.u32(bytes, cursor + 42))))
            cursor += 46 + nameLength + extraLength + commentLength
        }
        self.entries = entries
    }

    /// The decompressed bytes of `entry`; counts against `budget`.
    public mutating func contents(of entry: Entry) throws -> [UInt8] {
        guard entry.flags & 1 == 0 else { throw CustodyError.rejected("ZIP entry \(entry.name) is encrypted") }
        let header = entry.localHeaderOffset
        guard header + 30 <= bytes.count, Self.u32(bytes, header) == 0x0403_4B50 else {
            throw CustodyError.rejected("corrupt ZIP archive: no local header for \(entry.name)")
        }
        let start = header + 30 + Int(Self.u16(bytes, header + 26)) + Int(Self.u16(bytes, header + 28))
        guard start + entry.compressedSize <= bytes.count else {
            throw CustodyError.rejected("truncated ZIP archive: \(entry.name) runs past the end")
        }
        guard entry.uncompressedSize <= budget else {
            throw CustodyError.rejected("ZIP entry \(entry.name) expands past the \(budget)-byte budget (decompression bomb?); refused")
        }
        let data = bytes[start..<(start + entry.compressedSize)]
        var output: [UInt8]
        switch entry.method {
        case 0:
            output = Array(data)
        case 8:
            var buffer = ByteBuffer(bytes: data)
            do {
                let inflated = try buffer.decompress(with: .deflate(), maxSize: max(entry.uncompressedSize, 1))
                output = Array(inflated.readableBytesView)
            } catch {
                throw CustodyError.rejected("corrupt deflate data in ZIP entry \(entry.name)")
            }
        default:
            throw CustodyError.rejected("ZIP entry \(entry.name) uses compression method \(entry.method); only stored and deflate are supported")
        }
        guard output.count == entry.uncompressedSize else {
            throw CustodyError.rejected("ZIP entry \(entry.name) is \(output.count) bytes, the directory says \(entry.uncompressedSize)")
        }
        budget -= output.count
        return output
    }

    private static func endOfCentralDirectory(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 22 else { return nil }
        var index = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65_535)
        while index >= lowest {
            if bytes[index] == 0x50, u32(bytes, index) == 0x0605_4B50 { return index }
            index -= 1
        }
        return nil
    }

    private static func u16(_ b: [UInt8], _ i: Int) -> UInt16 {
        guard i + 2 <= b.count else { return 0 }
        return UInt16(b[i]) | UInt16(b[i + 1]) << 8
    }

    private static func u32(_ b: [UInt8], _ i: Int) -> UInt32 {
        guard i + 4 <= b.count else { return 0 }
        return UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }
}
