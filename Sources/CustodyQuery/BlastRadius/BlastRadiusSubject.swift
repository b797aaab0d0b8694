import CustodyCore

/// What a blast-radius question starts from (DESIGN.md §1–2).
public enum BlastRadiusSubject: Sendable, Equatable {
    /// A package by purl; without a version any version matches; with `versions` a `vers:` range.
    case package(purl: String, versions: String?)

    public var kindName: String {
        switch self {
        case .package: "package"
        }
    }

    public var key: String {
        switch self {
        case let .package(purl, versions): versions.map { "\(purl) \($0)" } ?? purl
        }
    }
}
