/// Orders version strings the way each ecosystem does, so `vers:` ranges from advisories can
/// be checked against versions found in SBOMs. Every comparison is total: strings a scheme
/// cannot parse still get a deterministic (loose) order rather than an error.
public enum VersionComparison {
    /// The ordering rules a scheme (vers type or purl type) uses.
    enum Family: Sendable {
        case semverLike(caseInsensitive: Bool)
        case pep440
        case maven
        case debian
        case rpm
    }

    /// -1, 0 or 1 as `a` sorts before, equal to, or after `b` under `scheme`.
    public static func compare(_ a: String, _ b: String, scheme: String) -> Int {
        if a == b { return 0 }
        switch family(for: scheme) {
        case .semverLike(let caseInsensitive): return SemverLike.compare(a, b, caseInsensitive: caseInsensitive)
        case .pep440: return PEP440.compare(a, b)
        case .maven: return MavenVersion.compare(a, b)
        case .debian: return DebianVersion.compare(a, b)
        case .rpm: return RPMVersion.compare(a, b)
        }
    }

    /// Unknown schemes fall back to the semver-like order, which is right for most
    /// dotted-number schemes (cargo, golang, gem, composer, hex, pub, swift, generic, …).
    static func family(for scheme: String) -> Family {
        switch scheme.lowercased() {
        case "pypi": .pep440
        case "maven": .maven
        case "deb", "debian": .debian
        case "rpm", "alpm": .rpm
        case "nuget": .semverLike(caseInsensitive: true)
        default: .semverLike(caseInsensitive: false)
        }
    }

    /// Compares unsigned decimal digit strings of any length (no Int overflow on date-like parts).
    static func compareDigits(_ a: some StringProtocol, _ b: some StringProtocol) -> Int {
        let left = a.drop { $0 == "0" }
        let right = b.drop { $0 == "0" }
        if left.count != right.count { return left.count < right.count ? -1 : 1 }
        return sign(of: left, right)
    }

    /// Byte-wise (ASCII) ordering as -1/0/1.
    static func sign(of a: some StringProtocol, _ b: some StringProtocol) -> Int {
        let left = String(a)
        let right = String(b)
        return left == right ? 0 : (left.utf8.lexicographicallyPrecedes(right.utf8) ? -1 : 1)
    }

    static func isDigits(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }
}

/// SemVer 2.0 precedence, loosened for real-world strings: optional `v` prefix (Go tags),
/// any number of numeric parts (`1.0` == `1.0.0`, NuGet's four parts), build metadata ignored
/// (`+incompatible`), and RubyGems-style letter parts (`1.0.0.rc1`) treated as pre-release.
enum SemverLike {
    struct Parsed {
        var release: [Substring] = []
        var prerelease: [Substring] = []
    }

    static func compare(_ a: String, _ b: String, caseInsensitive: Bool) -> Int {
        let left = parse(caseInsensitive ? a.lowercased() : a)
        let right = parse(caseInsensitive ? b.lowercased() : b)
        for index in 0..<max(left.release.count, right.release.count) {
            let l = index < left.release.count ? left.release[index] : "0"
            let r = index < right.release.count ? right.release[index] : "0"
            let result = VersionComparison.compareDigits(l, r)
            if result != 0 { return result }
        }
        // A version without pre-release identifiers ranks above any with them.
        switch (left.prerelease.isEmpty, right.prerelease.isEmpty) {
        case (true, true): return 0
        case (true, false): return 1
        case (false, true): return -1
        case (false, false): return comparePrerelease(left.prerelease, right.prerelease)
        }
    }

    static func parse(_ text: String) -> Parsed {
        var body = Substring(text.filter { !$0.isWhitespace })
        if let first = body.first, first == "v" || first == "V",
           body.dropFirst().first?.isASCII == true, body.dropFirst().first?.isNumber == true {
            body = body.dropFirst()
        }
        if let plus = body.firstIndex(of: "+") { body = body[..<plus] }
        var parsed = Parsed()
        var main = body
        if let dash = body.firstIndex(of: "-") {
            main = body[..<dash]
            parsed.prerelease = body[body.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false)
        }
        var letterTail: [Substring] = []
        for part in main.split(separator: ".", omittingEmptySubsequences: false) {
            if !letterTail.isEmpty {
                letterTail.append(part)
            } else if part.isEmpty || VersionComparison.isDigits(part) {
                parsed.release.append(part.isEmpty ? "0" : part)
            } else {
                // "3rc1" -> release 3, pre-release "rc1"; "rc1" -> pre-release "rc1".
                let digits = part.prefix { $0.isASCII && $0.isNumber }
                if !digits.isEmpty { parsed.release.append(digits) }
                letterTail.append(part.dropFirst(digits.count))
            }
        }
        parsed.prerelease = letterTail + parsed.prerelease
        return parsed
    }

    /// SemVer §11.4: numeric identifiers compare numerically and rank below alphanumeric ones.
    static func comparePrerelease(_ a: [Substring], _ b: [Substring]) -> Int {
        for (l, r) in zip(a, b) {
            let result: Int
            switch (VersionComparison.isDigits(l), VersionComparison.isDigits(r)) {
            case (true, true): result = VersionComparison.compareDigits(l, r)
            case (true, false): result = -1
            case (false, true): result = 1
            case (false, false): result = VersionComparison.sign(of: l, r)
            }
            if result != 0 { return result }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
}
