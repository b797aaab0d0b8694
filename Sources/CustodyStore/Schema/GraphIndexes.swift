import CustodyCore
import GRDB

/// The secondary indexes of `nodes` and `edges` that the bulk loader drops before loading a
/// large document into an empty graph and builds afterwards: SQLite builds an index by
/// sorting, about three times cheaper than keeping it up to date through 400,000 inserts in
/// random order (see `FactWriter`).
///
/// The unique constraints of v1 (`UNIQUE(kind, key)`, `UNIQUE(src, kind, dst, qualifier)`)
/// are the identity of facts and stay; the loader inserts rows in their order instead, so
/// that each insert appends to those indexes.
enum GraphIndexes {
    struct Index {
        let name: String
        let create: String
    }

    /// Created by `v1-graph` with exactly this SQL.
    static let rebuiltByBulkLoad: [Index] = [
        Index(name: "nodes_by_purl", create: """
            CREATE INDEX nodes_by_purl ON nodes(purl_type, purl_namespace, purl_name, purl_version) \
            WHERE purl_type IS NOT NULL
            """),
        Index(name: "edges_by_dst", create: "CREATE INDEX edges_by_dst ON edges(dst, kind)"),
    ]

    /// Drops `rebuiltByBulkLoad` before a bulk load.
    static func dropRebuilt(_ db: Database) throws {
        for index in rebuiltByBulkLoad { try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)") }
    }

    /// Builds `rebuiltByBulkLoad` after a bulk load, each timed.
    static func createRebuilt(_ db: Database, timer: inout PhaseTimer) throws {
        for index in rebuiltByBulkLoad {
            try db.execute(sql: index.create)
            timer.mark(index.name)
        }
    }

    /// `v3-write-indexes`: qualified edges only (derived ones among them), so that replacing a
    /// derivation's output finds its edges without scanning every edge of the case.
    static let v3WriteIndexes = "CREATE INDEX edges_by_qualifier ON edges(qualifier) WHERE qualifier <> ''"

    /// `v4-ran-index`: the columns the engine reads of `ran` edges, by the digest they ran, so that the
    /// blast-radius hop from artifacts to the workloads that ran them (the largest hop of a
    /// large answer: ~12,000 edges) reads the index alone instead of one table row per edge.
    /// Partial: `ran` edges are ~1 % of a case's edges, and only queries naming the kind
    /// with `=` use it (`GraphAccess.edges`). `kind` is a column although it is constant, as
    /// SQLite 3.40 counts the index as covering only then.
    static let v4RanIndex = """
        CREATE INDEX edges_ran_by_dst ON edges(dst, kind, src, first_seen, last_seen, certainty, attrs, document_id, qualifier) \
        WHERE kind = 'ran'
        """
}
