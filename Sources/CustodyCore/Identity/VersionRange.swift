/// A `vers:` version range (github.com/package-url/vers-spec): `vers:<scheme>/<c>|<c>…`.
///
/// Parsing sorts the constraints by the scheme's version order (advisory feeds emit them
/// unsorted) and then applies the spec's validation, so `contains` can run the spec's
/// linear algorithm. Two leniencies from the spec's first edition are kept for hand-typed
/// queries: whitespace is ignored and a leading `=` is accepted as equality.
public struct VersionRange: Sendable, Hashable, CustomStringConvertible {
    public enum Comparator: String, Sendable, Hashable {
        case equal = ""
        case notEqual = "!="
        case lessThan = "<"
        case lessThanOrEqual = "<="
        case greaterThan = ">"
        case greaterThanOrEqual = ">="

        var isUpperBound: Bool { self == .lessThan || self == .lessThanOrEqual }
        var isLowerBound: Bool { self == .greaterThan || self == .greaterThanOrEqual }
        var includesEqual: Bool { self == .equal || self == .lessThanOrEqual || self == .greaterThanOrEqual }
    }

    public struct Constraint: Sendable, Hashable {
        public var comparator: Comparator
        /// Decoded version text.
        public var version: String
    }

    /// Lower-case versioning scheme (`npm`, `pypi`, `maven`, `deb`, …); selects `VersionComparison` rules.
    public var scheme: String
    /// Constraints sorted by version; empty when the range is `*`.
    public private(set) var constraints: [Constraint]
    /// True for `vers:<scheme>/*`, which contains every version.
    public private(set) var matchesAll: Bool

    public init(parsing text: String) throws {
        let compact = String(text.filter { !$0.isWhitespace })
        func reject(_ reason: String) -> CustodyError {
            CustodyError.rejected("invalid version range \"\(PurlSyntax.excerpt(text))\": \(reason)")
        }
        guard let colon = compact.firstIndex(of: ":"), compact[..<colon].lowercased() == "vers" else {
            throw reject("it must start with \"vers:\"")
        }
        let specifier = compact[compact.index(after: colon)...]
        guard let slash = specifier.firstIndex(of: "/") else { throw reject("expected vers:<scheme>/<constraints>") }
        scheme = specifier[..<slash].lowercased()
        guard PurlSyntax.isValidType(scheme) else {
            throw reject("the scheme \"\(specifier[..<slash])\" must be ASCII letters, digits, \".\" or \"-\" and start with a letter")
        }
        let body = specifier[specifier.index(after: slash)...]
        guard !body.isEmpty else { throw reject("there are no constraints after \"\(scheme)/\"") }
        if body == "*" {
            constraints = []
            matchesAll = true
            return
        }
        guard !body.hasPrefix("|"), !body.hasSuffix("|"), !body.contains("||") else {
            throw reject("constraints must be separated by single \"|\" with none leading or trailing")
        }
        var parsed: [Constraint] = []
        for raw in body.split(separator: "|") {
            parsed.append(try Self.parseConstraint(raw, reject: reject))
        }
        let scheme = self.scheme
        parsed.sort { VersionComparison.compare($0.version, $1.version, scheme: scheme) < 0 }
        constraints = parsed
        matchesAll = false
        if let problem = Self.validationProblem(parsed, scheme: scheme) { throw reject(problem) }
    }

    private static func parseConstraint(_ raw: Substring, reject: (String) -> CustodyError) throws -> Constraint {
        if raw.hasPrefix("*") { throw reject("\"*\" must be the only constraint") }
        let comparator: Comparator
        var rest = raw
        // Longest comparators first so "<=" is not read as "<".
        if let found = [Comparator.greaterThanOrEqual, .lessThanOrEqual, .notEqual, .lessThan, .greaterThan]
            .first(where: { raw.hasPrefix($0.rawValue) }) {
            comparator = found
            rest = raw.dropFirst(found.rawValue.count)
        } else {
            comparator = .equal
            if rest.hasPrefix("=") { rest = rest.dropFirst() }
        }
        guard !rest.isEmpty else { throw reject("the constraint \"\(raw)\" has no version") }
        guard let version = PurlPercentCoding.decode(rest) else {
            throw reject("malformed percent-encoding in the version \"\(rest)\"")
        }
        return Constraint(comparator: comparator, version: version)
    }

    /// Spec §5.4: unique versions, and (ignoring `!=`) an equality may only be followed by an
    /// equality or a lower bound, and bounds must alternate (ignoring `!=` and equalities).
    private static func validationProblem(_ sorted: [Constraint], scheme: String) -> String? {
        for (a, b) in zip(sorted, sorted.dropFirst())
        where VersionComparison.compare(a.version, b.version, scheme: scheme) == 0 {
            return "the version \"\(b.version)\" appears in more than one constraint"
        }
        let ordered = sorted.filter { $0.comparator != .notEqual }
        for (a, b) in zip(ordered, ordered.dropFirst()) where a.comparator == .equal && b.comparator.isUpperBound {
            return "\"\(a.version)\" is redundant before \"\(b.comparator.rawValue)\(b.version)\""
        }
        let bounds = ordered.filter { $0.comparator != .equal }
        for (a, b) in zip(bounds, bounds.dropFirst()) where a.comparator.isUpperBound == b.comparator.isUpperBound {
            return "\"\(a.comparator.rawValue)\(a.version)\" and \"\(b.comparator.rawValue)\(b.version)\" overlap; bounds must alternate"
        }
        return nil
    }

    /// Spec `how-to-parse` containment check. A range made only of `!=` constraints contains
    /// every other version (the spec's algorithm would contain nothing, which no producer means).
    public func contains(_ version: String) -> Bool {
        if matchesAll { return true }
        func compare(_ other: String) -> Int { VersionComparison.compare(version, other, scheme: scheme) }
        for constraint in constraints where compare(constraint.version) == 0 {
            return constraint.comparator.includesEqual
        }
        let bounds = constraints.filter { $0.comparator != .equal && $0.comparator != .notEqual }
        guard let first = bounds.first, let last = bounds.last else {
            return constraints.allSatisfy { $0.comparator == .notEqual }
        }
        if first.comparator.isUpperBound && compare(first.version) < 0 { return true }
        if last.comparator.isLowerBound && compare(last.version) > 0 { return true }
        for (lower, upper) in zip(bounds, bounds.dropFirst()) where lower.comparator.isLowerBound {
            if compare(lower.version) > 0 && compare(upper.version) < 0 { return true }
        }
        return false
    }

    /// Canonical text: sorted constraints, reserved characters in versions percent-encoded.
    public var canonical: String {
        if matchesAll { return "vers:\(scheme)/*" }
        return "vers:\(scheme)/" + constraints.map { $0.comparator.rawValue + Self.encodeVersion($0.version) }
            .joined(separator: "|")
    }

    public var description: String { canonical }

    /// vers §5.3.3.2: `><=!*|%` and whitespace must be encoded; everything else stays literal.
    private static func encodeVersion(_ version: String) -> String {
        var out = ""
        for scalar in version.unicodeScalars {
            if scalar.isASCII, scalar.value > 0x20, scalar.value < 0x7F, !"><=!*|%".unicodeScalars.contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else {
                out += PurlPercentCoding.encode(String(scalar))
            }
        }
        return out
    }
}
