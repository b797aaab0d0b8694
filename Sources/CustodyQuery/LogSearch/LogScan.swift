#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One matching line inside one log text.
struct LineHit: Sendable {
    var line: Int
    var text: String
}

/// Searches one decoded log for a pattern, line by line, without decoding the log to a
/// `String`: the prefilter literal is found with a first-byte loop and `memcmp` (or a folded
/// comparison for `--ignore-case`), the hit's line is cut out around it, line numbers are
/// counted with `memchr` from the previous hit, and only those candidate lines are decoded and
/// handed to the regex. A pattern without a usable literal tries every line.
enum LogScan {
    static func search(_ bytes: [UInt8], pattern: LogPattern, limit: Int) -> [LineHit] {
        bytes.withUnsafeBufferPointer { buffer in
            guard let needle = pattern.prefilter, !needle.isEmpty else { return everyLine(buffer, pattern: pattern, limit: limit) }
            return candidates(buffer, needle: needle, pattern: pattern, limit: limit)
        }
    }

    private static func candidates(_ b: UnsafeBufferPointer<UInt8>, needle: [UInt8], pattern: LogPattern, limit: Int) -> [LineHit] {
        var hits: [LineHit] = []
        guard let base = b.baseAddress, b.count >= needle.count else { return hits }
        let fold = pattern.ignoreCase
        let folded = fold ? needle.map(lower) : needle
        // Case-sensitive: `memchr` (SIMD) for the needle's rarest byte, then compare in place.
        // Folded: a byte loop over both cases of the first byte.
        let pivot = fold ? 0 : rarest(folded)
        let pivotByte = folded[pivot]
        let first = folded[0], firstUpper = upper(first)
        let last = b.count - needle.count
        var counted = 0, lineNumber = 1
        var index = 0
        while index <= last {
            if fold {
                let byte = b[index]
                guard byte == first || byte == firstUpper, equal(b, index, folded, fold: true) else {
                    index += 1
                    continue
                }
            } else {
                guard let hit = memchr(base + index + pivot, Int32(pivotByte), last - index + 1) else { break }
                index = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) - pivot
                guard equal(b, index, folded, fold: false) else {
                    index += 1
                    continue
                }
            }
            let start = lineStart(b, index)
            let end = lineEnd(b, index)
            lineNumber += newlines(base, from: counted, to: start)
            counted = start
            let text = decode(b, start..<end, isFirstLine: start == 0)
            if pattern.matches(text) {
                hits.append(LineHit(line: lineNumber, text: text))
                if hits.count >= limit { break }
            }
            index = end + 1
        }
        return hits
    }

    /// The position of the needle byte least likely in log text (timestamps make digits,
    /// `-:.TZ` and spaces common; lower-case letters by English frequency).
    static func rarest(_ needle: [UInt8]) -> Int {
        func score(_ byte: UInt8) -> Int {
            switch byte {
            case 0x20, 0x30...0x39, UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "T"), UInt8(ascii: "Z"): 100
            case UInt8(ascii: "e"), UInt8(ascii: "t"), UInt8(ascii: "a"), UInt8(ascii: "o"), UInt8(ascii: "i"), UInt8(ascii: "n"),
                 UInt8(ascii: "s"), UInt8(ascii: "r"), UInt8(ascii: "h"): 60
            case UInt8(ascii: "a")...UInt8(ascii: "z"): 30
            case UInt8(ascii: "/"), UInt8(ascii: "_"), UInt8(ascii: "="), UInt8(ascii: "'"), UInt8(ascii: "\""): 25
            default: 10
            }
        }
        var best = 0
        for index in needle.indices where score(needle[index]) < score(needle[best]) { best = index }
        return best
    }

    private static func everyLine(_ b: UnsafeBufferPointer<UInt8>, pattern: LogPattern, limit: Int) -> [LineHit] {
        var hits: [LineHit] = []
        var start = 0, number = 0
        while start < b.count {
            let end = lineEnd(b, start)
            number += 1
            let text = decode(b, start..<end, isFirstLine: start == 0)
            if pattern.matches(text) {
                hits.append(LineHit(line: number, text: text))
                if hits.count >= limit { break }
            }
            start = end + 1
        }
        return hits
    }

    @inline(__always) private static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
    @inline(__always) private static func upper(_ byte: UInt8) -> UInt8 { byte >= 0x61 && byte <= 0x7A ? byte & 0xDF : byte }

    @inline(__always)
    private static func equal(_ b: UnsafeBufferPointer<UInt8>, _ at: Int, _ needle: [UInt8], fold: Bool) -> Bool {
        if !fold {
            return needle.withUnsafeBytes { memcmp(b.baseAddress! + at, $0.baseAddress!, needle.count) == 0 }
        }
        for offset in 0..<needle.count where lower(b[at + offset]) != needle[offset] { return false }
        return true
    }

    private static func lineStart(_ b: UnsafeBufferPointer<UInt8>, _ index: Int) -> Int {
        var start = index
        while start > 0, b[start - 1] != 0x0A { start -= 1 }
        return start
    }

    private static func lineEnd(_ b: UnsafeBufferPointer<UInt8>, _ index: Int) -> Int {
        guard index < b.count, let hit = memchr(b.baseAddress! + index, 0x0A, b.count - index) else { return b.count }
        return b.baseAddress!.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    private static func newlines(_ base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        var count = 0, cursor = from
        while cursor < to, let hit = memchr(base + cursor, 0x0A, to - cursor) {
            count += 1
            cursor = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
        }
        return count
    }

    /// The line as text (lossy UTF-8), without its CR and a leading BOM; capped at 64 KiB so a
    /// hostile megabyte line cannot flood the terminal.
    private static func decode(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, isFirstLine: Bool) -> String {
        var lower = range.lowerBound, upper = range.upperBound
        if isFirstLine, upper - lower >= 3, b[lower] == 0xEF, b[lower + 1] == 0xBB, b[lower + 2] == 0xBF { lower += 3 }
        if upper > lower, b[upper - 1] == 0x0D { upper -= 1 }
        let capped = min(upper, lower + 65_536)
        var text = String(decoding: UnsafeBufferPointer(rebasing: b[lower..<capped]), as: UTF8.self)
        if capped < upper { text += "…" }
        return text
    }
}
