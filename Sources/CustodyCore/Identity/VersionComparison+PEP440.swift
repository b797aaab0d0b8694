/// PEP 440 ordering (the essentials of `packaging.version`): epoch, release with trailing
/// zeros ignored, pre-releases (a < b < rc, with the alpha/beta/c/pre/preview spellings),
/// post-releases (`.postN`, `-N`, `rev`), dev releases and local versions. Strings that are
/// not PEP 440 fall back to the semver-like order so comparison stays total.
enum PEP440 {
    struct Version {
        var epoch: Substring = "0"
        var release: [Substring] = []
        var pre: (rank: Int, number: Substring)?
        var post: Substring?
        var dev: Substring?
        var local: [Substring]?
    }

    static func compare(_ a: String, _ b: String) -> Int {
        guard let left = parse(a), let right = parse(b) else {
            return SemverLike.compare(a, b, caseInsensitive: true)
        }
        return compare(left, right)
    }

    static func compare(_ a: Version, _ b: Version) -> Int {
        var result = VersionComparison.compareDigits(a.epoch, b.epoch)
        if result != 0 { return result }
        for index in 0..<max(a.release.count, b.release.count) {
            let l = index < a.release.count ? a.release[index] : "0"
            let r = index < b.release.count ? b.release[index] : "0"
            result = VersionComparison.compareDigits(l, r)
            if result != 0 { return result }
        }
        result = compareKeys(preKey(a), preKey(b))
        if result != 0 { return result }
        // No post-release sorts first; no dev-release sorts last.
        result = compareKeys(a.post.map { (1, $0) } ?? (0, "0"), b.post.map { (1, $0) } ?? (0, "0"))
        if result != 0 { return result }
        result = compareKeys(a.dev.map { (0, $0) } ?? (1, "0"), b.dev.map { (0, $0) } ?? (1, "0"))
        if result != 0 { return result }
        return compareLocal(a.local, b.local)
    }

    /// packaging's `_pre` key: a bare dev release sorts before any pre-release; a final
    /// (or post) release sorts after every pre-release.
    private static func preKey(_ v: Version) -> (Int, Substring) {
        if let pre = v.pre { return (1 + pre.rank, pre.number) }
        if v.post == nil && v.dev != nil { return (0, "0") }
        return (9, "0")
    }

    private static func compareKeys(_ a: (Int, Substring), _ b: (Int, Substring)) -> Int {
        if a.0 != b.0 { return a.0 < b.0 ? -1 : 1 }
        return VersionComparison.compareDigits(a.1, b.1)
    }

    /// Absent local < any local; numeric segments rank above alphanumeric ones.
    private static func compareLocal(_ a: [Substring]?, _ b: [Substring]?) -> Int {
        guard let a, let b else { return a == nil ? (b == nil ? 0 : -1) : 1 }
        for (l, r) in zip(a, b) {
            let result: Int
            switch (VersionComparison.isDigits(l), VersionComparison.isDigits(r)) {
            case (true, true): result = VersionComparison.compareDigits(l, r)
            case (true, false): result = 1
            case (false, true): result = -1
            case (false, false): result = VersionComparison.sign(of: l, r)
            }
            if result != 0 { return result }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// Hand-written scanner for the PEP 440 canonical grammar (with its permitted spellings).
    static func parse(_ text: String) -> Version? {
        var scanner = Scanner(String(text.lowercased().filter { !$0.isWhitespace }))
        var version = Version()
        _ = scanner.take("v")
        let first = scanner.digits()
        guard !first.isEmpty else { return nil }
        if scanner.take("!") {
            version.epoch = first
            version.release = [scanner.digits()]
            guard !version.release[0].isEmpty else { return nil }
        } else {
            version.release = [first]
        }
        while let part = scanner.lookahead(parseReleasePart) {
            version.release.append(part)
        }
        if let pre = scanner.lookahead(parsePre) { version.pre = pre }
        if let post = scanner.lookahead(parsePost) { version.post = post }
        if let dev = scanner.lookahead(parseDev) { version.dev = dev }
        if scanner.take("+") {
            let local = scanner.rest.split(whereSeparator: { $0 == "." || $0 == "-" || $0 == "_" })
            guard !local.isEmpty, local.allSatisfy({ $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }) else { return nil }
            version.local = local
            scanner.rest = ""
        }
        return scanner.rest.isEmpty ? version : nil
    }

    private static func parseReleasePart(_ s: inout Scanner) -> Substring? {
        guard s.take(".") else { return nil }
        let part = s.digits()
        return part.isEmpty ? nil : part
    }

    private static func parsePre(_ s: inout Scanner) -> (rank: Int, number: Substring)? {
        s.separator()
        let spellings: [(String, Int)] = [
            ("alpha", 0), ("a", 0), ("beta", 1), ("b", 1), ("preview", 2), ("pre", 2), ("rc", 2), ("c", 2),
        ]
        guard let rank = spellings.first(where: { s.take($0.0) })?.1 else { return nil }
        s.separator()
        let number = s.digits()
        return (rank, number.isEmpty ? "0" : number)
    }

    private static func parsePost(_ s: inout Scanner) -> Substring? {
        if s.take("-") {
            let implicit = s.digits()
            if !implicit.isEmpty { return implicit }
        } else {
            s.separator()
        }
        guard s.take("post") || s.take("rev") || s.take("r") else { return nil }
        s.separator()
        let number = s.digits()
        return number.isEmpty ? "0" : number
    }

    private static func parseDev(_ s: inout Scanner) -> Substring? {
        s.separator()
        guard s.take("dev") else { return nil }
        s.separator()
        let number = s.digits()
        return number.isEmpty ? "0" : number
    }

    /// Minimal cursor over the remaining text; `lookahead` rewinds when a sub-parser fails.
    struct Scanner {
        var rest: Substring
        init(_ text: String) { rest = Substring(text) }

        mutating func take(_ literal: String) -> Bool {
            guard rest.hasPrefix(literal) else { return false }
            rest = rest.dropFirst(literal.count)
            return true
        }

        mutating func digits() -> Substring {
            let run = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(run.count)
            return run
        }

        mutating func separator() {
            if let first = rest.first, first == "." || first == "-" || first == "_" { rest = rest.dropFirst() }
        }

        mutating func lookahead<T>(_ body: (inout Scanner) -> T?) -> T? {
            var copy = self
            guard let value = body(&copy) else { return nil }
            self = copy
            return value
        }
    }
}
