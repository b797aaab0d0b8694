/// How a later assertion of a node merges into the attributes the node has. `FactBatch` (one
/// document), `GroupFacts` (the documents of one write) and the stored-fact merge in SQL
/// (`StoredFactMerges`) follow this one rule, so the order of ingestion does not change a node:
///
/// - the node gains the keys it lacked; a key it has keeps its first value;
/// - except for provisional attributes. `incomplete=true` marks attributes read from a partial
///   source (a CI log without its run record: times from its first and last lines). A complete
///   assertion (attributes without the marker, e.g. the run record) of a provisional node
///   replaces its values and drops the marker; a provisional assertion of a complete node only
///   adds the keys it lacked, never the marker. A node first seen without attributes (an edge's
///   end) takes a provisional assertion as it is.
public enum NodeAttributes {
    /// The key, with the value `"true"`, that marks provisional attributes.
    public static let provisionalKey = "incomplete"

    public static func isProvisional(_ attributes: [String: String]) -> Bool {
        attributes[provisionalKey] == "true"
    }

    /// Merges `later`, a later assertion of the node, into `attributes`.
    public static func merge(_ later: [String: String], into attributes: inout [String: String]) {
        if later.isEmpty { return }
        if attributes.isEmpty {
            attributes = later
            return
        }
        switch (isProvisional(attributes), isProvisional(later)) {
        case (true, false):
            attributes.merge(later) { _, new in new }
            attributes.removeValue(forKey: provisionalKey)
        case (false, true):
            for (key, value) in later where key != provisionalKey && attributes[key] == nil {
                attributes[key] = value
            }
        default:
            attributes.merge(later) { old, _ in old }
        }
    }
}
