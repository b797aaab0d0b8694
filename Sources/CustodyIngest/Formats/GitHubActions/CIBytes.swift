#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level primitives shared by the CI log scanners (GitHub Actions, GitLab, Jenkins).
///
/// Job logs are large (PyTorch jobs write hundreds of megabytes) and almost every line is
/// uninteresting, so the scanners never decode a whole log into `String`: they walk lines with
/// `memchr`, look at line prefixes in place, find rare anchors (`sha256:`, `curl`) across the
/// whole buffer with `memmem`, and decode only the few lines that carry facts.
enum CIBytes {
    /// Offsets of every occurrence of `needle` in `buffer`, ascending. Uses the C library's
    /// `memmem` (SIMD in glibc: 0.08 s for 256 MB of job log against 0.26 s for a first-byte
    /// loop), looked up at run time because the Glibc module does not export that GNU
    /// extension; the loop is the fallback where the symbol is missing.
    static func occurrences(of needle: String, in buffer: UnsafeBufferPointer<UInt8>) -> [Int] {
        let pattern = Array(needle.utf8)
        guard let base = buffer.baseAddress, let first = pattern.first, buffer.count >= pattern.count else { return [] }
        var found: [Int] = []
        pattern.withUnsafeBytes { needleBytes in
            let needleBase = needleBytes.baseAddress!
            if let memmem = CMemMem.function {
                var offset = 0
                while offset <= buffer.count - pattern.count,
                      let hit = memmem(base + offset, buffer.count - offset, needleBase, pattern.count) {
                    let position = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    found.append(position)
                    offset = position + pattern.count
                }
                return
            }
            var index = 0
            let last = buffer.count - pattern.count
            while index <= last {
                if buffer[index] == first, memcmp(base + index, needleBase, pattern.count) == 0 {
                    found.append(index)
                    index += pattern.count
                } else {
                    index += 1
                }
            }
        }
        return found
    }

    /// Whether `needle` occurs inside `range` of `buffer`.
    static func contains(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ needle: [UInt8]) -> Bool {
        guard let base = buffer.baseAddress, let first = needle.first, range.count >= needle.count else { return false }
        let last = range.upperBound - needle.count
        var index = range.lowerBound
        while index <= last {
            if buffer[index] == first, needle.withUnsafeBytes({ memcmp(base + index, $0.baseAddress!, needle.count) }) == 0 {
                return true
            }
            index += 1
        }
        return false
    }

    /// The index of the next `byte` at or after `from` and before `end`, or `end`.
    @inline(__always)
    static func next(_ byte: UInt8, in buffer: UnsafeBufferPointer<UInt8>, from: Int, end: Int) -> Int {
        guard from < end, let base = buffer.baseAddress else { return end }
        guard let hit = memchr(base + from, Int32(byte), end - from) else { return end }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// Whether the bytes at `start` (bounded by `end`) begin with `prefix`.
    @inline(__always)
    static func hasPrefix(_ buffer: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ prefix: [UInt8]) -> Bool {
        guard end - start >= prefix.count, let base = buffer.baseAddress else { return false }
        return prefix.withUnsafeBytes { memcmp(base + start, $0.baseAddress!, prefix.count) == 0 }
    }

    /// Lexicographic comparison of two byte ranges (`<0`, `0`, `>0`).
    static func compare(_ buffer: UnsafeBufferPointer<UInt8>, _ a: Range<Int>, _ b: Range<Int>) -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        let common = min(a.count, b.count)
        let result = memcmp(base + a.lowerBound, base + b.lowerBound, common)
        if result != 0 { return Int(result) }
        return a.count - b.count
    }
}

/// `memmem(3)`, resolved once with `dlsym` (present in glibc and Darwin's libc).
enum CMemMem {
    typealias Function = @convention(c) (UnsafeRawPointer?, Int, UnsafeRawPointer?, Int) -> UnsafeMutableRawPointer?

    static let function: Function? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "memmem") else { return nil }
        return unsafeBitCast(symbol, to: Function.self)
    }()
}

/// Turning the bytes of one interesting line into clean text.
enum CIText {
    /// A byte-level `contains` for text already decoded: Foundation's `StringProtocol.contains`
    /// goes through `CFStringFind` and dominated the scan of command-heavy logs.
    static func contains(_ text: Substring, _ needle: String) -> Bool {
        let pattern = Array(needle.utf8)
        return text.utf8.withContiguousStorageIfAvailable { CIBytes.contains($0, 0..<$0.count, pattern) }
            ?? text.contains(needle)
    }

    /// Decodes `bytes` as UTF-8 (lossy) without ANSI escape sequences (CSI `ESC [ … final`,
    /// OSC `ESC ] … BEL/ST`, two-byte `ESC x`) and without other C0 controls except tab. The
    /// result is bounded: a hostile megabyte line is cut at `limit` bytes.
    static func clean(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, limit: Int = 16_384) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(min(range.count, limit))
        var index = range.lowerBound
        let end = range.upperBound
        while index < end, out.count < limit {
            let byte = bytes[index]
            if byte == 0x1B {
                index += 1
                guard index < end else { break }
                let kind = bytes[index]
                index += 1
                if kind == UInt8(ascii: "[") {
                    while index < end, !(0x40...0x7E).contains(bytes[index]) { index += 1 }
                    index += 1
                } else if kind == UInt8(ascii: "]") {
                    while index < end, bytes[index] != 0x07, bytes[index] != 0x1B { index += 1 }
                    index += index < end && bytes[index] == 0x1B ? 2 : 1
                }
                continue
            }
            if byte < 0x20, byte != 0x09 { index += 1; continue }
            out.append(byte)
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `text` is exactly `count` lower- or upper-case hex digits.
    static func isHex(_ text: Substring, count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy(isHexByte)
    }

    static func isHexByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46)
    }

    /// A full git commit id (40 or 64 hex), lower-cased; nil otherwise.
    static func commitSHA(_ text: Substring) -> String? {
        guard isHex(text, count: 40) || isHex(text, count: 64) else { return nil }
        return text.lowercased()
    }

    /// The first `sha256:<64 hex>` in `text`, as the canonical digest string.
    static func firstSHA256(in text: Substring) -> (digest: String, range: Range<String.Index>)? {
        var search = text[...]
        while let marker = range(of: "sha256:", in: search) {
            let hexEnd = text.utf8.index(marker.upperBound, offsetBy: 64, limitedBy: text.endIndex) ?? text.endIndex
            let hex = text[marker.upperBound..<hexEnd]
            let followedByHex = hexEnd < text.endIndex && isHexByte(text.utf8[hexEnd])
            if isHex(hex, count: 64), !followedByHex {
                return ("sha256:" + hex.lowercased(), marker.lowerBound..<hexEnd)
            }
            search = text[marker.upperBound...]
        }
        return nil
    }

    /// Byte-level `range(of:)` (see `contains`).
    static func range(of needle: String, in text: Substring) -> Range<String.Index>? {
        let pattern = Array(needle.utf8)
        let found: Int?? = text.utf8.withContiguousStorageIfAvailable { buffer -> Int? in
            guard let base = buffer.baseAddress, let first = pattern.first, buffer.count >= pattern.count else { return nil }
            for index in 0...(buffer.count - pattern.count) where buffer[index] == first {
                if pattern.withUnsafeBytes({ memcmp(base + index, $0.baseAddress!, pattern.count) }) == 0 { return index }
            }
            return nil
        }
        guard let offset = found else { return text.firstRange(of: needle) }
        guard let offset else { return nil }
        let lower = text.utf8.index(text.startIndex, offsetBy: offset)
        return lower..<text.utf8.index(lower, offsetBy: pattern.count)
    }

    /// `text` without a trailing BuildKit duration/`done` suffix (`… 0.6s done`, `… done`).
    static func droppingBuildKitSuffix(_ text: Substring) -> Substring {
        var words = text.split(separator: " ", omittingEmptySubsequences: true)
        while let last = words.last, last == "done" || last == "DONE" || isDuration(last) {
            words.removeLast()
        }
        guard let lastWord = words.last else { return text[text.startIndex..<text.startIndex] }
        return text[text.startIndex..<lastWord.endIndex]
    }

    private static func isDuration(_ word: Substring) -> Bool {
        guard word.hasSuffix("s"), word.count > 1 else { return false }
        return word.dropLast().allSatisfy { $0.isNumber || $0 == "." }
    }
}
