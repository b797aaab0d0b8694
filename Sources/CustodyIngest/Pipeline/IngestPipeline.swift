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
    public func run(paths: [String], options: IngestOptions = IngestOptions(),
                    progress: (@Sendable (Int, Int, String) -> Void)? = nil) -> IngestReport {
        var report = IngestReport()
        let inputs = reader.expand(paths)
        for (index, input) in inputs.enumerated() {
            switch input {
            case let .failure(error):
                report.entries.append(.init(source: error.location?.path ?? "?", sha256: nil, outcome: .rejected(error), diagnostics: []))
            case let .success(path):
                report.entries.append(ingestOne(path: path, options: options))
            }
            progress?(index + 1, inputs.count, (try? input.get()) ?? "")
        }
        if report.newDocuments > 0 {
            report.derivationErrors = runDerivations()
        }
        return report
    }

    /// Recomputes every derivation; a failing one is reported and leaves its previous facts.
    public func runDerivations() -> [CustodyError] {
        var errors: [CustodyError] = []
        for derivation in derivations {
            do {
                let facts = try database.read { try derivation.derive(from: $0) }
                try database.replaceDerivedFacts(derivation: derivation.id, with: facts)
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
        process(bytes: bytes, source: source, options: options)
    }

    func ingestOne(path: String, options: IngestOptions) -> IngestReport.Entry {
        do {
            let bytes = try reader.read(path)
            return process(bytes: bytes, source: path, options: options)
        } catch let error as CustodyError {
            return .init(source: path, sha256: nil, outcome: .rejected(error), diagnostics: [])
        } catch {
            return .init(source: path, sha256: nil, outcome: .rejected(.rejected("\(error)", at: SourceLocation(path: path))), diagnostics: [])
        }
    }

    private func process(bytes: [UInt8], source: String, options: IngestOptions) -> IngestReport.Entry {
        var timer = PhaseTimer(label: source)
        defer { timer.report() }
        let sha = SHA256Hasher.hex(of: bytes)
        timer.mark("hash")
        do {
            if try database.hasDocument(sha256: sha) {
                return .init(source: source, sha256: sha, outcome: .alreadyPresent(format: nil), diagnostics: [])
            }
            timer.mark("lookup")
            let ingestor = try chooseIngestor(bytes: bytes, source: source, options: options)
            timer.mark("detect")
            // Compress the raw bytes for the evidence store on the other core while parsing.
            let compression = Background { ContentCodec.encode(bytes) }
            let input = IngestInput(source: source, fileName: InputReader.fileName(of: source), bytes: bytes, options: options)
            var batch: FactBatch
            do {
                batch = try ingestor.ingest(input)
                timer.mark("parse+facts")
            } catch var error as CustodyError {
                if error.location == nil { error.location = SourceLocation(path: source) }
                if error.code != .rejectedInput, error.code != .usage { error.code = .rejectedInput }
                _ = compression.wait()
                return .init(source: source, sha256: sha, outcome: .rejected(error), diagnostics: [])
            }
            if batch.observedAt == nil { batch.observedAt = options.observedAt }
            let descriptor = ingestor.descriptor
            let document = DocumentInput(sha256: sha, format: descriptor.id, source: source, size: bytes.count,
                                         observedAt: batch.observedAt, ingestor: descriptor.id,
                                         ingestorVersion: descriptor.version, stored: compression.wait())
            timer.mark("compress-wait")
            let written = try database.ingest(document: document, batch: batch, ingestedAt: clock.now())
            timer.mark("write")
            guard let summary = written else {
                return .init(source: source, sha256: sha, outcome: .alreadyPresent(format: descriptor.id), diagnostics: [])
            }
            return .init(source: source, sha256: sha,
                         outcome: .stored(format: descriptor.id, nodesAdded: summary.nodesAdded, edgesAdded: summary.edgesAdded),
                         diagnostics: batch.diagnostics)
        } catch let error as CustodyError {
            return .init(source: source, sha256: sha, outcome: .rejected(error), diagnostics: [])
        } catch {
            return .init(source: source, sha256: sha, outcome: .rejected(.rejected("\(error)", at: SourceLocation(path: source))), diagnostics: [])
        }
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

/// Runs a closure on a global queue and waits for its value later: enough structure for one
/// piece of work overlapped with the caller's, without making the pipeline async.
final class Background<Value: Sendable>: @unchecked Sendable {
    private let group = DispatchGroup()
    private var value: Value?

    init(_ work: @escaping @Sendable () -> Value) {
        group.enter()
        DispatchQueue.global().async {
            self.value = work()
            self.group.leave()
        }
    }

    func wait() -> Value {
        group.wait()
        return value!
    }
}

/// Per-phase durations of one document, printed to stderr when `CUSTODY_TIMINGS=1`: the
/// first thing to look at when an ingest is slow.
struct PhaseTimer {
    let label: String
    let enabled = ProcessInfo.processInfo.environment["CUSTODY_TIMINGS"] == "1"
    private var last = ContinuousClock.now
    private var phases: [(String, Duration)] = []

    init(label: String) { self.label = label }

    mutating func mark(_ phase: String) {
        guard enabled else { return }
        let now = ContinuousClock.now
        phases.append((phase, now - last))
        last = now
    }

    func report() {
        guard enabled else { return }
        let text = phases.map { "\($0.0)=\(($0.1 / .milliseconds(1)).formatted(.number.precision(.fractionLength(1))))ms" }
        FileHandle.standardError.write(Data("timings \(label): \(text.joined(separator: " "))\n".utf8))
    }
}
