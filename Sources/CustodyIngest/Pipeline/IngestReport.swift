import CustodyCore

/// The outcome of one `custody ingest`: per document, then totals. The exit status is decided
/// from it at the end (3 when anything was rejected).
public struct IngestReport: Sendable {
    public enum Outcome: Sendable {
        case stored(format: String, nodesAdded: Int, edgesAdded: Int)
        case alreadyPresent(format: String?)
        case rejected(CustodyError)
    }

    public struct Entry: Sendable {
        public var source: String
        public var sha256: String?
        public var outcome: Outcome
        public var diagnostics: [Diagnostic]
    }

    public var entries: [Entry] = []
    /// Work after the documents were stored that failed: derivations, the rebuild of indexes a
    /// bulk load left for the end of the run (the documents stay; the next open rebuilds them).
    public var derivationErrors: [CustodyError] = []

    public init() {}

    public var newDocuments: Int { entries.filter { if case .stored = $0.outcome { true } else { false } }.count }
    public var alreadyPresent: Int { entries.filter { if case .alreadyPresent = $0.outcome { true } else { false } }.count }
    public var rejections: [(source: String, error: CustodyError)] {
        entries.compactMap { if case let .rejected(error) = $0.outcome { ($0.source, error) } else { nil } }
    }
    public var nodesAdded: Int {
        entries.reduce(0) { if case let .stored(_, nodes, _) = $1.outcome { $0 + nodes } else { $0 } }
    }
    public var edgesAdded: Int {
        entries.reduce(0) { if case let .stored(_, _, edges) = $1.outcome { $0 + edges } else { $0 } }
    }
    public var diagnosticCount: Int { entries.reduce(0) { $0 + $1.diagnostics.count } }
}
