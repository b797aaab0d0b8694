import CustodyCore
import GRDB

/// Writes documents and the facts they assert: the document rows (content-addressed, raw bytes
/// compressed), their diagnostics, then every document's facts merged into one group
/// (`GroupFacts`) and written set-based (`FactWriter`). The caller holds the transaction or
/// savepoint that makes it all-or-nothing.
struct GraphWriter {
    let db: Database
    let tables: BatchTable.Pair

    /// Stores `documents` (none stored before) and their facts; one summary each, in order.
    /// `merged`: their facts merged already, when it is of exactly these documents.
    /// `deferIndexes`, `edgeCache`: see `FactWriter.write`.
    func write(_ documents: [(document: DocumentInput, batch: FactBatch)], merged: MergedFacts? = nil, ingestedAt: Timestamp,
               deferIndexes: Bool = false, edgeCache: inout EdgeIdentityCache) throws -> [WriteSummary] {
        var timer = PhaseTimer(label: "write")
        defer { timer.report() }
        var documentIDs: [Int64] = []
        for (document, batch) in documents {
            let id = try insertDocument(document, ingestedAt: ingestedAt)
            try insertDiagnostics(batch.diagnostics, documentID: id)
            documentIDs.append(id)
        }
        timer.mark("documents")
        let facts = if let merged, merged.documents == documents.map(\.document.sha256) {
            merged.facts.resolvingDocuments(documentIDs)
        } else {
            GroupFacts.merging(documents.map(\.batch), documents: documentIDs)
        }
        timer.mark("merge")
        let written = try FactWriter(db: db, tables: tables).write(facts, deferIndexes: deferIndexes, edgeCache: &edgeCache,
                                                                   timer: &timer)
        var summaries = documents.map { _, batch in
            var summary = WriteSummary()
            summary.nodesSeen = batch.nodes.count
            summary.edgesSeen = batch.edges.count
            return summary
        }
        // A fact counts as added by the first document of the group that asserted it.
        let position = Dictionary(uniqueKeysWithValues: documentIDs.enumerated().map { ($1, $0) })
        func owner(_ documents: DocumentColumn, _ index: Int) -> Int {
            documents[index].flatMap { position[$0] } ?? 0
        }
        for (index, added) in written.nodeAdded.enumerated() where added {
            summaries[summaries.count == 1 ? 0 : owner(facts.nodeDocuments, index)].nodesAdded += 1
        }
        for (index, added) in written.edgeAdded.enumerated() where added {
            summaries[summaries.count == 1 ? 0 : owner(facts.edgeDocuments, index)].edgesAdded += 1
        }
        return summaries
    }

    /// Writes derived facts: nodes are merged as usual (without evidence of their own), edges
    /// get evidence links to the documents they were derived from.
    func writeDerived(_ derived: DerivedFacts) throws -> WriteSummary {
        var documentIDs = try DocumentIDs(db: db)
        var evidence: [[Int64]] = []
        evidence.reserveCapacity(derived.edgeEvidence.count)
        for (index, shas) in derived.edgeEvidence.prefix(derived.batch.edges.count).enumerated() {
            var ids = try shas.compactMap { try documentIDs.id(of: $0) }
            if index < derived.edgeEvidenceDocuments.count { ids += derived.edgeEvidenceDocuments[index] }
            // Any order and repeats allowed: a derived edge's links are written in key order.
            ids.sort()
            ids.removeDuplicatesInSorted()
            evidence.append(ids)
        }
        let facts = GroupFacts(derived: derived.batch, edgeEvidence: evidence, location: "derived")
        var timer = PhaseTimer(label: "write derived")
        defer { timer.report() }
        let written = try FactWriter(db: db, tables: tables).write(facts, timer: &timer)
        var summary = WriteSummary()
        summary.nodesSeen = facts.nodes.count
        summary.edgesSeen = facts.edges.count
        summary.nodesAdded = written.nodeAdded.lazy.filter { $0 }.count
        summary.edgesAdded = written.edgeAdded.lazy.filter { $0 }.count
        return summary
    }

    /// The row of a document whose facts were written first, under the id they cite (a
    /// streamed first load, `StreamedFactWriter`), and its diagnostics.
    func storeDocument(_ document: DocumentInput, diagnostics: [Diagnostic], id: Int64, ingestedAt: Timestamp) throws {
        let stored = try insertDocument(document, ingestedAt: ingestedAt, id: id)
        guard stored == id else {
            throw CustodyError(.internalError, "document row \(stored) stored instead of \(id)")
        }
        try insertDiagnostics(diagnostics, documentID: id)
    }

    /// `id`: the row's id, if chosen beforehand; else SQLite's next.
    private func insertDocument(_ document: DocumentInput, ingestedAt: Timestamp, id: Int64? = nil) throws -> Int64 {
        let statement = try BulkStatement(db, """
            INSERT INTO documents(sha256, format, source, size, ingested_at, observed_at, ingestor, ingestor_version, encoding, content, id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id
            """)
        statement.bind(11, id)
        statement.bind(1, document.sha256)
        statement.bind(2, document.format)
        statement.bind(3, document.source)
        statement.bind(4, Int64(document.size))
        statement.bind(5, ingestedAt.nanosecondsSinceEpoch)
        statement.bind(6, document.observedAt?.nanosecondsSinceEpoch)
        statement.bind(7, document.ingestor)
        statement.bind(8, document.ingestorVersion)
        statement.bind(9, document.stored.encoding)
        guard let id = try statement.stepBinding(10, blob: document.stored.bytes, db) else {
            throw CustodyError(.internalError, "document row was not created")
        }
        return id
    }

    private func insertDiagnostics(_ diagnostics: [Diagnostic], documentID: Int64) throws {
        guard !diagnostics.isEmpty else { return }
        let insert = try BulkStatement(db, "INSERT INTO diagnostics(document_id, severity, message, location) VALUES (?1, ?2, ?3, ?4)")
        for diagnostic in diagnostics {
            insert.bind(1, documentID)
            insert.bind(2, diagnostic.severity.rawValue)
            insert.bind(3, diagnostic.message)
            insert.bind(4, diagnostic.location)
            try insert.step(db)
        }
    }
}

/// Document ids by sha256, looked up once each: derived edges cite the same few documents
/// thousands of times (every snapshot behind a workload interval).
private struct DocumentIDs {
    let db: Database
    private let lookup: BulkStatement
    private var known: [String: Int64?] = [:]

    init(db: Database) throws {
        self.db = db
        lookup = try BulkStatement(db, "SELECT id FROM documents WHERE sha256 = ?1")
    }

    mutating func id(of sha: String) throws -> Int64? {
        if let id = known[sha] { return id }
        lookup.bind(1, sha)
        let id = try lookup.firstRow(db) { $0.int64(0) }
        known[sha] = id
        return id
    }
}
