/// Documented process exit statuses (README "Exit codes"); one lookup for every command.
public enum CustodyExitCode: Int32, Sendable, CaseIterable {
    /// Success; for query-style commands, something matched.
    case success = 0
    /// A query ran but nothing matched.
    case noMatch = 1
    /// The command line was wrong.
    case usage = 2
    /// Some input was rejected (the rest was ingested).
    case inputRejected = 3
    /// A verification failed.
    case verificationFailed = 4

    public static func forError(_ error: CustodyError) -> CustodyExitCode {
        switch error.code {
        case .usage: .usage
        case .rejectedInput: .inputRejected
        case .verification: .verificationFailed
        case .database, .internalError: .usage
        }
    }
}
