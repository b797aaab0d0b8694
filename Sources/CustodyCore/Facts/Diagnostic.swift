/// A per-record problem found while reading a document that does not reject the document
/// (a component without a purl, a pod with an empty imageID). Reported at the end of ingest.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case info, warning
        public static func < (a: Severity, b: Severity) -> Bool { a == .info && b == .warning }
    }

    public var severity: Severity
    public var message: String
    /// Pointer or line inside the document (the document's path is added by the pipeline).
    public var location: String?

    public init(_ severity: Severity, _ message: String, at location: String? = nil) {
        self.severity = severity
        self.message = message
        self.location = location
    }

    public var description: String {
        "\(severity.rawValue): \(message)" + (location.map { " at \($0)" } ?? "")
    }
}
