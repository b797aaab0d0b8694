import Testing
@testable import CustodyCore

// Cases marked [vers-spec] are transcribed from github.com/package-url/vers-spec (MIT licence,
// © the purl authors): tests/pypi_range_containment_test.json, tests/npm_range_containment_test.json,
// tests/vers_canonical_parse_test.json and tests/maven_version_cmp_test.json. The rest use real
// version strings from advisories (log4j CVE-2021-44228, Django, requests, x/crypto, OpenSSL, …).

struct Containment: Sendable, CustomTestStringConvertible {
    let range: String
    let version: String
    let expected: Bool
    var testDescription: String { "\(version) in \(range)" }
}

private let containment: [Containment] = [
    // The brief's example: a single-version window.
    .init(range: "vers:npm/>=4.4.2|<4.4.3", version: "4.4.2", expected: true),
    .init(range: "vers:npm/>=4.4.2|<4.4.3", version: "4.4.3", expected: false),
    .init(range: "vers:npm/>=4.4.2|<4.4.3", version: "4.4.1", expected: false),
    .init(range: "vers:npm/>=4.4.2|<4.4.3", version: "4.4.3-beta.1", expected: true), // vers has no npm pre-release exclusion
    .init(range: "vers:npm/*", version: "1.0.0", expected: true), // [vers-spec]
    // [vers-spec] pypi_range_containment_test.json (includes unsorted input)
    .init(range: "vers:pypi/<=1.3.0|3.0.0", version: "1.0.0", expected: true),
    .init(range: "vers:pypi/>0.0.2", version: "0.0.3", expected: true),
    .init(range: "vers:pypi/<0.0.2", version: "0.0.0.1", expected: true),
    .init(range: "vers:pypi/>=1.0.0|<=2.0.0", version: "1.5", expected: true),
    .init(range: "vers:pypi/>=3.0.0|2.0.3", version: "2.0.3", expected: true),
    .init(range: "vers:pypi/>=1.0.0|<=2.0.0", version: "2.0.3", expected: false),
    .init(range: "vers:pypi/>=1.0.0|<=2.0.0", version: "0.0.9", expected: false),
    .init(range: "vers:pypi/>=3.0.0|!=2.0.3", version: "2.0.3", expected: false),
    .init(range: "vers:pypi/<=1.0.0|>=2.0.0", version: "1.5", expected: false),
    .init(range: "vers:pypi/0.0.2|0.0.6|>=3.0.0|0.0.1|0.0.4|0.0.5|0.0.3", version: "2.0.3", expected: false),
    .init(range: "vers:pypi/0.0.2|0.0.6|>=3.0.0|0.0.1|0.0.4|0.0.5|0.0.3", version: "0.0.4", expected: true),
    // pypi: PEP 440 equality and pre-releases (Django CVE-2023-41164 window)
    .init(range: "vers:pypi/>=4.2|<4.2.5", version: "4.2.0", expected: true),
    .init(range: "vers:pypi/>=4.2|<4.2.5", version: "4.2.4", expected: true),
    .init(range: "vers:pypi/>=4.2|<4.2.5", version: "4.2rc1", expected: false),
    .init(range: "vers:pypi/>=4.2|<4.2.5", version: "4.2.5", expected: false),
    .init(range: "vers:pypi/>=2.3.0|<2.31.0", version: "2.31.0rc1", expected: true), // requests CVE-2023-32681
    // maven: log4j CVE-2021-44228, three affected windows
    .init(range: "vers:maven/>=2.0-beta9|<2.3.1|>=2.4|<2.12.2|>=2.13.0|<2.15.0", version: "2.0-beta9", expected: true),
    .init(range: "vers:maven/>=2.0-beta9|<2.3.1|>=2.4|<2.12.2|>=2.13.0|<2.15.0", version: "2.0-rc1", expected: true),
    .init(range: "vers:maven/>=2.0-beta9|<2.3.1|>=2.4|<2.12.2|>=2.13.0|<2.15.0", version: "2.0-alpha1", expected: false),
    .init(range: "vers:maven/>=2.0-beta9|<2.3.1|>=2.4|<2.12.2|>=2.13.0|<2.15.0", version: "2.3.1", expected: false),
    .init(range: "vers:maven/>=2.0-beta9|<2.3.1|>=2.4|<2.12.2|>=2.13.0|<2.15.0", version: "2.3.2", expected: false),
    .init(range: "vers:maven/>=2.0-beta9|<2.3.1|>=2.4|<2.12.2|>=2.13.0|<2.15.0", version: "2.12.1", expected: true),
    .init(range: "vers:maven/>=2.0-beta9|<2.3.1|>=2.4|<2.12.2|>=2.13.0|<2.15.0", version: "2.12.4", expected: false),
    .init(range: "vers:maven/>=2.0-beta9|<2.3.1|>=2.4|<2.12.2|>=2.13.0|<2.15.0", version: "2.14.1", expected: true),
    .init(range: "vers:maven/>=2.0-beta9|<2.3.1|>=2.4|<2.12.2|>=2.13.0|<2.15.0", version: "2.17.1", expected: false),
    // golang: leading v and pseudo-versions (golang.org/x/crypto, Terrapin fix in v0.17.0)
    .init(range: "vers:golang/<0.17.0", version: "v0.14.0", expected: true),
    .init(range: "vers:golang/<0.17.0", version: "v0.0.0-20210921155107-089bfa567519", expected: true),
    .init(range: "vers:golang/<0.17.0", version: "v0.17.0", expected: false),
    // nuget (Newtonsoft.Json), cargo, gem
    .init(range: "vers:nuget/<13.0.1", version: "12.0.3", expected: true),
    .init(range: "vers:nuget/<13.0.1", version: "13.0.1", expected: false),
    .init(range: "vers:cargo/>=0.10.0|<0.10.48", version: "0.10.47", expected: true),
    .init(range: "vers:cargo/>=0.10.0|<0.10.48", version: "0.9.99", expected: false),
    .init(range: "vers:gem/>=7.0.0|<7.0.8.1", version: "7.0.8", expected: true),
    .init(range: "vers:gem/>=7.0.0|<7.0.8.1", version: "7.0.8.1", expected: false),
    .init(range: "vers:gem/>=7.0.0|<7.0.8.1", version: "7.0.0.rc1", expected: false),
    // deb: epochs, tilde and Debian security revisions
    .init(range: "vers:deb/<7.88.1-10+deb12u5", version: "7.88.1-10+deb12u4", expected: true),
    .init(range: "vers:deb/<7.88.1-10+deb12u5", version: "7.88.1-10+deb12u5", expected: false),
    .init(range: "vers:deb/>=1:2.4.47-2|<1:2.4.48", version: "1:2.4.47-2+b1", expected: true),
    .init(range: "vers:deb/>=1:2.4.47-2|<1:2.4.48", version: "2.4.50", expected: false),
    .init(range: "vers:deb/<2.36-9", version: "2.36-9~rc1", expected: true),
    // rpm: epoch and el release suffixes (OpenSSL on RHEL 8)
    .init(range: "vers:rpm/<1:1.1.1k-7.el8_6", version: "1:1.1.1g-15.el8_3", expected: true),
    .init(range: "vers:rpm/<1:1.1.1k-7.el8_6", version: "1:1.1.1k-7.el8_6", expected: false),
    .init(range: "vers:rpm/<1:1.1.1k-7.el8_6", version: "1:1.1.1k-9.el8_7", expected: false),
    // equality (lenient "="), inequality-only ranges
    .init(range: "vers:npm/=1.2.3", version: "1.2.3", expected: true),
    .init(range: "vers:npm/1.2.3|2.0.0", version: "1.2.4", expected: false),
    .init(range: "vers:npm/!=1.2.3", version: "1.2.4", expected: true),
    .init(range: "vers:npm/!=1.2.3", version: "1.2.3", expected: false),
    .init(range: "vers:npm/<1.0.0|!=0.5.0|>=2.0.0", version: "0.5.0", expected: false),
    .init(range: "vers:npm/<1.0.0|!=0.5.0|>=2.0.0", version: "0.5.1", expected: true),
    .init(range: "vers:npm/<1.0.0|!=0.5.0|>=2.0.0", version: "1.5.0", expected: false),
    .init(range: "vers:npm/<1.0.0|!=0.5.0|>=2.0.0", version: "3.0.0", expected: true),
]

private let invalidRanges: [String] = [
    "npm/>=1.0.0",
    "vers:npm",
    "vers:npm/",
    "vers:3npm/1.0.0",
    "vers:npm/|>=1.0.0|<2.0.0",       // [vers-spec] leading pipe
    "vers:npm/>=1.0.0|<2.0.0|",       // [vers-spec] trailing pipe
    "vers:npm/>=1.0.0||<2.0.0",       // [vers-spec] consecutive pipes
    "vers:npm/1.0%2G0",               // [vers-spec] invalid percent-encoding
    "vers:npm/1.0%",
    "vers:npm/*|>=1.0.0",
    "vers:npm/>=",
    "vers:npm/1.0.0|1.0.0",
    "vers:pypi/1.0|>=1.0.0",          // duplicate under PEP 440 equality
    "vers:npm/>=1.0.0|>=2.0.0",       // bounds must alternate
    "vers:npm/<1.0.0|<2.0.0",
    "vers:npm/1.0.0|<2.0.0",          // equality redundant before an upper bound
]

@Suite("VersionRange")
struct VersionRangeTests {
    @Test("containment", arguments: containment)
    func contains(_ vector: Containment) throws {
        let range = try VersionRange(parsing: vector.range)
        #expect(range.contains(vector.version) == vector.expected)
    }

    @Test("rejects invalid ranges", arguments: invalidRanges)
    func rejects(_ text: String) {
        let error = #expect(throws: CustodyError.self) { try VersionRange(parsing: text) }
        #expect(error?.code == .rejectedInput)
    }

    @Test("parsing sorts constraints by the scheme's version order")
    func sorting() throws {
        let pypi = try VersionRange(parsing: "vers:pypi/0.0.2|0.0.6|>=3.0.0|0.0.1|0.0.4|0.0.5|0.0.3")
        #expect(pypi.canonical == "vers:pypi/0.0.1|0.0.2|0.0.3|0.0.4|0.0.5|0.0.6|>=3.0.0")
        let npm = try VersionRange(parsing: "vers:NPM/>=2.0.0|<1.0.0")
        #expect(npm.scheme == "npm")
        #expect(npm.constraints.map(\.comparator) == [.lessThan, .greaterThanOrEqual])
        let maven = try VersionRange(parsing: "vers:maven/<2.0|>=1.0-SNAPSHOT|!=1.0-RC1")
        #expect(maven.constraints.map(\.version) == ["1.0-RC1", "1.0-SNAPSHOT", "2.0"])
    }

    @Test("versions are percent-decoded exactly once")
    func decoding() throws {
        let once = try VersionRange(parsing: "vers:npm/1.0%252F0") // [vers-spec]
        #expect(once.constraints.first?.version == "1.0%2F0")
        #expect(once.canonical == "vers:npm/1.0%252F0")
        let space = try VersionRange(parsing: "vers:lexicographic/1%202") // [vers-spec]
        #expect(space.constraints.first?.version == "1 2")
        #expect(space.canonical == "vers:lexicographic/1%202")
    }

    @Test("hand-typed whitespace and '=' are tolerated")
    func leniency() throws {
        let spaced = try VersionRange(parsing: " vers:npm/ >=1.0.0 | <2.0.0 ")
        #expect(spaced.canonical == "vers:npm/>=1.0.0|<2.0.0")
        let all = try VersionRange(parsing: "vers:deb/*")
        #expect(all.matchesAll)
        #expect(all.canonical == "vers:deb/*")
        #expect(all.contains("1:0~anything"))
    }

    @Test("error messages name the problem")
    func messages() {
        let overlap = #expect(throws: CustodyError.self) { try VersionRange(parsing: "vers:npm/>=1.0.0|>=2.0.0") }
        #expect(overlap?.message.contains("bounds must alternate") == true)
        let scheme = #expect(throws: CustodyError.self) { try VersionRange(parsing: "npm/>=1.0.0") }
        #expect(scheme?.message.contains("\"vers:\"") == true)
    }
}

struct Ordered: Sendable, CustomTestStringConvertible {
    let scheme: String
    let lower: String
    let higher: String
    var testDescription: String { "\(scheme): \(lower) < \(higher)" }
}

private let ordered: [Ordered] = [
    // semver precedence chain (semver.org §11), npm and cargo
    .init(scheme: "npm", lower: "1.0.0-alpha", higher: "1.0.0-alpha.1"),
    .init(scheme: "npm", lower: "1.0.0-alpha.1", higher: "1.0.0-alpha.beta"),
    .init(scheme: "npm", lower: "1.0.0-alpha.beta", higher: "1.0.0-beta"),
    .init(scheme: "npm", lower: "1.0.0-beta", higher: "1.0.0-beta.2"),
    .init(scheme: "npm", lower: "1.0.0-beta.2", higher: "1.0.0-beta.11"),
    .init(scheme: "npm", lower: "1.0.0-beta.11", higher: "1.0.0-rc.1"),
    .init(scheme: "npm", lower: "1.0.0-rc.1", higher: "1.0.0"),
    .init(scheme: "npm", lower: "4.4.2", higher: "4.4.10"),
    .init(scheme: "npm", lower: "4.17.20", higher: "4.17.21"),
    .init(scheme: "cargo", lower: "0.9.99", higher: "0.10.0"),
    .init(scheme: "cargo", lower: "1.0.0", higher: "18446744073709551616.0.0"), // beyond UInt64
    .init(scheme: "golang", lower: "v0.0.0-20210921155107-089bfa567519", higher: "v0.1.0"),
    .init(scheme: "golang", lower: "v0.0.0-20200101000000-aaaaaaaaaaaa", higher: "v0.0.0-20210101000000-aaaaaaaaaaaa"),
    .init(scheme: "golang", lower: "v1.2.3", higher: "v1.10.0"),
    .init(scheme: "golang", lower: "v2.0.0+incompatible", higher: "v2.0.1"),
    .init(scheme: "nuget", lower: "13.0.1-beta1", higher: "13.0.1"),
    .init(scheme: "nuget", lower: "4.0.0.0", higher: "4.0.0.1"),
    .init(scheme: "nuget", lower: "6.0.0-Preview.1", higher: "6.0.0-preview.2"),
    .init(scheme: "gem", lower: "1.0.0.beta2", higher: "1.0.0.rc1"),
    .init(scheme: "gem", lower: "1.0.0.rc1", higher: "1.0.0"),
    .init(scheme: "gem", lower: "7.0.8", higher: "7.0.8.1"),
    .init(scheme: "generic", lower: "1.2", higher: "1.10"),
    // pypi (PEP 440 ordering examples)
    .init(scheme: "pypi", lower: "1.0.dev1", higher: "1.0a1"),
    .init(scheme: "pypi", lower: "1.0a1", higher: "1.0a2.dev1"),
    .init(scheme: "pypi", lower: "1.0a2.dev1", higher: "1.0a2"),
    .init(scheme: "pypi", lower: "1.0b1", higher: "1.0rc1"),
    .init(scheme: "pypi", lower: "1.0rc1", higher: "1.0"),
    .init(scheme: "pypi", lower: "1.0", higher: "1.0+local.1"),
    .init(scheme: "pypi", lower: "1.0+abc", higher: "1.0+5"),
    .init(scheme: "pypi", lower: "1.0+local.1", higher: "1.0.post1.dev1"),
    .init(scheme: "pypi", lower: "1.0.post1.dev1", higher: "1.0.post1"),
    .init(scheme: "pypi", lower: "1.0.post1", higher: "1.0.1"),
    .init(scheme: "pypi", lower: "9.9", higher: "1!0.1"),
    .init(scheme: "pypi", lower: "1.11.1.dev1", higher: "1.11.1"),
    .init(scheme: "pypi", lower: "2.31.0rc1", higher: "2.31.0"),
    // maven ([vers-spec] maven_version_cmp_test.json, then qualifier order)
    .init(scheme: "maven", lower: "1.0-alpha-1", higher: "1.0"),
    .init(scheme: "maven", lower: "1.0-alpha-1", higher: "1.0-alpha-2"),
    .init(scheme: "maven", lower: "1.0-alpha-1", higher: "1.0-beta-1"),
    .init(scheme: "maven", lower: "1.0-beta-1", higher: "1.0-SNAPSHOT"),
    .init(scheme: "maven", lower: "1.0-SNAPSHOT", higher: "1.0"),
    .init(scheme: "maven", lower: "1.0-alpha-1-SNAPSHOT", higher: "1.0-alpha-1"),
    .init(scheme: "maven", lower: "1.0", higher: "1.0-1"),
    .init(scheme: "maven", lower: "1.0-1", higher: "1.0-2"),
    .init(scheme: "maven", lower: "1.0.0", higher: "1.0-1"),
    .init(scheme: "maven", lower: "2.0-1", higher: "2.0.1"),
    .init(scheme: "maven", lower: "2.0.1-klm", higher: "2.0.1-lmn"),
    .init(scheme: "maven", lower: "2.0.1", higher: "2.0.1-xyz"),
    .init(scheme: "maven", lower: "2.0.1", higher: "2.0.1-123"),
    .init(scheme: "maven", lower: "2.0.1-xyz", higher: "2.0.1-123"),
    .init(scheme: "maven", lower: "1.0-beta-1", higher: "1.0-milestone-1"),
    .init(scheme: "maven", lower: "1.0-M1", higher: "1.0-RC1"),
    .init(scheme: "maven", lower: "1.0-RC1", higher: "1.0-SNAPSHOT"),
    .init(scheme: "maven", lower: "1.0", higher: "1.0-sp1"),
    .init(scheme: "maven", lower: "2.0-beta9", higher: "2.0-rc1"),
    .init(scheme: "maven", lower: "2.14.1", higher: "2.15.0"),
    // deb (dpkg: ~ before everything, epochs dominate)
    .init(scheme: "deb", lower: "1.0~~", higher: "1.0~~a"),
    .init(scheme: "deb", lower: "1.0~~a", higher: "1.0~"),
    .init(scheme: "deb", lower: "1.0~", higher: "1.0"),
    .init(scheme: "deb", lower: "1.0", higher: "1.0a"),
    .init(scheme: "deb", lower: "1.0~rc1", higher: "1.0"),
    .init(scheme: "deb", lower: "1.9", higher: "1.10"),
    .init(scheme: "deb", lower: "7.50.3-1", higher: "7.50.3-1+deb9u1"),
    .init(scheme: "deb", lower: "2.36-9", higher: "2.36-9+deb12u4"),
    .init(scheme: "deb", lower: "1.0-1", higher: "1.0-1ubuntu1"),
    .init(scheme: "deb", lower: "9:2.4.50", higher: "10:0.1"),
    .init(scheme: "deb", lower: "2.4.50", higher: "1:2.4.47-2"),
    // rpm (rpmvercmp: ~ before, ^ after, numbers beat letters)
    .init(scheme: "rpm", lower: "1.0", higher: "1.0a"),
    .init(scheme: "rpm", lower: "1.0a", higher: "1.0.1"),
    .init(scheme: "rpm", lower: "1.0~rc1", higher: "1.0"),
    .init(scheme: "rpm", lower: "1.0", higher: "1.0^git1"),
    .init(scheme: "rpm", lower: "1.0^git1", higher: "1.0.1"),
    .init(scheme: "rpm", lower: "2.30-93.el8", higher: "2.30-93.el8_5"),
    .init(scheme: "rpm", lower: "7.50.3-1.fc25", higher: "7.50.3-2.fc25"),
    .init(scheme: "rpm", lower: "1.1.1k-7.el8_6", higher: "1:1.1.1g-15.el8_3"),
    .init(scheme: "rpm", lower: "1.9", higher: "1.10"),
    .init(scheme: "alpm", lower: "6.0.1-1", higher: "6.0.2-1"),
    .init(scheme: "alpm", lower: "0.48-1", higher: "1:0.47.4-4"),
]

private let equivalent: [Ordered] = [
    .init(scheme: "npm", lower: "1.0.0+build.1", higher: "1.0.0+build.2"),
    .init(scheme: "golang", lower: "v1.3.2", higher: "1.3.2"),
    .init(scheme: "nuget", lower: "1.0.0-RC1", higher: "1.0.0-rc1"),
    .init(scheme: "pypi", lower: "1.0", higher: "1.0.0"),
    .init(scheme: "pypi", lower: "1.0alpha1", higher: "1.0a1"),
    .init(scheme: "pypi", lower: "1.0-1", higher: "1.0.post1"),
    .init(scheme: "pypi", lower: "v1.0", higher: "1.0"),
    .init(scheme: "pypi", lower: "1.0.0RC1", higher: "1.0.0rc1"),
    .init(scheme: "maven", lower: "1.0", higher: "1.0.0"),
    .init(scheme: "maven", lower: "1.0-ga", higher: "1.0"),
    .init(scheme: "maven", lower: "1.0-final", higher: "1"),
    .init(scheme: "maven", lower: "1.0-CR1", higher: "1.0-rc1"),
    .init(scheme: "maven", lower: "1.0-alpha1", higher: "1.0-alpha-1"),
    .init(scheme: "maven", lower: "1.0-a1", higher: "1.0-alpha-1"),
    .init(scheme: "deb", lower: "0:1.0-1", higher: "1.0-1"),
    .init(scheme: "deb", lower: "1.0-0", higher: "1.0"),
    .init(scheme: "deb", lower: "1.01", higher: "1.1"),
    .init(scheme: "rpm", lower: "1.0-1", higher: "1.0"),
    .init(scheme: "rpm", lower: "1.0.0", higher: "1.0_0"),
    .init(scheme: "rpm", lower: "0:2.30-93.el8", higher: "2.30-93.el8"),
]

@Suite("VersionComparison")
struct VersionComparisonTests {
    @Test("orders versions", arguments: ordered)
    func order(_ pair: Ordered) {
        #expect(VersionComparison.compare(pair.lower, pair.higher, scheme: pair.scheme) == -1)
        #expect(VersionComparison.compare(pair.higher, pair.lower, scheme: pair.scheme) == 1)
    }

    @Test("treats equivalent spellings as equal", arguments: equivalent)
    func equal(_ pair: Ordered) {
        #expect(VersionComparison.compare(pair.lower, pair.higher, scheme: pair.scheme) == 0)
        #expect(VersionComparison.compare(pair.higher, pair.lower, scheme: pair.scheme) == 0)
    }

    @Test("sorting a shuffled chain restores the semver precedence example")
    func chainSort() {
        let chain = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
                     "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"]
        let sorted = chain.reversed().sorted { VersionComparison.compare($0, $1, scheme: "semver") < 0 }
        #expect(sorted == chain)
    }

    @Test("degenerate strings compare without trapping and consistently",
          arguments: ["npm", "pypi", "maven", "deb", "rpm", "unknown"])
    func degenerate(_ scheme: String) {
        let odd = ["", "-", "+", ".", "..", "~", "^", "v", ":", "1:", "-1", "a.b.c", "99999999999999999999999", "1..2", "é"]
        for a in odd {
            for b in odd {
                let forward = VersionComparison.compare(a, b, scheme: scheme)
                let backward = VersionComparison.compare(b, a, scheme: scheme)
                #expect(forward == -backward, "\(scheme): \"\(a)\" vs \"\(b)\"")
                #expect((-1...1).contains(forward))
            }
        }
    }
}
