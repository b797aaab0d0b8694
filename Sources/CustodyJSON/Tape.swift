/// The tape: one `UInt64` per token, written once by the parser and then only read.
///
/// A flat array of packed words keeps a 50 MB SBOM at roughly half its size in memory
/// and avoids one allocation per node, which is what makes tree-building parsers slow.
///
/// Word layout (most significant bits first):
///
///     kind:3 | flag:1 | byteOffset:32 | length:28
///
/// * string: offset of the opening quote; length = raw bytes between the quotes
///   (saturates at `lengthMask`, then the end is found by rescanning); flag = has escapes.
/// * number: offset of the first character; length = characters (saturating likewise);
///   flag = integer syntax (no fraction, no exponent).
/// * true/false/null: offset only.
/// * object/array: two words. The first holds the offset of the bracket; the second holds
///   `endIndex << 32 | count`, where `endIndex` is the tape index just past the subtree, so
///   skipping a subtree is O(1), and `count` is the number of elements or members.
///   Object members are laid out as key (a string word) followed by the value.
enum TapeKind: UInt64 {
    case object = 1, array = 2, string = 3, number = 4, trueValue = 5, falseValue = 6, null = 7
}

enum Tape {
    static let kindShift: UInt64 = 61
    static let flagBit: UInt64 = 1 << 60
    static let offsetShift: UInt64 = 28
    static let offsetMask: UInt64 = 0xFFFF_FFFF
    static let lengthMask: UInt64 = (1 << 28) - 1
    /// Largest buffer whose offsets fit the 32-bit offset field.
    static let maxDocumentBytes = Int(UInt32.max)

    @inline(__always)
    static func word(_ kind: TapeKind, offset: Int, length: Int = 0, flag: Bool = false) -> UInt64 {
        let len = min(UInt64(truncatingIfNeeded: length), lengthMask)
        return kind.rawValue << kindShift | (flag ? flagBit : 0)
            | UInt64(truncatingIfNeeded: offset) << offsetShift | len
    }

    @inline(__always)
    static func kind(_ w: UInt64) -> TapeKind { TapeKind(rawValue: w >> kindShift).unsafelyUnwrapped }

    @inline(__always)
    static func rawKind(_ w: UInt64) -> UInt64 { w >> kindShift }

    @inline(__always)
    static func offset(_ w: UInt64) -> Int { Int(truncatingIfNeeded: (w >> offsetShift) & offsetMask) }

    /// Stored length; equal to `lengthMask` means "at least that long, rescan".
    @inline(__always)
    static func length(_ w: UInt64) -> Int { Int(truncatingIfNeeded: w & lengthMask) }

    @inline(__always)
    static func flag(_ w: UInt64) -> Bool { w & flagBit != 0 }

    @inline(__always)
    static func containerInfo(end: Int, count: Int) -> UInt64 {
        UInt64(truncatingIfNeeded: end) << 32 | UInt64(truncatingIfNeeded: count)
    }

    @inline(__always)
    static func end(ofInfo w: UInt64) -> Int { Int(truncatingIfNeeded: w >> 32) }

    @inline(__always)
    static func count(ofInfo w: UInt64) -> Int { Int(truncatingIfNeeded: w & 0xFFFF_FFFF) }
}
