/// Decoding of strings that contain backslash escapes (the rare case in SBOMs).
extension JSONValue {
    /// Decodes validated raw string content with escapes into a `String`.
    ///
    /// The output is never longer than the input (every escape shrinks or keeps its
    /// size in UTF-8), so one buffer of `raw.count` bytes suffices. Lone or misordered
    /// UTF-16 surrogates from `\u` escapes become U+FFFD.
    static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: raw.count) { out in
            var i = 0
            var o = 0
            let n = raw.count
            func put(_ b: UInt8) { out[o] = b; o += 1 }
            func putScalar(_ v: UInt32) {
                switch v {
                case 0..<0x80:
                    put(UInt8(v))
                case 0x80..<0x800:
                    put(UInt8(0xC0 | v >> 6)); put(UInt8(0x80 | v & 0x3F))
                case 0x800..<0x10000:
                    put(UInt8(0xE0 | v >> 12)); put(UInt8(0x80 | v >> 6 & 0x3F)); put(UInt8(0x80 | v & 0x3F))
                default:
                    put(UInt8(0xF0 | v >> 18)); put(UInt8(0x80 | v >> 12 & 0x3F))
                    put(UInt8(0x80 | v >> 6 & 0x3F)); put(UInt8(0x80 | v & 0x3F))
                }
            }
            func hex4(_ at: Int) -> UInt32? {
                guard at + 4 <= n else { return nil }
                var v: UInt32 = 0
                for k in 0..<4 {
                    guard let d = hexValue(raw[at + k]) else { return nil }
                    v = v << 4 | d
                }
                return v
            }
            while i < n {
                let c = raw[i]
                guard c == Byte.backslash, i + 1 < n else {
                    put(c)
                    i += 1
                    continue
                }
                let e = raw[i + 1]
                i += 2
                switch e {
                case Byte.b: put(0x08)
                case Byte.f: put(0x0C)
                case Byte.n: put(0x0A)
                case Byte.r: put(0x0D)
                case Byte.t: put(0x09)
                case Byte.u:
                    guard let unit = hex4(i) else { putScalar(0xFFFD); continue }
                    i += 4
                    if unit >= 0xD800, unit < 0xDC00, i + 6 <= n, raw[i] == Byte.backslash, raw[i + 1] == Byte.u,
                       let low = hex4(i + 2), low >= 0xDC00, low < 0xE000 {
                        i += 6
                        putScalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                    } else if unit >= 0xD800, unit < 0xE000 {
                        putScalar(0xFFFD)
                    } else {
                        putScalar(unit)
                    }
                default: put(e)  // '"', '\\' and '/' stand for themselves
                }
            }
            return o
        }
    }
}
