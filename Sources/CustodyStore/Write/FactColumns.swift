import CustodyCore

/// Column values derived from facts that both write paths share.
enum FactColumns {
    /// The purl parts of a package node: from the ingestor when it parsed the purl already,
    /// else parsed from the key (other ingestors, derived facts). Nil for other kinds and for
    /// keys that are not purls.
    static func package(of node: NodeFact) -> PackageColumns? {
        guard node.ref.kind == .package else { return nil }
        if let package = node.package { return package }
        return (try? PackageURL(parsing: node.ref.key)).map(PackageColumns.init)
    }
}
