/// The one user-facing error type: a code that maps to an exit status, a message that says
/// what to do, where it happened, and the underlying cause. Never carries secret values.
public struct CustodyError: Error, Sendable, CustomStringConvertible, Equatable {
    public enum Code: String, Sendable, Equatable {
        /// The user asked for something malformed (bad flag value, unknown format id).
        case usage
        /// An input document could not be read or parsed; nothing from it was stored.
        case rejectedInput
        /// The case database cannot be used (newer schema, corrupt file, locked).
        case database
        /// A signature, digest or certificate check failed.
        case verification
        /// Something that should not happen; a bug.
        case internalError
    }

    public var code: Code
    public var message: String
    public var location: SourceLocation?
    public var cause: String?

    public init(_ code: Code, _ message: String, location: SourceLocation? = nil, cause: String? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.cause = cause
    }

    public var description: String {
        var text = ""
        if let location { text += "\(location): " }
        text += message
        if let cause, !cause.isEmpty { text += " (\(cause))" }
        return text
    }

    public static func usage(_ message: String) -> CustodyError { CustodyError(.usage, message) }
    public static func rejected(_ message: String, at location: SourceLocation? = nil) -> CustodyError {
        CustodyError(.rejectedInput, message, location: location)
    }
}
