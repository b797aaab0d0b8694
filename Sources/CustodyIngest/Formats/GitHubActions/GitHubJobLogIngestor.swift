import CustodyCore

/// A GitHub Actions job log as the log API returns it (`GET …/actions/jobs/{id}/logs`, or one
/// `<n>_<job>.txt` of a run's log archive): UTF-8 BOM, every line prefixed by an RFC 3339
/// timestamp with 7 fractional digits (FORMATS.md §6.1).
///
/// Facts: the run and job (see `GitHubRunLocator` for how they are identified), the actions the
/// runner downloaded, the workflow files it ran, the commits it checked out, the runner, the
/// images it pushed, the scripts it fetched and executed, cosign signing. The log is stored as
/// evidence, so `custody logs grep` searches it later.
public struct GitHubJobLogIngestor: Ingestor {
    public init() {}

    public var descriptor: IngestorDescriptor {
        IngestorDescriptor(
            id: "github-actions-log",
            version: "1",
            summary: "GitHub Actions job log text (API job log, or one job file of a run's log archive)",
            emits: "run, job, action, workflow, commit, artifact, tag, image-repository, remote-script; usedAction, ranWorkflow, builtFrom, produced, pointsTo, fetched, partOf")
    }

    public func detect(_ sample: DetectionSample) -> Confidence {
        Self.detectLog(sample.head)
    }

    /// A first line `<RFC 3339>Z <text>` that is not GitLab's `<time> <stream><O|E>` prefix;
    /// high when a runner phrase appears in the first 64 KiB.
    static func detectLog(_ head: [UInt8]) -> Confidence {
        guard !head.contains(0) else { return .none }
        let stamp: Range<Int>? = head.withUnsafeBufferPointer { buffer in
            let end = CIBytes.next(0x0A, in: buffer, from: 0, end: buffer.count)
            return GitHubLogScanner.timestampRange(buffer, 0, end > 0 && buffer[end - 1] == 0x0D ? end - 1 : end)
        }
        guard let stamp else { return .none }
        if GitLabTracePrefix.isStreamPrefix(head, at: stamp.upperBound + 1) { return .none }
        let sample = DetectionSample(fileName: "", bytes: head)
        for marker in ["##[group]", "##[endgroup]", "Current runner version:", "Download action repository", "Requested labels:",
                       "Job defined at:", "[command]", "##[error]", "Complete job name:"] where sample.contains(marker) {
            return .high
        }
        return .medium
    }

    public func ingest(_ input: IngestInput) throws -> FactBatch {
        try Self.checkText(input.bytes, source: input.source)
        let log = GitHubLogScanner.scan(input.bytes)
        guard log.timestampedLines > 0 else {
            throw CustodyError.rejected("not a GitHub Actions job log: no line starts with an RFC 3339 timestamp",
                                        at: SourceLocation(path: input.source, line: 1))
        }
        let identity = GitHubRunLocator.resolve(revealed: log, source: input.source,
                                                fileJobName: GitHubRunLocator.jobName(fromFileName: input.fileName), bytes: input.bytes)
        var facts = GitHubLogFacts(batch: FactBatch(), identity: identity, locationPrefix: "")
        facts.add(log)
        var batch = facts.batch
        batch.observedAt = log.lastTime
        Self.diagnose(log, identity: identity, into: &batch)
        return batch
    }

    /// Refuses binary data: a NUL byte in the first 64 KiB, or mostly invalid UTF-8.
    static func checkText(_ bytes: [UInt8], source: String) throws {
        let head = bytes.prefix(65_536)
        if head.contains(0) {
            throw CustodyError.rejected("binary data (NUL bytes), not a CI log", at: SourceLocation(path: source))
        }
        let decoded = String(decoding: head, as: UTF8.self)
        let replacements = decoded.unicodeScalars.lazy.filter { $0 == "\u{FFFD}" }.count
        if replacements > max(16, head.count / 20) {
            throw CustodyError.rejected("binary data (\(replacements) invalid UTF-8 sequences in the first \(head.count) bytes), not a CI log",
                                        at: SourceLocation(path: source))
        }
    }

    static func diagnose(_ log: GitHubJobLog, identity: GitHubRunIdentity, into batch: inout FactBatch) {
        if identity.runID == nil {
            batch.warn("the log reveals no run id (no <run-id>/logs/ path, no GITHUB_RUN_ID); run keyed \(identity.runKey) and marked incomplete")
        } else if !identity.confirmedByRunRecord {
            batch.diagnose(Diagnostic(.info, "no run record (run.json) beside the log: \(identity.runKey) is marked incomplete=true until one is ingested"))
        }
        if identity.repository == nil {
            batch.warn("the log names no repository (no checkout, no GITHUB_REPOSITORY); run keyed \(identity.runKey)")
        }
        let unresolved = log.actions.filter { $0.sha == nil && CIText.commitSHA(Substring($0.ref)) == nil }
        if !unresolved.isEmpty {
            let names = unresolved.map { "\($0.name)@\($0.ref)" }.joined(separator: ", ")
            batch.diagnose(Diagnostic(.info, "runner \(log.runner["runner_version"] ?? "?") printed no SHA for \(names): recorded as unresolved, inferred uses"))
        }
        if log.timestampedLines * 2 < log.lineCount {
            batch.warn("only \(log.timestampedLines) of \(log.lineCount) lines carry a timestamp; is this really a GitHub Actions log?")
        }
    }
}
