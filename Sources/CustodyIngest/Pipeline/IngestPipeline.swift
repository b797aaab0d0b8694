import CustodyCore
import CustodyCrypto
import CustodyStore
import Dispatch
import Foundation

/// Reads documents, recognizes their format, asks the ingestor for facts and writes each
/// document with its facts in one transaction. Same bytes twice is a no-op that says so; a
/// document that fails leaves nothing behind; the run goes on with the next document.
public struct IngestPipeline: Sendable {
    public let database: CaseDatabase
    public let registry: IngestorRegistry
    public let reader: InputReader
    public let clock: WallClock
    public let derivations: [any Derivation]
    /// Documents from this size on, alone in a run, are streamed into a case without facts
    /// (`ingestAlone`); tests lower it to stream small fixtures, or raise it to compare.
    public var streamMinimumBytes = IngestPipeline.defaultStreamMinimumBytes

    public init(database: CaseDatabase, registry: IngestorRegistry = .standard,
                reader: InputReader = InputReader(), clock: WallClock = .system,
                derivations: [any Derivation] = DerivationRegistry.standard) {
        self.database = database
        self.registry = registry
        self.reader = reader
        self.clock = clock
        self.derivations = derivations
    }

    /// Ingests every document under `paths`. `progress` is called after each document with
    /// (done, total, source) so that a terminal can show where a long ingest is.
    ///
    /// With several documents, the next write group (`WriteGroupBudget`) is read, hashed,
    /// parsed, compressed and merged on another thread while this one is written
    /// (`GroupPrefetch`): on a fleet of small SBOMs preparing and writing take about as long
    /// each, so the two cores together halve the run.
    public func run(paths: [String], options: IngestOptions = IngestOptions(),
                    progress: (@Sendable (Int, Int, String) -> Void)? = nil) -> IngestReport {
        var report = IngestReport()
        let inputs = reader.expand(paths)
        let prepare: @Sendable (Int, CaseDatabase) -> Prepared = { [self] index, lookup in
            switch inputs[index] {
            case let .failure(error):
                return .done(.init(source: error.location?.path ?? "?", sha256: nil, outcome: .rejected(error), diagnostics: []))
            case let .success(path):
                // Have the kernel read the next files while this one is parsed.
                for next in inputs.indices.dropFirst(index + 1).prefix(Self.readAhead) {
                    if case let .success(nextPath) = inputs[next] { InputReader.adviseReadSoon(nextPath) }
                }
                return prepareFile(path: path, options: options, lookup: lookup)
            }
        }
        // A long run's checkpoints (and their syncs) happen beside the writer, not in its commits.
        let checkpoints = inputs.count > 1 ? database.startBackgroundCheckpoints() : nil
        defer { checkpoints?.stop() }
        if inputs.count > 1 {
            let lookup = (try? CaseDatabase(path: database.path, readOnly: true)) ?? database
            let prefetch = GroupPrefetch(count: inputs.count, lookup: lookup, prepare: prepare)
            var remaining = inputs.count
            while remaining > 0 {
                report.entries += commitTransaction(remaining: &remaining) { prefetch.next() } written: { done in
                    progress?(done, inputs.count, (try? inputs[done - 1].get()) ?? "")
                }
            }
            report.derivationErrors += restoreIndexes()
        } else {
            // One input: written alone (`ingestAlone`), or reported if it could not be found.
            for index in inputs.indices {
                switch inputs[index] {
                case let .success(path): report.entries.append(ingestAlone(path: path, options: options))
                case .failure: report.entries.append(commit(prepare(index, database)))
                }
                progress?(index + 1, inputs.count, (try? inputs[index].get()) ?? "")
            }
        }
        if report.newDocuments > 0 {
            report.derivationErrors += runDerivations()
        }
        return report
    }

    /// Builds the indexes the run's bulk load left for its end (`CaseDatabase.restoreIndexes`).
    private func restoreIndexes() -> [CustodyError] {
        var timer = PhaseTimer(label: "indexes")
        defer { timer.report() }
        do {
            try database.restoreIndexes()
            timer.mark("restore")
            return []
        } catch let error as CustodyError {
            return [error]
        } catch {
            return [CustodyError(.database, "rebuilding the indexes of \(database.path) failed", cause: "\(error)")]
        }
    }

    /// Recomputes every derivation; a failing one is reported and leaves its previous facts.
    public func runDerivations() -> [CustodyError] {
        var errors: [CustodyError] = []
        for derivation in derivations {
            var timer = PhaseTimer(label: "derivation \(derivation.id)")
            defer { timer.report() }
            do {
                let facts = try database.read { try derivation.derive(from: $0) }
                timer.mark("derive")
                try database.replaceDerivedFacts(derivation: derivation.id, with: facts)
                timer.mark("replace")
            } catch let error as CustodyError {
                errors.append(error)
            } catch {
                errors.append(CustodyError(.internalError, "derivation \(derivation.id) failed", cause: "\(error)"))
            }
        }
        return errors
    }

    /// Ingests one document given as bytes (the server's webhook endpoint, tests).
    public func ingest(bytes: [UInt8], source: String, options: IngestOptions = IngestOptions()) -> IngestReport.Entry {
        commit(prepare(bytes: bytes, source: source, options: options, lookup: database))
    }

    func ingestOne(path: String, options: IngestOptions) -> IngestReport.Entry {
        commit(prepareFile(path: path, options: options, lookup: database))
    }

    /// The one document of a run: prepared, then written, with a rollback journal if it is
    /// the case's first document; or, when large and streamable into a case with no facts
    /// yet, written while it is read (`prepare(streaming:)`).
    private func ingestAlone(path: String, options: IngestOptions) -> IngestReport.Entry {
        let prepared = prepareFile(path: path, options: options, lookup: database, streaming: true)
        guard case .ready = prepared else { return commit(prepared) }
        return database.writingFirstLoad { commit(prepared) }
    }

    /// Below 8 MiB, reading and then writing a document costs little more than streaming it.
    public static let defaultStreamMinimumBytes = 8 << 20

    private func prepareFile(path: String, options: IngestOptions, lookup: CaseDatabase, streaming: Bool = false) -> Prepared {
        do {
            var timer = PhaseTimer(label: path)
            let (bytes, sha256) = try reader.readHashed(path)
            timer.mark("read+hash")
            return prepare(bytes: bytes, sha256: sha256, source: path, options: options, lookup: lookup, timer: timer,
                           streaming: streaming)
        } catch let error as CustodyError {
            return .done(.init(source: path, sha256: nil, outcome: .rejected(error), diagnostics: []))
        } catch {
            return .done(.init(source: path, sha256: nil, outcome: .rejected(.rejected("\(error)", at: SourceLocation(path: path))), diagnostics: []))
        }
    }

    /// Everything before the write: hash, "already stored?", detection, facts, compression.
    /// `lookup` answers the presence question (a separate read-only connection when this runs
    /// beside a write); `commit` asks again inside its transaction, so a race only costs work.
    /// `bytes` is consumed: the raw document is released before the write, not after it.
    /// `sha256`: the bytes' hash when the reader computed it already.
    ///
    /// `streaming` (the run's only document, `lookup` being `database`): a document of
    /// `streamMinimumBytes` or more whose ingestor streams, into a case with no facts, is
    /// written while it is read, by another thread, chunk by chunk
    /// (`CaseDatabase.ingestStreamed`): for a 100,000-component SBOM, SQLite's inserts overlap
    /// the reading instead of following it. One transaction all the same: a rejected document
    /// or a failed write leaves nothing behind. It comes back done.
    private func prepare(bytes: consuming [UInt8], sha256: String? = nil, source: String, options: IngestOptions,
                         lookup: CaseDatabase, timer: PhaseTimer? = nil, streaming: Bool = false) -> Prepared {
        var timer = timer ?? PhaseTimer(label: source)
        defer { timer.report() }
        let raw = bytes
        let sha = sha256 ?? SHA256Hasher.hex(of: raw)
        timer.mark("hash")
        do {
            if try lookup.hasDocument(sha256: sha) {
                return .done(.init(source: source, sha256: sha, outcome: .alreadyPresent(format: nil), diagnostics: []))
            }
            timer.mark("lookup")
            let ingestor = try chooseIngestor(bytes: raw, source: source, options: options)
            timer.mark("detect")
            // Compress the raw bytes for the evidence store on the other core while parsing.
            let compression = Background { ContentCodec.encode(raw) }
            let streamed = streaming && ingestor.streams && raw.count >= streamMinimumBytes
                && (try? lookup.isGraphEmpty()) == true ? startStreamedWrite(size: raw.count, sha256: sha) : nil
            var batch: FactBatch
            do {
                batch = try ingestor.ingest(IngestInput(source: source, fileName: InputReader.fileName(of: source), bytes: raw,
                                                        options: options, stream: streamed?.document.facts))
                timer.mark("parse+facts")
            } catch {
                streamed?.document.abandon()
                _ = streamed?.writer.wait()
                _ = compression.wait()
                return .done(.init(source: source, sha256: sha, outcome: .rejected(Self.rejection(error, source: source)), diagnostics: []))
            }
            batch.stream = nil
            if batch.observedAt == nil { batch.observedAt = options.observedAt }
            let descriptor = ingestor.descriptor
            let document = DocumentInput(sha256: sha, format: descriptor.id, source: source, size: raw.count,
                                         observedAt: batch.observedAt, ingestor: descriptor.id,
                                         ingestorVersion: descriptor.version, stored: compression.wait())
            timer.mark("compress-wait")
            let ready = Ready(source: source, sha256: sha, format: descriptor.id, document: document, batch: batch)
            guard let streamed else { return .ready(ready) }
            streamed.document.finish(document: document, batch: ready.batch)
            let entry = Self.entry(ready, streamed.writer.wait())
            timer.mark("write")
            // Freeing half a million facts takes a tenth of a second: another thread does it.
            releaseInBackground(ready, trim: true)
            return .done(entry)
        } catch let error as CustodyError {
            return .done(.init(source: source, sha256: sha, outcome: .rejected(error), diagnostics: []))
        } catch {
            return .done(.init(source: source, sha256: sha, outcome: .rejected(.rejected("\(error)", at: SourceLocation(path: source))), diagnostics: []))
        }
    }

    /// The writer of a streamed document, started on another thread.
    private func startStreamedWrite(size: Int, sha256: String)
        -> (document: StreamedDocument, writer: Background<Result<WriteSummary?, CustodyError>>) {
        let streamed = StreamedDocument(size: size)
        let database = self.database, ingestedAt = clock.now()
        return (streamed, Background {
            database.writingFirstLoad { database.ingestStreamed(streamed, sha256: sha256, ingestedAt: ingestedAt) }
        })
    }

    /// An ingestor's error as a rejection of the document at `source`.
    private static func rejection(_ error: any Error, source: String) -> CustodyError {
        guard var error = error as? CustodyError else { return .rejected("\(error)", at: SourceLocation(path: source)) }
        if error.location == nil { error.location = SourceLocation(path: source) }
        if error.code != .rejectedInput, error.code != .usage { error.code = .rejectedInput }
        return error
    }

    /// A written document's entry in the report.
    private static func entry(_ ready: Ready, _ result: Result<WriteSummary?, CustodyError>) -> IngestReport.Entry {
        switch result {
        case let .failure(error):
            .init(source: ready.source, sha256: ready.sha256, outcome: .rejected(error), diagnostics: [])
        case .success(nil):
            .init(source: ready.source, sha256: ready.sha256, outcome: .alreadyPresent(format: ready.format), diagnostics: [])
        case let .success(summary?):
            .init(source: ready.source, sha256: ready.sha256,
                  outcome: .stored(format: ready.format, nodesAdded: summary.nodesAdded, edgesAdded: summary.edgesAdded),
                  diagnostics: ready.batch.diagnostics)
        }
    }

    /// How long one write transaction keeps taking documents before it commits: long enough
    /// that a fleet of small SBOMs pays a commit (WAL write and sync) per few hundred documents
    /// rather than per document, short enough that other readers see progress. Each commit
    /// writes every page its transaction changed to the WAL, and pod snapshots change most leaf
    /// pages of the evidence tables: 8 s rather than 2 s halved the bytes a 50-snapshot run
    /// writes (1.6 → 0.76 GB) and cost it 20 MiB of peak memory; the fleet's time is unchanged.
    static let groupCommitInterval: Duration = .seconds(8)

    /// A transaction also goes on past the interval until it has written this much input.
    /// Each commit writes every page its transaction touched (WAL, then checkpoint), so
    /// commits by time alone multiply when the machine is slow: the benchmark fleet (258 MB)
    /// wrote 470 MB in its usual 7 s, but 512–842 MB in runs of 14–85 s while another tenant
    /// saturated the disk, each extra commit rewriting scattered pages of the 30 MB edge
    /// index and of the evidence tables, which made a slow disk slower still. Bounded by
    /// input too, the number of commits no longer grows with their duration (the fleet with
    /// half a core: 4 commits, 627 MB, 42 s before; 1 commit, 470 MB, 22 s after).
    static let groupCommitMinimumBytes = 256 << 20

    /// How many files ahead of the one being prepared the kernel is asked to read: a
    /// 67 MB snapshot not in the page cache otherwise cost its reading thread ≈ 150 ms of
    /// waiting on a quiet disk, and seconds on a busy one.
    static let readAhead = 2

    /// Writes groups (`next`) in one transaction until the group interval has passed and the
    /// minimum input is written, or no document remains; counts `remaining` down and calls
    /// `written` with the number of documents done after each group. If the commit itself fails, every document of the
    /// transaction that was stored is reported rejected with that error.
    private func commitTransaction(remaining: inout Int, next: () -> PreparedGroup, written: (Int) -> Void) -> [IngestReport.Entry] {
        var entries: [IngestReport.Entry] = []
        let started = ContinuousClock.now
        let total = remaining
        var timer = PhaseTimer(label: "transaction")
        defer { timer.report() }
        var storedLarge = false
        var bytes = 0
        do {
            try database.writeSession { session in
                repeat {
                    let group = next()
                    timer.mark("wait")
                    storedLarge = storedLarge || group.isLarge
                    bytes += group.bytes
                    remaining -= group.items.count
                    entries += commit(group, session: session, moreToFollow: remaining > 0)
                    written(total - remaining)
                    timer.mark("groups")
                } while remaining > 0
                    && (ContinuousClock.now - started < Self.groupCommitInterval || bytes < Self.groupCommitMinimumBytes)
            }
            timer.mark("commit")
            if storedLarge { database.releaseCachedPages() }
        } catch {
            let failure = error as? CustodyError ?? CustodyError(.database, "writing to \(database.path) failed", cause: "\(error)")
            entries = entries.map { entry in
                guard case .stored = entry.outcome else { return entry }
                return .init(source: entry.source, sha256: entry.sha256, outcome: .rejected(failure), diagnostics: [])
            }
        }
        return entries
    }

    /// One document alone: its own transaction.
    private func commit(_ prepared: Prepared) -> IngestReport.Entry {
        var remaining = 1
        return commitTransaction(remaining: &remaining) { PreparedGroup(items: [prepared], merged: nil) } written: { _ in }[0]
    }

    /// The entries of a group's documents, in order: those finished while being prepared
    /// (already stored, rejected) as they are, the others written (`write`).
    private func commit(_ group: PreparedGroup, session: WriteSession, moreToFollow: Bool) -> [IngestReport.Entry] {
        var entries: [IngestReport.Entry] = []
        var ready: [Ready] = []
        var slots: [Int] = []
        for item in group.items {
            switch item {
            case let .done(entry): entries.append(entry)
            case let .ready(document):
                slots.append(entries.count)
                ready.append(document)
                entries.append(.init(source: document.source, sha256: document.sha256, outcome: .alreadyPresent(format: nil), diagnostics: []))
            }
        }
        let written = write(ready, merged: group.merged, trim: group.isLarge, session: session, moreToFollow: moreToFollow)
        for (slot, entry) in zip(slots, written) {
            entries[slot] = entry
        }
        return entries
    }

    /// The write of a group of documents inside a transaction (`WriteSession.ingest(group:)`:
    /// merged, yet atomic per document). One entry per document, in order. `trim`: hand the
    /// freed memory back to the kernel afterwards (`releaseInBackground`).
    private func write(_ group: [Ready], merged: MergedFacts?, trim: Bool, session: WriteSession,
                       moreToFollow: Bool) -> [IngestReport.Entry] {
        guard !group.isEmpty else { return [] }
        var timer = PhaseTimer(label: group.count == 1 ? group[0].source : "group of \(group.count) documents")
        defer { timer.report() }
        let results = session.ingest(group: group.map { ($0.document, $0.batch) }, merged: merged, ingestedAt: clock.now(),
                                     moreToFollow: moreToFollow)
        timer.mark("write")
        // Freeing half a million facts takes a tenth of a second: another thread does it.
        releaseInBackground(group, trim: trim)
        return zip(group, results).map(Self.entry)
    }

    private func chooseIngestor(bytes: [UInt8], source: String, options: IngestOptions) throws -> any Ingestor {
        if let id = options.formatOverride {
            guard let ingestor = registry.ingestor(id: id) else {
                throw CustodyError.usage("unknown format \(id); custody ingestors lists the formats")
            }
            return ingestor
        }
        return try registry.detect(DetectionSample(fileName: InputReader.fileName(of: source), bytes: bytes), source: source)
    }
}
