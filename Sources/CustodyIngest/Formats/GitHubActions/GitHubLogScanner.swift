import CustodyCore

/// One pass over a GitHub Actions job log (or a `system.txt` / step file of a run archive).
///
/// Every line is `<RFC 3339, 7 fractional digits>Z <text>`; an empty output line is the bare
/// timestamp. The scanner keeps the earliest and latest timestamps as byte ranges (same-length
/// RFC 3339 UTC strings order like their instants, and system logs are out of order), looks at
/// each line's first bytes for the runner's fixed phrases, and decodes a line to text only
/// when it is one of them or contains a rare anchor found beforehand with `memmem`.
struct GitHubLogScanner {
    private var log = GitHubJobLog()
    private var pushes = CIPushTracker()
    private var scripts = RemoteScriptTracker()
    private var group: Group = .none
    private var operatingSystem: [String] = []
    private var syncing: String?
    private var awaitingCommit = 0
    private var pendingFetch: GitHubJobLog.Checkout?
    private var earliest: Range<Int>?
    private var latest: Range<Int>?

    private enum Group { case none, operatingSystem, runnerImage, other }

    static func scan(_ bytes: [UInt8]) -> GitHubJobLog {
        var scanner = GitHubLogScanner()
        bytes.withUnsafeBufferPointer { scanner.run($0) }
        return scanner.log
    }

    private mutating func run(_ buffer: UnsafeBufferPointer<UInt8>) {
        let count = buffer.count
        var start = CIBytes.hasPrefix(buffer, 0, count, [0xEF, 0xBB, 0xBF]) ? 3 : 0
        let anchors = (CIBytes.occurrences(of: "sha256:", in: buffer) + CIBytes.occurrences(of: "Bash-", in: buffer)).sorted()
        var anchor = 0
        var number = 0
        while start < count {
            let newline = CIBytes.next(0x0A, in: buffer, from: start, end: count)
            var end = newline
            if end > start, buffer[end - 1] == 0x0D { end -= 1 }
            number += 1
            var anchored = false
            while anchor < anchors.count, anchors[anchor] < newline {
                if anchors[anchor] >= start { anchored = true }
                anchor += 1
            }
            let stamp = Self.timestampRange(buffer, start, end)
            var textStart = start
            if let stamp {
                log.timestampedLines += 1
                track(buffer, stamp)
                textStart = min(end, stamp.upperBound + 1)
            }
            line(buffer, number: number, stamp: stamp, text: textStart..<end, anchored: anchored)
            start = newline + 1
        }
        log.lineCount = number
        finish(buffer)
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction]Z` at the line start, followed by a space or the line end.
    static func timestampRange(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Range<Int>? {
        guard end - start >= 20, b[start + 4] == 0x2D, b[start + 7] == 0x2D, b[start + 10] == 0x54,
              b[start + 13] == 0x3A, b[start + 16] == 0x3A, b[start] >= 0x30, b[start] <= 0x39 else { return nil }
        var index = start + 19
        if b[index] == 0x2E {
            index += 1
            while index < end, index - start < 31, b[index] >= 0x30, b[index] <= 0x39 { index += 1 }
        }
        guard index < end, b[index] == 0x5A, index + 1 == end || b[index + 1] == 0x20 else { return nil }
        return start..<(index + 1)
    }

    private mutating func track(_ b: UnsafeBufferPointer<UInt8>, _ stamp: Range<Int>) {
        if earliest.map({ Self.order(b, stamp, $0) < 0 }) ?? true { earliest = stamp }
        if latest.map({ Self.order(b, stamp, $0) > 0 }) ?? true { latest = stamp }
    }

    /// Orders two timestamps: bytewise when they have the same shape (always, in GitHub logs),
    /// by parsed instant otherwise.
    private static func order(_ b: UnsafeBufferPointer<UInt8>, _ x: Range<Int>, _ y: Range<Int>) -> Int {
        if x.count == y.count { return CIBytes.compare(b, x, y) }
        guard let tx = time(b, x), let ty = time(b, y) else { return 0 }
        return tx < ty ? -1 : (tx > ty ? 1 : 0)
    }

    static func time(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>?) -> Timestamp? {
        guard let range else { return nil }
        return try? Timestamp(rfc3339: String(decoding: UnsafeBufferPointer(rebasing: b[range]), as: UTF8.self))
    }

    private static let group = Array("##[group]".utf8), endGroup = Array("##[endgroup]".utf8)
    private static let command = Array("##[command]".utf8), bracketCommand = Array("[command]".utf8), run = Array("Run ".utf8)
    /// What makes a command worth decoding: a URL (fetched scripts), the tools whose output
    /// or arguments carry facts, and the checkout's git calls.
    private static let commandAnchors: [[UInt8]] = ["://", "crane", "cosign", "git", "sha256:"].map { Array($0.utf8) }
    private static let codecovEnvironment = Array("-> GITHUB_".utf8)
    /// Line starts worth decoding; everything else upper-case is ordinary output.
    private static let phrasePrefixes: [[UInt8]] = [
        "Download action repository '", "Current runner version: ", "Complete job name: ", "Runner name: ",
        "Runner group name: ", "Machine name: ", "Syncing repository: ", "Uses: ", "Job defined at: ",
        "Job is about to start running on the ", "The push refers to repository [", "GITHUB_",
    ].map { Array($0.utf8) }

    private mutating func line(_ b: UnsafeBufferPointer<UInt8>, number: Int, stamp: Range<Int>?, text: Range<Int>, anchored: Bool) {
        guard !text.isEmpty else { return }
        let first = b[text.lowerBound]
        if awaitingCommit > 0 {
            awaitingCommit -= 1
            if let sha = GitHubLogPhrases.bareCommit(Substring(CIText.clean(b, text, limit: 200))) {
                log.checkouts.append(.init(repository: syncing, sha: sha, line: number))
                pendingFetch = nil
                awaitingCommit = 0
                return
            }
        }
        switch first {
        case UInt8(ascii: "#"):
            if CIBytes.hasPrefix(b, text.lowerBound, text.upperBound, Self.group) {
                let title = text.lowerBound + Self.group.count
                if CIBytes.hasPrefix(b, title, text.upperBound, Self.run) {
                    group = .other
                    pushes.stepBoundary()
                    command(b, (title + Self.run.count)..<text.upperBound, line: number)
                } else {
                    openGroup(Substring(CIText.clean(b, title..<text.upperBound, limit: 128)))
                }
                return
            }
            if CIBytes.hasPrefix(b, text.lowerBound, text.upperBound, Self.endGroup) {
                closeGroup()
                return
            }
            if CIBytes.hasPrefix(b, text.lowerBound, text.upperBound, Self.command) {
                command(b, (text.lowerBound + Self.command.count)..<text.upperBound, line: number)
                return
            }
        case 0x1B, UInt8(ascii: "+"):
            // Echoed script lines (cyan) and `set -x` traces; a coloured tool line that
            // reports a push still reaches the anchored check below.
            command(b, text, line: number)
        case UInt8(ascii: "["):
            if CIBytes.hasPrefix(b, text.lowerBound, text.upperBound, Self.bracketCommand) {
                command(b, (text.lowerBound + Self.bracketCommand.count)..<text.upperBound, line: number)
                return
            }
        case UInt8(ascii: "A")...UInt8(ascii: "Z"):
            if group == .runnerImage || Self.phrasePrefixes.contains(where: { $0[0] == first && CIBytes.hasPrefix(b, text.lowerBound, text.upperBound, $0) }),
               phrase(Substring(CIText.clean(b, text, limit: 2048)), line: number) {
                return
            }
        case UInt8(ascii: " "):
            var index = text.lowerBound
            while index < text.upperBound, index - text.lowerBound < 24, b[index] == 0x20 { index += 1 }
            if CIBytes.hasPrefix(b, index, text.upperBound, Self.codecovEnvironment),
               let value = GitHubLogPhrases.environmentValue(Substring(CIText.clean(b, text, limit: 512))),
               log.environment[value.name] == nil {
                log.environment[value.name] = value.value
            }
        default:
            if CIText.isHexByte(first), text.count >= 66 {
                scripts.observe(output: Substring(CIText.clean(b, text, limit: 1024)))
            }
        }
        if group == .operatingSystem, operatingSystem.count < 6 {
            operatingSystem.append(CIText.clean(b, text, limit: 128))
        }
        if anchored {
            let clean = Substring(CIText.clean(b, text))
            if let image = pushes.parse(clean) {
                log.pushes.append(.init(image: image, time: Self.time(b, stamp), line: number))
            }
            if CIText.contains(clean, "Bash-") { scripts.observe(output: clean) }
        }
    }

    /// Runner phrases that start with an upper-case letter. True when the line was consumed.
    private mutating func phrase(_ text: Substring, line: Int) -> Bool {
        if let use = GitHubLogPhrases.actionDownload(text, line: line) {
            log.actions.append(use)
        } else if text.hasPrefix("Current runner version: ") {
            setRunner("runner_version", GitHubLogPhrases.quoted(text.dropFirst(24)))
        } else if text.hasPrefix("Complete job name: ") {
            if log.jobName == nil, !text.dropFirst(19).isEmpty { log.jobName = String(text.dropFirst(19)) }
        } else if text.hasPrefix("Runner name: ") {
            setRunner("runner_name", GitHubLogPhrases.quoted(text.dropFirst(13)))
            setRunner("runner_environment", "self-hosted")
        } else if text.hasPrefix("Runner group name: ") {
            setRunner("runner_group", GitHubLogPhrases.quoted(text.dropFirst(19)))
        } else if text.hasPrefix("Machine name: ") {
            setRunner("runner_machine", GitHubLogPhrases.quoted(text.dropFirst(14)))
        } else if text.hasPrefix("Syncing repository: ") {
            flushFetch()
            syncing = String(text.dropFirst(20).prefix { $0 != " " })
            if let syncing, !log.synced.contains(syncing) { log.synced.append(syncing) }
        } else if text.hasPrefix("Uses: ") {
            if let use = GitHubLogPhrases.workflowReference(text.dropFirst(6), reusable: true, line: line) { log.workflows.append(use) }
        } else if text.hasPrefix("Job defined at: ") {
            if let use = GitHubLogPhrases.workflowReference(text.dropFirst(16), reusable: false, line: line) { log.workflows.append(use) }
        } else if text.hasPrefix("Job is about to start running on the ") {
            runnerPlacement(text.dropFirst(37))
        } else if text.hasPrefix("The push refers to repository [") {
            _ = pushes.parse(text)
        } else if group == .runnerImage, text.hasPrefix("Image: ") || text.hasPrefix("Environment: ") {
            setRunner("runner_image", String(text.drop { $0 != " " }.dropFirst()))
            setRunner("runner_environment", "github-hosted")
        } else if group == .runnerImage, text.hasPrefix("Version: ") {
            setRunner("runner_image_version", String(text.dropFirst(9)))
        } else if let value = GitHubLogPhrases.environmentValue(text) {
            if log.environment[value.name] == nil { log.environment[value.name] = value.value }
            if value.name == "GITHUB_WORKFLOW_REF",
               let use = GitHubLogPhrases.workflowReference(Substring(value.value), reusable: false, line: line) {
                log.workflows.append(use)
            }
        } else {
            return false
        }
        return true
    }

    /// `hosted runner: GitHub Actions 1000001000` or `runner: <name> (repository)`.
    private mutating func runnerPlacement(_ text: Substring) {
        if text.hasPrefix("hosted runner: ") {
            setRunner("runner_name", String(text.dropFirst(15).prefix { $0 != "(" }.trimmingSuffixSpaces))
            setRunner("runner_environment", "github-hosted")
        } else if text.hasPrefix("runner: ") {
            setRunner("runner_name", String(text.dropFirst(8).prefix { $0 != "(" }.trimmingSuffixSpaces))
            setRunner("runner_environment", "self-hosted")
        }
    }

    private mutating func setRunner(_ key: String, _ value: String?) {
        guard let value, !value.isEmpty, log.runner[key] == nil else { return }
        log.runner[key] = value
    }

    private mutating func openGroup(_ title: Substring) {
        switch title {
        case "Operating System": group = .operatingSystem
        case "Runner Image", "Virtual Environment": group = .runnerImage
        default: group = .other
        }
    }

    private mutating func closeGroup() {
        if group == .operatingSystem, !operatingSystem.isEmpty {
            setRunner("runner_os", operatingSystem.joined(separator: " "))
        }
        operatingSystem = []
        group = .none
    }

    /// A command the job ran: remote scripts, crane pushes, cosign, the checkout's git calls.
    /// Most commands (`set -x` traces, echoed scripts) carry none of these: a byte check
    /// skips them before any text is decoded.
    private mutating func command(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, line: Int) {
        guard Self.commandAnchors.contains(where: { CIBytes.contains(b, range, $0) })
            || scripts.downloadNames.contains(where: { CIBytes.contains(b, range, $0) }) else { return }
        let text = Substring(CIText.clean(b, range))
        scripts.observe(command: text)
        pushes.observeCommand(text)
        if CIText.contains(text, " log -1 "), CIText.contains(text, "%H") {
            awaitingCommit = 3
        } else if let sha = GitHubLogPhrases.fetchedCommit(text) {
            pendingFetch = .init(repository: syncing, sha: sha, line: line)
        }
        if CIText.contains(text, "cosign sign ") || CIText.contains(text, "cosign attest "), let digest = CIText.firstSHA256(in: text)?.digest {
            let verb = CIText.contains(text, "cosign attest ") ? "attest" : "sign"
            if !log.signatures.contains(where: { $0.verb == verb && $0.digest == digest }) {
                log.signatures.append(.init(verb: verb, digest: digest, line: line))
            }
        }
    }

    /// A fetched commit that no `git log` confirmed is still what was checked out.
    private mutating func flushFetch() {
        if let fetch = pendingFetch { log.checkouts.append(fetch) }
        pendingFetch = nil
    }

    private mutating func finish(_ b: UnsafeBufferPointer<UInt8>) {
        flushFetch()
        closeGroup()
        log.firstTime = Self.time(b, earliest)
        log.lastTime = Self.time(b, latest)
        log.scripts = scripts.finish()
    }
}

extension Substring {
    var trimmingSuffixSpaces: Substring {
        var text = self
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
