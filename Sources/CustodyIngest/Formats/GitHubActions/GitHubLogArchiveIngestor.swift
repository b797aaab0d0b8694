import CustodyCore

/// A GitHub Actions run's log archive as the API delivers it (`GET …/actions/runs/{id}/logs`,
/// `…/attempts/{n}/logs`; FORMATS.md §6.1): top-level `<n>_<job>.txt` files with each job's
/// full log, and per job a folder with `<n>_<step>.txt` step logs (older archives) and
/// `system.txt` (the runner's queueing lines, out of timestamp order). A job with a top-level
/// file is read from it; a job known only by its folder is read from its step files in step
/// order; its `system.txt` adds the runner and `Job defined at:` lines either way. The run id
/// comes from the archive's name (`logs_<id>.zip`, `<id>.zip`, `<id>/logs.zip`) or the logs.
public struct GitHubLogArchiveIngestor: Ingestor {
    public init() {}

    public var descriptor: IngestorDescriptor {
        IngestorDescriptor(
            id: "github-actions-log-zip",
            version: "1",
            summary: "GitHub Actions run log archive (the logs zip of a run or attempt)",
            emits: "the github-actions-log facts of every job in the archive")
    }

    public func detect(_ sample: DetectionSample) -> Confidence {
        guard ZipArchive.looksLikeZip(sample.head) else { return .none }
        let head = sample.head
        if head.count > 30 {
            let length = Int(head[26]) | Int(head[27]) << 8
            if 30 + length <= head.count, String(decoding: head[30..<(30 + length)], as: UTF8.self).hasSuffix(".txt") { return .high }
        }
        return sample.fileNameHasSuffix(".zip") ? .low : .none
    }

    /// The job files of an archive: (job name, main entries in order, system entry).
    static func layout(_ entries: [ZipArchive.Entry]) -> [(job: String, main: [ZipArchive.Entry], system: ZipArchive.Entry?)] {
        var topLevel: [String: ZipArchive.Entry] = [:]
        var steps: [String: [(Int, ZipArchive.Entry)]] = [:]
        var systems: [String: ZipArchive.Entry] = [:]
        for entry in entries where entry.name.hasSuffix(".txt") && !entry.name.hasSuffix("/") {
            let parts = entry.name.split(separator: "/", maxSplits: 1)
            if parts.count == 1 {
                if let job = GitHubRunLocator.jobName(fromFileName: entry.name) { topLevel[job] = entry }
            } else if parts[1] == "system.txt" {
                systems[String(parts[0])] = entry
            } else if !parts[1].contains("/") {
                steps[String(parts[0]), default: []].append((Int(parts[1].prefix { $0.isNumber }) ?? Int.max, entry))
            }
        }
        let jobs = Set(topLevel.keys).union(steps.keys).union(systems.keys).sorted()
        return jobs.map { job in
            let main = topLevel[job].map { [$0] } ?? (steps[job] ?? []).sorted { ($0.0, $0.1.name) < ($1.0, $1.1.name) }.map(\.1)
            return (job, main, systems[job])
        }
    }

    /// Every job log of an archive, named by its member (`custody logs grep` searches them).
    public static func members(of bytes: [UInt8]) throws -> [(name: String, bytes: [UInt8])] {
        var archive = try ZipArchive(bytes: bytes)
        var members: [(name: String, bytes: [UInt8])] = []
        for job in layout(archive.entries) {
            for entry in job.main + [job.system].compactMap({ $0 }) {
                members.append((entry.name, try archive.contents(of: entry)))
            }
        }
        return members
    }

    public func ingest(_ input: IngestInput) throws -> FactBatch {
        var archive: ZipArchive
        do {
            archive = try ZipArchive(bytes: input.bytes)
        } catch var error as CustodyError {
            error.location = SourceLocation(path: input.source)
            throw error
        }
        let jobs = Self.layout(archive.entries)
        guard !jobs.isEmpty else {
            throw CustodyError.rejected("the archive holds no job log (.txt) files: not a GitHub Actions run log archive",
                                        at: SourceLocation(path: input.source))
        }
        var logs: [(job: String, entry: String, log: GitHubJobLog)] = []
        for job in jobs {
            var main: [UInt8] = []
            for entry in job.main {
                // Every step file starts with its own BOM; only the log's first line may.
                let contents = try archive.contents(of: entry)
                main += contents.starts(with: [0xEF, 0xBB, 0xBF]) ? contents.dropFirst(3) : contents[...]
                if !main.isEmpty, main.last != 0x0A { main.append(0x0A) }
            }
            var log = GitHubLogScanner.scan(main)
            if let system = job.system {
                log = log.merged(with: GitHubLogScanner.scan(try archive.contents(of: system)))
            }
            logs.append((job.job, job.main.first?.name ?? job.system?.name ?? job.job, log))
        }
        var revealed = logs.map(\.log).reduce(GitHubJobLog()) { $0.merged(with: $1) }
        var batch = FactBatch()
        for (job, entry, log) in logs {
            revealed.jobName = log.jobName ?? job
            revealed.firstTime = log.firstTime
            let identity = GitHubRunLocator.resolve(revealed: revealed, source: input.source, fileJobName: job, bytes: input.bytes)
            var facts = GitHubLogFacts(batch: batch, identity: identity, locationPrefix: entry)
            facts.add(log)
            batch = facts.batch
            if job == logs.first?.job { GitHubJobLogIngestor.diagnose(revealed, identity: identity, into: &batch) }
        }
        batch.observedAt = logs.compactMap(\.log.lastTime).max()
        return batch
    }
}

extension GitHubJobLog {
    /// This log with what `other` adds: facts concatenated, runner and environment values
    /// this one lacks, the wider time span.
    func merged(with other: GitHubJobLog) -> GitHubJobLog {
        var result = self
        result.firstTime = firstTime.earliest(other.firstTime)
        result.lastTime = lastTime.latest(other.lastTime)
        result.runner.merge(other.runner) { mine, _ in mine }
        result.environment.merge(other.environment) { mine, _ in mine }
        result.jobName = jobName ?? other.jobName
        result.actions += other.actions
        result.workflows += other.workflows
        result.checkouts += other.checkouts
        result.synced += other.synced.filter { !synced.contains($0) }
        result.pushes += other.pushes
        result.scripts += other.scripts.filter { script in !scripts.contains { $0.url == script.url } }
        result.signatures += other.signatures
        result.lineCount += other.lineCount
        result.timestampedLines += other.timestampedLines
        return result
    }
}
