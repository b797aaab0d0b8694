/// Makes text from evidence safe to print: control characters (ANSI escapes, carriage
/// returns, bells, bidi overrides) are shown as visible escapes instead of acting on the
/// reader's terminal. Evidence is hostile; a crafted package name must not rewrite the screen.
public enum TerminalSafe {
    public static func escape(_ text: String) -> String {
        var needsWork = false
        for scalar in text.unicodeScalars where isUnsafe(scalar) {
            needsWork = true
            break
        }
        guard needsWork else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                switch scalar {
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    let hex = String(scalar.value, radix: 16)
                    out += scalar.value <= 0xFF ? "\\x" + String(repeating: "0", count: max(0, 2 - hex.count)) + hex : "\\u{\(hex)}"
                }
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 || value == 0x7F { return true }
        if (0x80...0x9F).contains(value) { return true }  // C1 controls, incl. CSI
        if (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value) { return true }  // bidi
        return false
    }
}
