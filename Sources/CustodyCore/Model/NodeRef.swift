/// A node's identity: its kind and canonical key. Two documents naming the same thing must
/// produce the same `NodeRef` (keys are built by the canonicalizers in `Identity/`).
public struct NodeRef: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public var kind: NodeKind
    public var key: String

    public init(_ kind: NodeKind, _ key: String) {
        self.kind = kind
        self.key = key
    }

    public var description: String { "\(kind.rawValue):\(key)" }

    public static func < (a: NodeRef, b: NodeRef) -> Bool {
        (a.kind.rawValue, a.key) < (b.kind.rawValue, b.key)
    }
}

/// How sure the evidence is: `recorded` when a SHA or digest was written down, `inferred`
/// when a mutable reference plus a time (or a naming convention) was all there was.
/// A path is only as certain as its weakest edge.
public enum Certainty: String, Sendable, Hashable, Codable, Comparable, CaseIterable {
    case recorded
    case inferred

    public static func < (a: Certainty, b: Certainty) -> Bool { a == .inferred && b == .recorded }
}
