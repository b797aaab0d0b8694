import CustodyCore
import CustodyStore

/// A computation over stored facts that produces further facts no single document asserts
/// (a workload's run interval across snapshots; inferred action uses of runs from the
/// workflow file at their commit). Derivations run after every ingest that stored something,
/// in registry order, and replace their previous output wholesale.
public protocol Derivation: Sendable {
    /// Stable id; derived edges are qualified `derived:<id>`.
    var id: String { get }
    func derive(from reader: GraphReader) throws -> DerivedFacts
}

/// Every derivation custody runs, one line each, in the order they run.
public enum DerivationRegistry {
    public static let standard: [any Derivation] = [
        WorkloadDerivation(),
        WorkflowScopeDerivation(),
        WorkflowShortCommitDerivation(),
    ]
}
