import CustodyCore

/// Recognizes the per-line prefix of newer GitLab runners (FORMATS.md §6.2):
/// `<RFC 3339 µs>Z <2-hex stream id><O|E><' '|'+'>`.
enum GitLabTracePrefix {
    /// Whether the bytes at `index` are `<hex><hex><O|E><space|+>` (or end after `<O|E>`).
    static func isStreamPrefix(_ bytes: [UInt8], at index: Int) -> Bool {
        guard index + 3 <= bytes.count, CIText.isHexByte(bytes[index]), CIText.isHexByte(bytes[index + 1]),
              bytes[index + 2] == UInt8(ascii: "O") || bytes[index + 2] == UInt8(ascii: "E") else { return false }
        return index + 3 == bytes.count || [0x20, 0x2B, 0x0A, 0x0D].contains(bytes[index + 3])
    }
}

/// What one GitLab CI job trace says.
struct GitLabTrace: Sendable {
    var firstTime: Timestamp?
    var lastTime: Timestamp?
    var runner: [String: String] = [:]
    /// `CI_*` / `GITLAB_USER_LOGIN` values the job echoed.
    var environment: [String: String] = [:]
    var projectPath: String?
    var shortSHA: String?
    var checkoutRef: String?
    var image: String?
    var imageDigest: String?
    var status: String?
    var pushes: [GitHubJobLog.Push] = []
    var scripts: [FetchedScript] = []
    var signatures: [GitHubJobLog.Signature] = []
    var lineCount = 0

    static let environmentNames: Set<String> = [
        "CI_JOB_ID", "CI_JOB_URL", "CI_PIPELINE_ID", "CI_PIPELINE_URL", "CI_PIPELINE_SOURCE", "CI_COMMIT_SHA", "CI_COMMIT_REF_NAME",
        "CI_COMMIT_TAG", "CI_PROJECT_PATH", "CI_PROJECT_ID", "CI_PROJECT_URL", "CI_SERVER_URL", "CI_REGISTRY_IMAGE", "CI_CONFIG_PATH",
        "CI_RUNNER_ID", "CI_RUNNER_DESCRIPTION", "GITLAB_USER_LOGIN", "CI_JOB_STARTED_AT", "CI_JOB_NAME",
    ]
}

/// One pass over a raw GitLab job trace: ANSI colours, `ESC[0K` erases, `section_start:<unix>:
/// <name>` / `section_end:` markers, CR redraws (each CR-separated segment is read as a line of
/// its own), `[MASKED]` values, and the optional timestamp/stream prefix of newer runners.
struct GitLabTraceScanner {
    private var trace = GitLabTrace()
    private var pushes = CIPushTracker()
    private var scripts = RemoteScriptTracker()
    private var earliest: Timestamp?
    private var latest: Timestamp?
    private var serviceStarting = false

    static func scan(_ bytes: [UInt8]) -> GitLabTrace {
        var scanner = GitLabTraceScanner()
        bytes.withUnsafeBufferPointer { buffer in
            var start = CIBytes.hasPrefix(buffer, 0, buffer.count, [0xEF, 0xBB, 0xBF]) ? 3 : 0
            var number = 0
            while start < buffer.count {
                let newline = CIBytes.next(0x0A, in: buffer, from: start, end: buffer.count)
                number += 1
                var segmentStart = start
                while segmentStart <= newline {
                    let cr = CIBytes.next(0x0D, in: buffer, from: segmentStart, end: newline)
                    if cr > segmentStart { scanner.segment(buffer, segmentStart..<cr, line: number) }
                    segmentStart = cr + 1
                }
                start = newline + 1
            }
            scanner.trace.lineCount = number
        }
        scanner.trace.firstTime = scanner.earliest
        scanner.trace.lastTime = scanner.latest
        scanner.trace.scripts = scanner.scripts.finish()
        return scanner.trace
    }

    private mutating func note(_ time: Timestamp?) {
        guard let time else { return }
        earliest = earliest.map { min($0, time) } ?? time
        latest = latest.map { max($0, time) } ?? time
    }

    private mutating func segment(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, line: Int) {
        var text = Substring(CIText.clean(b, range))
        var time: Timestamp?
        if let stamp = GitHubLogScanner.timestampRange(b, range.lowerBound, range.upperBound),
           stamp.upperBound + 4 <= range.upperBound, CIText.isHexByte(b[stamp.upperBound + 1]) {
            time = GitHubLogScanner.time(b, stamp)
            note(time)
            text = text.dropFirst(stamp.count + 5)
        }
        if let marker = CIText.range(of: "section_start:", in: text) ?? CIText.range(of: "section_end:", in: text) {
            let seconds = text[marker.upperBound...].prefix { $0.isNumber }
            if let value = Int64(seconds), seconds.count <= 12 { note(Timestamp(epochSeconds: value)) }
            // What follows the marker is the section name and options; the text, if any, came before.
            text = text[text.startIndex..<marker.lowerBound]
        }
        guard !text.isEmpty else { return }
        read(text, time: time, line: line)
    }

    private mutating func read(_ text: Substring, time: Timestamp?, line: Int) {
        if text.hasPrefix("$ ") {
            let command = text.dropFirst(2)
            scripts.observe(command: command)
            pushes.observeCommand(command)
            if CIText.contains(command, "cosign sign ") || CIText.contains(command, "cosign attest "),
               let digest = CIText.firstSHA256(in: command)?.digest {
                trace.signatures.append(.init(verb: CIText.contains(command, "cosign attest ") ? "attest" : "sign", digest: digest, line: line))
            }
            return
        }
        if CIText.contains(text, "sha256:") || text.hasPrefix("The push refers"), let image = pushes.parse(text) {
            trace.pushes.append(.init(image: image, time: time, line: line))
            return
        }
        if RemoteScriptTracker.mayMatter(output: text) { scripts.observe(output: text) }
        if text.hasPrefix("Running with gitlab-runner ") {
            set("runner_version", String(text.dropFirst(27).prefix { $0 != " " }))
        } else if text.hasPrefix("  on ") || text.hasPrefix("on ") {
            let words = text.drop { $0 == " " }.dropFirst(3).prefix { $0 != "," }.split(separator: " ")
            if words.count >= 2 {
                set("runner_name", words.dropLast().joined(separator: " "))
                set("runner_token", String(words.last!))
            }
        } else if text.hasPrefix("Running on ") {
            set("runner_machine", String(text.dropFirst(11).prefix { $0 != " " }))
        } else if text.hasPrefix("Using Docker executor with image ") || text.hasPrefix("Using Kubernetes executor with image ") {
            if trace.image == nil, let marker = text.range(of: " with image ") {
                let spec = text[marker.upperBound...].prefix { $0 != " " }
                if !spec.isEmpty { trace.image = String(spec) }
            }
        } else if text.hasPrefix("Starting service ") {
            serviceStarting = true
        } else if text.hasPrefix("Using docker image ") {
            imageLine(text)
        } else if text.hasPrefix("Checking out ") {
            let words = text.split(separator: " ")
            if words.count >= 3, CIText.isHex(words[2], count: 8) || CIText.isHex(words[2], count: 40) {
                trace.shortSHA = trace.shortSHA ?? words[2].lowercased()
                if let asIndex = words.firstIndex(of: "as"), asIndex + 1 < words.count {
                    trace.checkoutRef = String(words[asIndex + 1].droppingTrailing(".)"))
                }
            }
        } else if let path = Self.buildPath(text) {
            trace.projectPath = trace.projectPath ?? path
        } else if text.hasPrefix("Job succeeded") {
            trace.status = "success"
        } else if text.hasPrefix("ERROR: Job failed") {
            trace.status = "failed"
        } else if let (name, value) = Self.environment(text), trace.environment[name] == nil {
            trace.environment[name] = value
        }
    }

    /// `Using docker image sha256:<config> for <ref> [with digest <repo>@sha256:…] ...`: the
    /// job's (or a service's) image; only the job image is kept.
    private mutating func imageLine(_ text: Substring) {
        defer { serviceStarting = false }
        guard !serviceStarting else { return }
        let words = text.split(separator: " ")
        guard let forIndex = words.firstIndex(of: "for"), forIndex + 1 < words.count else { return }
        let reference = String(words[forIndex + 1])
        guard trace.image == nil || trace.image == reference else { return }
        trace.image = reference
        if let withIndex = words.firstIndex(of: "digest"), withIndex + 1 < words.count,
           let digest = CIText.firstSHA256(in: words[withIndex + 1])?.digest {
            trace.imageDigest = trace.imageDigest ?? digest
        }
    }

    /// `Cloning into '/builds/group/project'...`, `Initialized empty Git repository in
    /// /builds/group/project/.git/`: the project path (a runner-token/concurrency prefix of
    /// custom build directories is dropped).
    static func buildPath(_ text: Substring) -> String? {
        guard text.hasPrefix("Cloning into") || text.hasPrefix("Fetching changes") || text.hasPrefix("Initialized empty Git")
            || text.hasPrefix("Reinitialized existing Git"), let start = CIText.range(of: "/builds/", in: text) else { return nil }
        var path = text[start.upperBound...].prefix { $0 != "'" && $0 != " " && $0 != "\"" }
        if path.hasSuffix("/.git/") { path = path.dropLast(6) } else if path.hasSuffix("/.git") { path = path.dropLast(5) }
        while path.hasSuffix("/") { path = path.dropLast() }
        var parts = path.split(separator: "/")
        if parts.count >= 4, parts[0].count == 8, parts[1].allSatisfy(\.isNumber) { parts.removeFirst(2) }
        guard parts.count >= 2 else { return nil }
        return parts.joined(separator: "/")
    }

    static func environment(_ text: Substring) -> (String, String)? {
        let body = text.drop { $0 == " " }
        guard body.hasPrefix("CI_") || body.hasPrefix("GITLAB_") else { return nil }
        let name = body.prefix { $0 == "_" || ($0.isASCII && ($0.isUppercase || $0.isNumber)) }
        guard GitLabTrace.environmentNames.contains(String(name)) else { return nil }
        let rest = body.dropFirst(name.count)
        guard rest.first == "=" || rest.first == ":" else { return nil }
        let value = rest.dropFirst().drop { $0 == " " }.prefix { $0 != " " }
        guard !value.isEmpty, value != "[MASKED]" else { return nil }
        return (String(name), String(value))
    }

    private mutating func set(_ key: String, _ value: String) {
        if trace.runner[key] == nil, !value.isEmpty { trace.runner[key] = value }
    }
}

extension Substring {
    func droppingTrailing(_ set: String) -> Substring {
        var text = self
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return text
    }
}
