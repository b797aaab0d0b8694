import CustodyCore
import Foundation
import Yams

/// A GitHub Actions workflow file as declared: what each job may read and what it will run.
/// Read by the workflow ingestor (to validate and describe the file) and again by the
/// `workflow-scope` derivation (to give the runs of that file at that commit their secrets,
/// declared action uses and fetched scripts).
struct WorkflowFile: Sendable {
    /// A `uses:` as written: `owner/repo[/path]@ref`, a local `./path`, or `docker://image`.
    struct Uses: Sendable, Hashable {
        var written: String
        /// `owner/repo[/path]`; nil for local and docker uses.
        var name: String?
        var ref: String?
        var line: Int
        var isReusableWorkflow: Bool { name?.contains("/.github/workflows/") ?? written.contains(".github/workflows/") }
        /// Pinned to a full commit SHA.
        var pinnedSHA: String? { ref.flatMap { CIText.commitSHA(Substring($0)) } }
    }

    struct Job: Sendable {
        var id: String
        var name: String?
        /// Secret names the job references (upper-cased; `github.token` counts as GITHUB_TOKEN),
        /// including the workflow-level `env`.
        var secrets: Set<String> = []
        var uses: [Uses] = []
        /// A job that calls a reusable workflow (`jobs.<id>.uses`).
        var calls: Uses?
        /// `secrets: inherit`: every repository secret is passed on and cannot be enumerated here.
        var inheritsSecrets = false
        var scripts: [FetchedScript] = []
        var line: Int
    }

    var name: String?
    var jobs: [Job] = []
}

/// Parses workflow YAML with Yams' composer (scalars stay strings, so `on:` is not a boolean
/// and `3.10` is not a number), bounded against alias bombs and absurd nesting.
enum WorkflowParser {
    static let maximumNodes = 200_000

    static func parse(_ bytes: [UInt8], source: String) throws -> WorkflowFile {
        let text = String(decoding: bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes, as: UTF8.self)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw CustodyError.rejected("not valid YAML: \(Self.describe(error))", at: Self.location(error, source: source))
        } catch {
            throw CustodyError.rejected("not valid YAML: \(error)", at: SourceLocation(path: source))
        }
        guard let mapping = root?.mapping else {
            throw CustodyError.rejected("a workflow file is a YAML mapping with `on` and `jobs`", at: SourceLocation(path: source, line: 1))
        }
        guard let jobs = mapping["jobs"]?.mapping else {
            throw CustodyError.rejected("a workflow file needs a `jobs` mapping", at: SourceLocation(path: source, line: mapping["jobs"]?.mark?.line ?? 1))
        }
        var budget = maximumNodes
        var workflow = WorkflowFile(name: mapping["name"]?.scalar?.string)
        var workflowSecrets = Set<String>()
        if let env = mapping["env"] { try collect(env, key: nil, into: &workflowSecrets, budget: &budget, source: source) }
        for (key, value) in jobs {
            guard let id = key.scalar?.string, let job = value.mapping else { continue }
            var declared = WorkflowFile.Job(id: id, name: job["name"]?.scalar?.string, line: key.mark?.line ?? 0)
            declared.secrets = workflowSecrets
            try collect(value, key: nil, into: &declared.secrets, budget: &budget, source: source)
            if let uses = job["uses"]?.scalar?.string { declared.calls = Self.uses(uses, line: job["uses"]?.mark?.line ?? 0) }
            declared.inheritsSecrets = job["secrets"]?.scalar?.string == "inherit"
            var scripts = RemoteScriptTracker()
            for step in job["steps"]?.sequence.map(Array.init) ?? [] {
                guard let step = step.mapping else { continue }
                if let uses = step["uses"]?.scalar?.string { declared.uses.append(Self.uses(uses, line: step["uses"]?.mark?.line ?? 0)) }
                if let run = step["run"]?.scalar?.string {
                    for line in run.split(whereSeparator: \.isNewline) { scripts.observe(command: line) }
                }
            }
            declared.scripts = scripts.finish()
            workflow.jobs.append(declared)
        }
        return workflow
    }

    static func uses(_ written: String, line: Int) -> WorkflowFile.Uses {
        let trimmed = written.trimmingCharacters(in: .whitespaces)
        guard !trimmed.hasPrefix("./"), !trimmed.hasPrefix("docker://"), let at = trimmed.lastIndex(of: "@") else {
            return .init(written: trimmed, name: nil, ref: nil, line: line)
        }
        let name = String(trimmed[trimmed.startIndex..<at])
        let ref = String(trimmed[trimmed.index(after: at)...])
        guard GitHubLogPhrases.isActionName(Substring(name)), !ref.isEmpty else { return .init(written: trimmed, name: nil, ref: nil, line: line) }
        return .init(written: trimmed, name: name, ref: ref, line: line)
    }

    /// Every scalar value under `node`: `${{ … }}` expressions, and `if:` conditions, which are
    /// expressions even without the braces.
    private static func collect(_ node: Node, key: String?, into secrets: inout Set<String>, budget: inout Int, source: String) throws {
        budget -= 1
        guard budget > 0 else {
            throw CustodyError.rejected("workflow has more than \(maximumNodes) YAML nodes (alias expansion?); refused",
                                        at: SourceLocation(path: source, line: node.mark?.line))
        }
        switch node {
        case let .scalar(scalar):
            secrets.formUnion(references(in: scalar.string, bareExpression: key == "if"))
        case let .mapping(mapping):
            for (child, value) in mapping { try collect(value, key: child.scalar?.string, into: &secrets, budget: &budget, source: source) }
        case let .sequence(sequence):
            for value in sequence { try collect(value, key: nil, into: &secrets, budget: &budget, source: source) }
        case .alias:
            break
        }
    }

    /// Secret names referenced inside `${{ … }}`: `secrets.NAME`, `secrets['NAME']`, and
    /// `github.token` (the GITHUB_TOKEN secret). `vars.NAME` and text outside expressions are not.
    static func references(in text: String, bareExpression: Bool = false) -> Set<String> {
        var found = Set<String>()
        var expressions: [Substring] = []
        if bareExpression, !text.contains("${{") { expressions.append(Substring(text)) }
        var search = text.startIndex
        while let open = text.range(of: "${{", range: search..<text.endIndex) {
            let close = text.range(of: "}}", range: open.upperBound..<text.endIndex)
            expressions.append(text[open.upperBound..<(close?.lowerBound ?? text.endIndex)])
            search = close?.upperBound ?? text.endIndex
        }
        for expression in expressions {
            var cursor = expression.startIndex
            while let hit = expression.range(of: "secrets", range: cursor..<expression.endIndex) {
                cursor = hit.upperBound
                if hit.lowerBound > expression.startIndex {
                    let before = expression[expression.index(before: hit.lowerBound)]
                    if before.isLetter || before.isNumber || before == "_" || before == "." || before == "-" { continue }
                }
                var rest = expression[hit.upperBound...]
                if rest.hasPrefix(".") {
                    rest = rest.dropFirst()
                } else if rest.hasPrefix("['") || rest.hasPrefix("[\"") {
                    rest = rest.dropFirst(2)
                } else {
                    continue
                }
                let name = rest.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
                if !name.isEmpty, name.first.map({ !$0.isNumber }) ?? false { found.insert(name.uppercased()) }
            }
            if expression.range(of: "github.token") != nil { found.insert("GITHUB_TOKEN") }
        }
        return found
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, _, _), let .parser(_, problem, _, _), let .composer(_, problem, _, _): problem
        case let .reader(problem, _, _, _): problem
        default: "\(error)"
        }
    }

    private static func location(_ error: YamlError, source: String) -> SourceLocation {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _):
            SourceLocation(path: source, line: mark.line, column: mark.column)
        default:
            SourceLocation(path: source)
        }
    }
}
