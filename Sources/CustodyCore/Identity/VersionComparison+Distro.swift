/// dpkg ordering (`[epoch:]upstream[-revision]`, deb-version(7)): epochs numerically, then
/// upstream and revision with `verrevcmp`, where `~` sorts before everything, even the end.
enum DebianVersion {
    static func compare(_ a: String, _ b: String) -> Int {
        let left = split(a)
        let right = split(b)
        var result = VersionComparison.compareDigits(left.epoch, right.epoch)
        if result == 0 { result = verrevcmp(left.upstream, right.upstream) }
        if result == 0 { result = verrevcmp(left.revision, right.revision) }
        return result
    }

    static func split(_ text: String) -> (epoch: Substring, upstream: [UInt8], revision: [UInt8]) {
        var body = Substring(text.filter { !$0.isWhitespace })
        var epoch: Substring = "0"
        if let colon = body.firstIndex(of: ":"), VersionComparison.isDigits(body[..<colon]) {
            epoch = body[..<colon]
            body = body[body.index(after: colon)...]
        }
        guard let dash = body.lastIndex(of: "-") else { return (epoch, Array(body.utf8), []) }
        return (epoch, Array(body[..<dash].utf8), Array(body[body.index(after: dash)...].utf8))
    }

    /// dpkg's character weight: digits 0 (handled separately), letters by ASCII, `~` lowest,
    /// other symbols after all letters, end of string 0.
    private static func order(_ byte: UInt8?) -> Int {
        guard let byte else { return 0 }
        if isDigit(byte) { return 0 }
        if isLetter(byte) { return Int(byte) }
        if byte == UInt8(ascii: "~") { return -1 }
        return Int(byte) + 256
    }

    /// Port of dpkg's `verrevcmp`: alternate non-digit runs (by `order`) and digit runs (numerically).
    static func verrevcmp(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var i = 0
        var j = 0
        func at(_ s: [UInt8], _ k: Int) -> UInt8? { k < s.count ? s[k] : nil }
        while i < a.count || j < b.count {
            while (at(a, i).map { !isDigit($0) } ?? false) || (at(b, j).map { !isDigit($0) } ?? false) {
                let left = order(at(a, i))
                let right = order(at(b, j))
                if left != right { return left < right ? -1 : 1 }
                i += 1
                j += 1
            }
            while at(a, i) == UInt8(ascii: "0") { i += 1 }
            while at(b, j) == UInt8(ascii: "0") { j += 1 }
            var firstDiff = 0
            while let l = at(a, i), let r = at(b, j), isDigit(l), isDigit(r) {
                if firstDiff == 0 && l != r { firstDiff = l < r ? -1 : 1 }
                i += 1
                j += 1
            }
            if at(a, i).map(isDigit) == true { return 1 }
            if at(b, j).map(isDigit) == true { return -1 }
            if firstDiff != 0 { return firstDiff }
        }
        return 0
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }
}

/// RPM ordering (`[epoch:]version[-release]`): epochs numerically, then `rpmvercmp` on version
/// and release. A side without a release matches any release, as rpm's dependency checks do.
/// Also used for Arch `alpm`, whose `vercmp` follows the same segment rules.
enum RPMVersion {
    static func compare(_ a: String, _ b: String) -> Int {
        let left = DebianVersion.split(a)
        let right = DebianVersion.split(b)
        var result = VersionComparison.compareDigits(left.epoch, right.epoch)
        if result == 0 { result = rpmvercmp(left.upstream, right.upstream) }
        if result == 0 && !left.revision.isEmpty && !right.revision.isEmpty {
            result = rpmvercmp(left.revision, right.revision)
        }
        return result
    }

    /// Port of rpm's `rpmvercmp`: alphanumeric segments, separators ignored, `~` sorts before
    /// everything and `^` after everything except the end; numbers beat letters.
    static func rpmvercmp(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a == b { return 0 }
        var i = 0
        var j = 0
        func at(_ s: [UInt8], _ k: Int) -> UInt8? { k < s.count ? s[k] : nil }
        func isAlnum(_ c: UInt8) -> Bool { DebianVersion.isDigit(c) || DebianVersion.isLetter(c) }
        let tilde = UInt8(ascii: "~")
        let caret = UInt8(ascii: "^")
        while i < a.count || j < b.count {
            while let c = at(a, i), !isAlnum(c), c != tilde, c != caret { i += 1 }
            while let c = at(b, j), !isAlnum(c), c != tilde, c != caret { j += 1 }
            if at(a, i) == tilde || at(b, j) == tilde {
                if at(a, i) != tilde { return 1 }
                if at(b, j) != tilde { return -1 }
                i += 1
                j += 1
                continue
            }
            if at(a, i) == caret || at(b, j) == caret {
                if at(a, i) == nil { return -1 }
                if at(b, j) == nil { return 1 }
                if at(a, i) != caret { return 1 }
                if at(b, j) != caret { return -1 }
                i += 1
                j += 1
                continue
            }
            guard let first = at(a, i), at(b, j) != nil else { break }
            let numeric = DebianVersion.isDigit(first)
            func matches(_ c: UInt8) -> Bool { numeric ? DebianVersion.isDigit(c) : DebianVersion.isLetter(c) }
            var endA = i
            while let c = at(a, endA), matches(c) { endA += 1 }
            var endB = j
            while let c = at(b, endB), matches(c) { endB += 1 }
            // Segments of different kinds: the numeric one is newer.
            if endB == j { return numeric ? 1 : -1 }
            let segA = String(decoding: a[i..<endA], as: UTF8.self)
            let segB = String(decoding: b[j..<endB], as: UTF8.self)
            let result = numeric ? VersionComparison.compareDigits(segA, segB) : VersionComparison.sign(of: segA, segB)
            if result != 0 { return result }
            i = endA
            j = endB
        }
        switch (i >= a.count, j >= b.count) {
        case (true, true): return 0
        case (true, false): return -1
        default: return 1
        }
    }
}
