import CustodyCore
import CustodyStore
import Dispatch
import Foundation

/// A line of a stored CI log that matched.
public struct LogMatch: Sendable, Hashable {
    /// The run key (`github:acme/app/9000000102`), or nil for a log no run was recorded from.
    public var run: String?
    /// The job's display name when known (`build`, `test (ubuntu, 3.12)`).
    public var job: String?
    /// The member of an archive document (`0_build.txt`), nil for plain logs.
    public var member: String?
    /// 1-based line number within the log (or archive member).
    public var line: Int
    /// The line as stored (raw: callers make control characters visible before printing).
    public var text: String
    public var document: String
    public var source: String
}

public struct LogSearchResult: Sendable {
    public var matches: [LogMatch] = []
    public var documentsSearched = 0
    public var bytesSearched = 0
    /// True when `limit` stopped the search.
    public var truncated = false
}

/// `custody logs grep`: which runs' stored logs contain an indicator (FORMATS.md §6; DESIGN.md
/// §4 keeps every log's raw bytes).
///
/// Logs are found by format in the documents table and mapped to their run and job through the
/// nodes each document supports; `--from/--to` and `--repo` filter on the run's recorded
/// interval and repository before any byte is read. Stored (gzip) bytes are fetched in storage
/// order by one reader while the other cores decompress and search (`LogScan`).
public struct LogSearch: Sendable {
    /// Formats whose documents are CI logs.
    public static let formats = ["github-actions-log", "github-actions-log-zip", "gitlab-ci-trace", "jenkins-console"]

    /// Expands an archive document (a run-log zip) into its members; the archive readers live
    /// in the ingest layer, which this one may not import, so the caller supplies them.
    public typealias Expander = @Sendable ([UInt8]) throws -> [(name: String, bytes: [UInt8])]

    public let database: CaseDatabase
    public let expanders: [String: Expander]

    public init(database: CaseDatabase, expanders: [String: Expander] = [:]) {
        self.database = database
        self.expanders = expanders
    }

    public func run(_ pattern: LogPattern, window: TimeWindow = .unbounded, repository: String? = nil,
                    limit: Int = 1000) throws -> LogSearchResult {
        try database.read { reader in
            let scopes = try LogScope.load(reader: reader, formats: Self.formats)
                .filter { $0.admits(window: window, repository: repository) }
            var result = LogSearchResult()
            let collector = Collector()
            var batch: [(LogScope, StoredContent)] = []
            var batchBytes = 0
            let byID = Dictionary(uniqueKeysWithValues: scopes.map { ($0.document.id, $0) })
            try reader.forEachStoredContent(documentIDs: scopes.map(\.document.id)) { id, content in
                guard let scope = byID[id] else { return true }
                batch.append((scope, content))
                batchBytes += content.bytes.count
                result.documentsSearched += 1
                result.bytesSearched += scope.document.size
                if batchBytes >= 32 << 20 || batch.count >= 256 {
                    search(batch, pattern: pattern, limit: limit, into: collector)
                    batch.removeAll(keepingCapacity: true)
                    batchBytes = 0
                }
                return collector.count < limit
            }
            search(batch, pattern: pattern, limit: limit, into: collector)
            result.matches = collector.matches.sorted {
                ($0.run ?? "", $0.job ?? "", $0.member ?? "", $0.line) < ($1.run ?? "", $1.job ?? "", $1.member ?? "", $1.line)
            }
            if result.matches.count >= limit {
                result.matches = Array(result.matches.prefix(limit))
                result.truncated = true
            }
            return result
        }
    }

    /// Decodes and searches a batch of documents on every core.
    private func search(_ batch: [(LogScope, StoredContent)], pattern: LogPattern, limit: Int, into collector: Collector) {
        guard !batch.isEmpty else { return }
        let expanders = self.expanders
        DispatchQueue.concurrentPerform(iterations: batch.count) { index in
            guard collector.count < limit else { return }
            let (scope, content) = batch[index]
            guard let bytes = try? ContentCodec.decode(content) else {
                collector.fail(scope.document)
                return
            }
            var members: [(name: String?, bytes: [UInt8])] = [(nil, bytes)]
            if let expand = expanders[scope.document.format] {
                members = ((try? expand(bytes)) ?? []).map { (Optional($0.name), $0.bytes) }
            }
            var found: [LogMatch] = []
            for member in members {
                for hit in LogScan.search(member.bytes, pattern: pattern, limit: limit) {
                    found.append(LogMatch(run: scope.run, job: scope.job(member: member.name), member: member.name, line: hit.line,
                                          text: hit.text, document: scope.document.sha256, source: scope.document.source))
                }
            }
            collector.add(found)
        }
    }
}

/// Thread-safe accumulation of matches from the search workers.
final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private var found: [LogMatch] = []
    private var failed: [StoredDocumentInfo] = []

    var count: Int { lock.withLock { found.count } }
    var matches: [LogMatch] { lock.withLock { found } }

    func add(_ matches: [LogMatch]) {
        guard !matches.isEmpty else { return }
        lock.withLock { found += matches }
    }

    func fail(_ document: StoredDocumentInfo) {
        lock.withLock { failed.append(document) }
    }
}
