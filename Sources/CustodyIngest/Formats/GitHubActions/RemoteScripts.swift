/// Code a CI job fetched and executed at run time (the Codecov pattern): found in the commands
/// a job ran (log script echoes, workflow `run:` blocks, GitLab `$ cmd` lines).
struct FetchedScript: Sendable, Hashable {
    /// Normalized URL: the `remote-script` node key.
    var url: String
    /// `pipe` (`curl … | bash`), `substitution` (`bash <(curl …)`, `sh -c "$(curl …)"`),
    /// `download` (fetched to a file that a later command runs), `uploader` (the Codecov bash
    /// uploader recognized by its banner; the URL is inferred from what printed it).
    var how: String
    /// `sha256:<hex>` when the job printed the fetched file's hash.
    var contentHash: String?
    var version: String?
    /// False when the URL is inferred rather than written (`uploader`).
    var recorded: Bool = true
}

/// Normalizes remote-script URLs so that every spelling of one script is one node: scheme and
/// host lower-cased, default ports dropped, user information (it may hold a token) and the
/// fragment dropped, an empty path written `/`. Nil for anything that is not an absolute
/// http(s) URL with a literal host (a `$HOST` the log never expanded is not evidence of where).
enum RemoteScriptURL {
    static func normalize(_ raw: Substring) -> String? {
        var text = raw
        while let last = text.last, "\"')`;|,>]}".contains(last) { text = text.dropLast() }
        while let first = text.first, "\"'(`<".contains(first) { text = text.dropFirst() }
        guard let separator = text.range(of: "://") else { return nil }
        let scheme = text[text.startIndex..<separator.lowerBound].lowercased()
        guard scheme == "https" || scheme == "http" else { return nil }
        var rest = text[separator.upperBound...]
        if let hash = rest.firstIndex(of: "#") { rest = rest[rest.startIndex..<hash] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[rest.startIndex..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var host = Substring(authority.lowercased())
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") {
            let port = host[host.index(after: colon)...]
            guard port.allSatisfy(\.isNumber) else { return nil }
            if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") || port.isEmpty {
                host = host[host.startIndex..<colon]
            }
        }
        guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || "-.:[]".contains($0) }) else { return nil }
        var path = String(rest[authorityEnd...])
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        return "\(scheme)://\(host)\(path)"
    }
}

/// Finds fetch-and-execute patterns in the commands of one job, in order. Downloads to a file
/// are remembered for the whole job, so that `curl -Os URL` in one step and `./codecov` in a
/// later one still count; a hash line (`<64 hex>  <file>`) names the fetched content.
struct RemoteScriptTracker {
    private var downloads: [String: String] = [:]
    private var pendingHashes: [String: String] = [:]
    private(set) var scripts: [FetchedScript] = []

    private static let fetchers: Set<Substring> = ["curl", "wget", "iwr", "irm", "Invoke-WebRequest", "Invoke-RestMethod"]
    private static let interpreters: Set<Substring> = [
        "bash", "sh", "zsh", "dash", "ksh", "python", "python3", "perl", "ruby", "node", "pwsh", "iex", "source", ".",
    ]

    /// The names of fetched files a later command may run or hash, as bytes for prefilters.
    private(set) var downloadNames: [[UInt8]] = []

    /// Whether `line` names a fetched file (only then can it run or hash one).
    func mentionsDownload(_ line: Substring) -> Bool {
        !downloadNames.isEmpty && downloadNames.contains { name in
            line.utf8.withContiguousStorageIfAvailable { CIBytes.contains($0, 0..<$0.count, name) } ?? true
        }
    }

    /// Whether an output line can matter: a hash line (`<64 hex>  file`) or the uploader banner.
    static func mayMatter(output line: Substring) -> Bool {
        let trimmed = line.drop { $0 == " " }
        guard let first = trimmed.utf8.first else { return false }
        return trimmed.hasPrefix("Bash-") || (CIText.isHexByte(first) && trimmed.utf8.count >= 66)
    }

    /// A command line the job ran. Cheap unless it holds a URL or names a fetched file.
    mutating func observe(command line: Substring) {
        let named = mentionsDownload(line)
        let hasURL = CIText.contains(line, "://")
        guard named || hasURL else { return }
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
        if named, let hash = Self.hashClaim(in: line) { attach(hash: hash.hash, file: hash.file) }
        if hasURL, let fetcherIndex = words.firstIndex(where: { Self.fetchers.contains(Self.bare($0)) }),
           let url = words[fetcherIndex...].lazy.compactMap({ RemoteScriptURL.normalize($0) }).first {
            if let how = Self.executedInline(line) {
                add(FetchedScript(url: url, how: how))
            } else if let file = Self.outputFile(words[fetcherIndex...], url: url) {
                downloads[file] = url
                downloadNames = downloads.keys.sorted().map { Array($0.utf8) }
            }
        }
        guard named else { return }
        for (index, word) in words.enumerated() {
            if let target = Self.executedFile(words, index, word), let url = downloads[target] {
                add(FetchedScript(url: url, how: "download"))
            }
        }
    }

    /// A line of output: a hash a job printed for a file it fetched (`sha256sum file`), and the
    /// Codecov bash uploader's banner (`Bash-20210129-78e42cc`), which is what ran when
    /// `codecov/codecov-action@v1` or a hand-written `curl https://codecov.io/bash` uploaded.
    mutating func observe(output line: Substring) {
        let trimmed = line.drop { $0 == " " }
        if trimmed.hasPrefix("Bash-"), trimmed.utf8.count == 21 {
            let parts = trimmed.split(separator: "-")
            if parts.count == 3, parts[1].count == 8, parts[1].allSatisfy(\.isNumber), CIText.isHex(parts[2], count: 7) {
                add(FetchedScript(url: "https://codecov.io/bash", how: "uploader", version: String(trimmed.dropFirst(5)),
                                  recorded: false))
            }
            return
        }
        if mentionsDownload(trimmed), let hash = Self.hashClaim(in: trimmed) { attach(hash: hash.hash, file: hash.file) }
    }

    private mutating func add(_ script: FetchedScript) {
        if let index = scripts.firstIndex(where: { $0.url == script.url }) {
            if script.recorded { scripts[index].recorded = true }
            if scripts[index].version == nil { scripts[index].version = script.version }
            return
        }
        scripts.append(script)
    }

    private mutating func attach(hash: String, file: String) {
        guard let url = downloads[file] else { return }
        if let index = scripts.firstIndex(where: { $0.url == url }) {
            scripts[index].contentHash = scripts[index].contentHash ?? hash
        } else {
            pendingHashes[url] = hash
        }
    }

    /// Finishes the job: hashes printed before the file was run still belong to it.
    mutating func finish() -> [FetchedScript] {
        for index in scripts.indices where scripts[index].contentHash == nil {
            scripts[index].contentHash = pendingHashes[scripts[index].url]
        }
        return scripts
    }

    /// How a fetch on this line is executed right away, if it is.
    static func executedInline(_ line: Substring) -> String? {
        for opener in ["<(curl", "<(wget", "<( curl", "<( wget"] where line.contains(opener) { return "substitution" }
        for opener in ["$(curl", "$(wget", "`curl", "`wget"] where line.contains(opener) {
            if line.contains("-c \"$(") || line.contains("-c '$(") || line.contains("eval") || line.contains("-c \"`") {
                return "substitution"
            }
        }
        guard let pipe = line.lastIndex(of: "|") else { return nil }
        var after = line[line.index(after: pipe)...].split(separator: " ").map { bare($0) }
        while let first = after.first, first == "sudo" || first == "-E" || first == "env" || first.hasPrefix("-") {
            after.removeFirst()
        }
        guard let program = after.first else { return nil }
        return interpreters.contains(program) ? "pipe" : nil
    }

    /// The file a fetch without execution writes (`curl -o F`, `curl -O`, `wget -O F`, `wget URL`).
    private static func outputFile(_ words: ArraySlice<Substring>, url: String) -> String? {
        let fetcher = bare(words.first ?? "")
        var index = words.startIndex + 1
        let urlName = url.split(separator: "?").first?.split(separator: "/").last.map(String.init)
        var remoteName = fetcher == "wget"
        while index < words.endIndex {
            let word = bare(words[index])
            let namesFile = word == "-o" || word == "--output" || word == "--output-document" || (word == "-O" && fetcher == "wget")
            if namesFile {
                if index + 1 < words.endIndex { return baseName(bare(words[index + 1])) }
            } else if word.hasPrefix("-"), !word.hasPrefix("--"), word.hasSuffix("O"), fetcher == "wget", index + 1 < words.endIndex {
                return baseName(bare(words[index + 1]))
            } else if word.hasPrefix("-"), !word.hasPrefix("--"), word.contains("O"), fetcher == "curl" {
                remoteName = true
            } else if word.hasPrefix("-"), !word.hasPrefix("--"), word.hasSuffix("o"), fetcher == "curl", index + 1 < words.endIndex {
                return baseName(bare(words[index + 1]))
            }
            index += 1
        }
        return remoteName ? urlName : nil
    }

    /// The file a word at `index` runs (`bash F`, `sh F`, `./F`, `source F`, `chmod +x F`).
    private static func executedFile(_ words: [Substring], _ index: Int, _ word: Substring) -> String? {
        let plain = bare(word)
        if plain.hasPrefix("./"), plain.count > 2 { return baseName(plain) }
        guard index + 1 < words.count else { return nil }
        let next = bare(words[index + 1])
        if interpreters.contains(plain), !next.hasPrefix("-"), !next.hasPrefix("<") { return baseName(next) }
        if plain == "chmod", index + 2 < words.count, next.contains("x") { return baseName(bare(words[index + 2])) }
        return nil
    }

    /// `<64 hex>  <file>` (sha256sum output or an `echo "<hash>  <file>" | sha256sum -c`).
    private static func hashClaim(in line: Substring) -> (hash: String, file: String)? {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { bare($0) }
        for (index, word) in words.enumerated() where CIText.isHex(word, count: 64) && index + 1 < words.count {
            let file = words[index + 1].drop { $0 == "*" }
            guard !file.isEmpty else { continue }
            return ("sha256:" + word.lowercased(), baseName(file))
        }
        return nil
    }

    private static func bare(_ word: Substring) -> Substring {
        var text = word
        while let first = text.first, "\"'(`;&<$".contains(first) { text = text.dropFirst() }
        while let last = text.last, "\"')`;&".contains(last) { text = text.dropLast() }
        return text
    }

    private static func baseName(_ path: Substring) -> String {
        String(path.split(separator: "/").last ?? path)
    }
}
