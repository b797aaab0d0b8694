import Foundation
import Testing

/// Docs that run: every `custody …` line in the `sh` blocks of `runbooks/*.md` is executed in
/// order against one fresh case database per runbook, from the repository root, and must
/// succeed. A runbook whose commands rot fails here.
@Suite struct RunbookTests {
    static let runbooks: [URL] = {
        let directory = CLI.repositoryRoot.appendingPathComponent("runbooks")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".md") && $0 != "README.md" }.sorted().map { directory.appendingPathComponent($0) }
    }()

    /// The command lines of the `sh` blocks, split into arguments (single quotes honoured).
    static func commands(in markdown: String) -> [[String]] {
        var commands: [[String]] = []
        var inShell = false
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") {
                inShell = !inShell && trimmed == "```sh"
                continue
            }
            if inShell, trimmed.hasPrefix("custody ") {
                commands.append(Array(split(trimmed).dropFirst()))
            }
        }
        return commands
    }

    static func split(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        var hasWord = false
        for character in line {
            if character == "'" { quoted.toggle(); hasWord = true; continue }
            if character == " ", !quoted {
                if hasWord { words.append(current) }
                current = ""
                hasWord = false
                continue
            }
            current.append(character)
            hasWord = true
        }
        if hasWord { words.append(current) }
        return words
    }

    @Test func thereAreRunbooks() {
        #expect(!Self.runbooks.isEmpty)
    }

    @Test(arguments: runbooks)
    func runbookCommandsSucceed(_ runbook: URL) throws {
        let markdown = try String(contentsOf: runbook, encoding: .utf8)
        let commands = Self.commands(in: markdown)
        #expect(!commands.isEmpty, "\(runbook.lastPathComponent) has no custody commands")
        let db = CLI.temporaryDatabase()
        for arguments in commands {
            let result = try CLI.run(arguments + ["--db", db], in: CLI.repositoryRoot)
            #expect(result.status == 0, "\(runbook.lastPathComponent): custody \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
    }
}
