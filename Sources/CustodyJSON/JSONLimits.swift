/// Resource limits applied while parsing untrusted JSON.
///
/// Inputs are hostile (SBOMs, audit logs, API dumps from compromised systems), so every
/// dimension that can make the parser burn memory or time is bounded and fails with a
/// located `JSONError` instead of crashing or swapping.
public struct JSONLimits: Sendable, Equatable {
    /// Maximum container nesting; the parser is iterative, this only bounds its explicit stack.
    public var maxDepth: Int = 512
    /// Maximum raw (still escaped) length of one string, in bytes between the quotes.
    public var maxStringBytes: Int = 64 << 20
    /// Maximum input size. Values above 4 GiB − 1 are clamped: tape tokens store 32-bit offsets.
    public var maxDocumentBytes: Int = 1 << 30

    public init(maxDepth: Int = 512, maxStringBytes: Int = 64 << 20, maxDocumentBytes: Int = 1 << 30) {
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.maxDocumentBytes = maxDocumentBytes
    }

    public static let `default` = JSONLimits()
}

/// Formats a byte count the way limit errors print it: "64 MiB", "1 GiB", "1000 bytes".
func describeByteCount(_ n: Int) -> String {
    if n >= 1 << 30, n % (1 << 30) == 0 { return "\(n >> 30) GiB" }
    if n >= 1 << 20, n % (1 << 20) == 0 { return "\(n >> 20) MiB" }
    if n >= 1 << 10, n % (1 << 10) == 0 { return "\(n >> 10) KiB" }
    return n == 1 ? "1 byte" : "\(n) bytes"
}
