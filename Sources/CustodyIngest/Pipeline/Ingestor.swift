import CustodyCore
import Foundation

/// How strongly a sample looks like an ingestor's format. The pipeline picks the highest;
/// a tie or nothing above `.none` is a rejection that names what was tried.
public enum Confidence: Int, Sendable, Comparable {
    case none = 0
    /// Only the file name suggests it.
    case low = 1
    /// Structure matches a family (a JSON object with `items` of Pods).
    case medium = 2
    /// A format marker was found (`"bomFormat": "CycloneDX"`, `SPDXVersion:`).
    case high = 3

    public static func < (a: Confidence, b: Confidence) -> Bool { a.rawValue < b.rawValue }
}

/// The first bytes of a document and its file name: what detection may look at. Detection is
/// cheap and separate from parsing, so that a wrong guess never half-parses a document.
public struct DetectionSample: Sendable {
    public let fileName: String
    /// Up to the first 64 KiB, BOM and leading white space removed.
    public let head: [UInt8]

    public init(fileName: String, bytes: [UInt8]) {
        self.fileName = fileName
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[start]) { start += 1 }
        head = Array(bytes[start..<min(bytes.count, start + 65_536)])
    }

    /// The head as text (lossy), for marker searches.
    public var text: String { String(decoding: head, as: UTF8.self) }

    public var firstByte: UInt8? { head.first }
    public var looksLikeJSON: Bool { firstByte == UInt8(ascii: "{") || firstByte == UInt8(ascii: "[") }
    public var looksLikeXML: Bool { firstByte == UInt8(ascii: "<") }

    /// Whether the head contains `marker`: a byte search with `memmem` (`CMemMem`), no
    /// decoding. Every document is shown to every detector, dozens of searches, and most
    /// markers start with a quote, which a first-byte `memchr` finds on every JSON key.
    public func contains(_ marker: String) -> Bool {
        var marker = marker
        return marker.withUTF8 { needle in
            guard !needle.isEmpty, needle.count <= head.count else { return false }
            return head.withUnsafeBufferPointer { haystack in
                if let memmem = CMemMem.function {
                    return memmem(haystack.baseAddress, haystack.count, needle.baseAddress, needle.count) != nil
                }
                return CIBytes.contains(haystack, 0..<haystack.count, Array(needle))
            }
        }
    }

    public func fileNameHasSuffix(_ suffixes: String...) -> Bool {
        let lower = fileName.lowercased()
        return suffixes.contains { lower.hasSuffix($0) }
    }
}

/// Options that apply to a whole ingest call (`--cluster`, `--observed-at`).
public struct IngestOptions: Sendable {
    public var formatOverride: String?
    public var cluster: String?
    public var observedAt: Timestamp?

    public init(formatOverride: String? = nil, cluster: String? = nil, observedAt: Timestamp? = nil) {
        self.formatOverride = formatOverride
        self.cluster = cluster
        self.observedAt = observedAt
    }
}

/// One document handed to an ingestor.
public struct IngestInput: Sendable {
    /// Path as given (or `-` for standard input); used in messages and as the evidence source.
    public let source: String
    /// Last path component, for detection and for times written in file names.
    public let fileName: String
    public let bytes: [UInt8]
    public let options: IngestOptions
    /// Where an ingestor that can (`Ingestor.streams`) publishes facts while it reads, for
    /// the pipeline's streamed first load; others ignore it.
    public var stream: FactStream?

    public init(source: String, fileName: String, bytes: [UInt8], options: IngestOptions = IngestOptions(),
                stream: FactStream? = nil) {
        self.source = source
        self.fileName = fileName
        self.bytes = bytes
        self.options = options
        self.stream = stream
    }
}

/// What `custody ingestors` lists about a format.
public struct IngestorDescriptor: Sendable {
    /// Stable id used by `--format` and stored with every document (`cyclonedx-json`).
    public let id: String
    /// Bumped when the ingestor's output for the same bytes changes.
    public let version: String
    public let summary: String
    /// Node and edge kinds it emits, for the listing.
    public let emits: String

    public init(id: String, version: String, summary: String, emits: String) {
        self.id = id
        self.version = version
        self.summary = summary
        self.emits = emits
    }
}

/// Reads one evidence format into facts. Ingestors never write to the store: they return a
/// `FactBatch` and the pipeline writes it atomically. A document that cannot be read throws a
/// `CustodyError` (code `.rejectedInput`) with the location inside it; per-record problems
/// are diagnostics in the batch.
public protocol Ingestor: Sendable {
    var descriptor: IngestorDescriptor { get }
    func detect(_ sample: DetectionSample) -> Confidence
    func ingest(_ input: IngestInput) throws -> FactBatch
    /// Whether `ingest` publishes facts to `IngestInput.stream` while it reads (so the
    /// pipeline may write a large first load as it is read). False unless an ingestor says so.
    var streams: Bool { get }
}

extension Ingestor {
    public var streams: Bool { false }
}
