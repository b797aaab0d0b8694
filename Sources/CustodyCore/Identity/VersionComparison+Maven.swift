/// Maven's `ComparableVersion` ordering (the 3.x algorithm): the version is split into
/// numbers and qualifiers at `.`, `-` and digit/letter transitions, with `-` and transitions
/// opening nested lists; trailing "null" items (`0`, `""`, `ga`, `final`, `release`) are
/// dropped. Qualifiers order alpha < beta < milestone < rc = cr < snapshot < "" < sp,
/// and unknown qualifiers sort after `sp`, alphabetically.
enum MavenVersion {
    indirect enum Item {
        case number(Substring)
        case qualifier(String)
        case list([Item])
    }

    static func compare(_ a: String, _ b: String) -> Int {
        compare(.list(parse(a)), .list(parse(b)))
    }

    static let qualifierOrder = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"]
    static let releaseRank = "5"

    /// Known qualifiers rank by position; unknown ones as "7-<name>" so they sort after `sp`.
    static func rank(_ qualifier: String) -> String {
        if let index = qualifierOrder.firstIndex(of: qualifier) { return String(index) }
        return "\(qualifierOrder.count)-\(qualifier)"
    }

    static func parse(_ text: String) -> [Item] {
        // Each "-" or digit/letter transition opens a sub-list that becomes the current one,
        // so the nesting is a chain: build flat groups, then fold them from the innermost out.
        var groups: [[Item]] = [[]]
        let chars = Array(text.lowercased())
        var start = 0
        var inDigits = false
        func token(_ end: Int) -> Substring { Substring(String(chars[start..<end])) }
        func item(_ end: Int, digits: Bool) -> Item {
            digits ? .number(token(end)) : .qualifier(normalizedQualifier(String(token(end)), followedByDigit: false))
        }
        for (index, character) in chars.enumerated() {
            if character == "." || character == "-" {
                groups[groups.count - 1].append(index == start ? .number("0") : item(index, digits: inDigits))
                start = index + 1
                if character == "-" { groups.append([]) }
            } else if character.isASCII && character.isNumber {
                if !inDigits && index > start {
                    let name = String(token(index))
                    groups[groups.count - 1].append(.qualifier(normalizedQualifier(name, followedByDigit: true)))
                    start = index
                    groups.append([])
                }
                inDigits = true
            } else {
                if inDigits && index > start {
                    groups[groups.count - 1].append(item(index, digits: true))
                    start = index
                    groups.append([])
                }
                inDigits = false
            }
        }
        if chars.count > start { groups[groups.count - 1].append(item(chars.count, digits: inDigits)) }

        var inner: Item?
        for group in groups.reversed() {
            var items = group
            if let inner { items.append(inner) }
            inner = .list(normalize(items))
        }
        if case .list(let items)? = inner { return items }
        return []
    }

    /// `a1`/`b1`/`m1` are shorthands; `ga`, `final`, `release` mean the release itself.
    static func normalizedQualifier(_ name: String, followedByDigit: Bool) -> String {
        if followedByDigit && name.count == 1 {
            switch name {
            case "a": return "alpha"
            case "b": return "beta"
            case "m": return "milestone"
            default: break
            }
        }
        switch name {
        case "ga", "final", "release": return ""
        case "cr": return "rc"
        default: return name
        }
    }

    /// Drops trailing null items, looking past non-null sub-lists (as ListItem.normalize does).
    static func normalize(_ items: [Item]) -> [Item] {
        var items = items
        var index = items.count - 1
        while index >= 0 {
            if isNull(items[index]) {
                items.remove(at: index)
            } else if case .list = items[index] {
                // keep scanning left
            } else {
                break
            }
            index -= 1
        }
        return items
    }

    static func isNull(_ item: Item) -> Bool {
        switch item {
        case .number(let digits): digits.allSatisfy { $0 == "0" }
        case .qualifier(let name): rank(name) == releaseRank
        case .list(let items): items.isEmpty
        }
    }

    static func compare(_ a: Item, _ b: Item) -> Int {
        switch (a, b) {
        case (.number(let l), .number(let r)): VersionComparison.compareDigits(l, r)
        case (.number, _): 1
        case (.qualifier(let l), .qualifier(let r)): VersionComparison.sign(of: rank(l), rank(r))
        case (.qualifier, .number): -1
        case (.qualifier, .list): -1
        case (.list, .number): -1
        case (.list, .qualifier): 1
        case (.list(let l), .list(let r)): compareLists(l, r)
        }
    }

    /// A missing item compares like Maven's `null`: equal to 0 / "" / empty list.
    static func compareToNull(_ item: Item) -> Int {
        switch item {
        case .number(let digits): digits.allSatisfy { $0 == "0" } ? 0 : 1
        case .qualifier(let name): VersionComparison.sign(of: rank(name), releaseRank)
        case .list(let items): items.lazy.map(compareToNull).first { $0 != 0 } ?? 0
        }
    }

    static func compareLists(_ a: [Item], _ b: [Item]) -> Int {
        for index in 0..<max(a.count, b.count) {
            let result: Int
            switch (index < a.count ? a[index] : nil, index < b.count ? b[index] : nil) {
            case (let l?, let r?): result = compare(l, r)
            case (let l?, nil): result = compareToNull(l)
            case (nil, let r?): result = -compareToNull(r)
            case (nil, nil): result = 0
            }
            if result != 0 { return result }
        }
        return 0
    }
}
