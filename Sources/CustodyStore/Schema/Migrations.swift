import CustodyCore
import GRDB

/// The case database schema. Append-only: a released migration is never edited; a change is a
/// new migration. The identifiers are the schema's version history, recorded by GRDB in
/// `grdb_migrations`; a database that lists one this build does not know was written by a
/// newer custody and is refused (see `CaseDatabase.open`).
///
/// Times are INTEGER nanoseconds since the Unix epoch, UTC (exact ordering, the precision the
/// evidence gave); the analyst views show them as RFC 3339 text.
enum Migrations {
    /// Every migration, in order: identifier and SQL.
    static let steps: [(identifier: String, sql: String)] = [
        ("v1-graph", v1Graph),
        ("v1-views", v1Views),
        ("v2-query-views", v2QueryViews),
        ("v3-write-indexes", GraphIndexes.v3WriteIndexes),
        ("v4-ran-index", GraphIndexes.v4RanIndex),
    ]

    /// The identifiers recorded in `grdb_migrations` (GRDB's table, kept so that cases written
    /// when `DatabaseMigrator` ran the steps read the same), unknown ones included; none
    /// before the table exists.
    static func appliedIdentifiers(_ db: Database) throws -> Set<String> {
        guard try db.tableExists("grdb_migrations") else { return [] }
        return try String.fetchSet(db, sql: "SELECT identifier FROM grdb_migrations")
    }

    /// Brings the case up to date in one transaction that holds the write lock from its start
    /// (call outside a transaction): it reads what is applied, refuses a case from a newer
    /// custody, and runs what is missing, recording each in `grdb_migrations` as GRDB does.
    /// `DatabaseMigrator.migrate` reads what is applied before it takes the lock and runs
    /// each migration in a transaction of its own, so two processes creating one case at
    /// once (two ingests started together) both ran `v1-graph` and the second failed on
    /// "table documents already exists"; here the second waits for the first (the busy
    /// timeout) and finds nothing left to do.
    static func migrate(_ db: Database, path: String) throws {
        try db.inTransaction(.immediate) {
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            let applied = try appliedIdentifiers(db)
            let unknown = applied.subtracting(knownIdentifiers).sorted()
            guard unknown.isEmpty else { throw newerCustody(path: path, unknown: unknown) }
            for step in steps where !applied.contains(step.identifier) {
                try db.execute(sql: step.sql)
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [step.identifier])
            }
            return .commit
        }
    }

    static func newerCustody(path: String, unknown: [String]) -> CustodyError {
        CustodyError(.database, "the case database \(path) was written by a newer custody (schema \(unknown.joined(separator: ", ")))",
                     cause: "upgrade custody to read it; this build knows schema up to \(knownIdentifiers.last ?? "?")")
    }

    /// Migrations that only add indexes: a read-only open of a database that lacks them
    /// (written by an older custody) still works, and answers the same, only slower; the
    /// next ingest adds them.
    static let notNeededForReading: Set<String> = ["v3-write-indexes", "v4-ran-index"]

    /// Names of every migration this build knows, in order.
    static let knownIdentifiers: [String] = steps.map(\.identifier)

    /// Evidence links: every node and edge records the first document that asserted it (and
    /// where) in its own row; further documents asserting the same fact add a row to
    /// `*_evidence_extra`. The views `node_evidence` / `edge_evidence` show the union. Keeping
    /// the first link inline halves the rows a fresh 100,000-component SBOM writes.
    /// Package nodes carry their purl parts for version-insensitive and range lookups.
    static let v1Graph = """
    CREATE TABLE documents (
        id               INTEGER PRIMARY KEY,
        sha256           TEXT NOT NULL UNIQUE,
        format           TEXT NOT NULL,
        source           TEXT NOT NULL,
        size             INTEGER NOT NULL,
        ingested_at      INTEGER NOT NULL,
        observed_at      INTEGER,
        ingestor         TEXT NOT NULL,
        ingestor_version TEXT NOT NULL,
        encoding         TEXT NOT NULL,
        content          BLOB NOT NULL
    );
    CREATE TABLE nodes (
        id             INTEGER PRIMARY KEY,
        kind           TEXT NOT NULL,
        key            TEXT NOT NULL,
        attrs          TEXT,
        document_id    INTEGER,
        location       TEXT,
        purl_type      TEXT,
        purl_namespace TEXT,
        purl_name      TEXT,
        purl_version   TEXT,
        UNIQUE (kind, key)
    );
    CREATE INDEX nodes_by_purl ON nodes(purl_type, purl_namespace, purl_name, purl_version) WHERE purl_type IS NOT NULL;
    CREATE TABLE edges (
        id          INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL,
        src         INTEGER NOT NULL,
        dst         INTEGER NOT NULL,
        qualifier   TEXT NOT NULL DEFAULT '',
        first_seen  INTEGER,
        last_seen   INTEGER,
        certainty   TEXT NOT NULL DEFAULT 'recorded',
        attrs       TEXT,
        document_id INTEGER,
        location    TEXT,
        UNIQUE (src, kind, dst, qualifier)
    );
    CREATE INDEX edges_by_dst ON edges(dst, kind);
    CREATE TABLE node_evidence_extra (
        node_id     INTEGER NOT NULL,
        document_id INTEGER NOT NULL,
        location    TEXT,
        PRIMARY KEY (node_id, document_id)
    ) WITHOUT ROWID;
    CREATE TABLE edge_evidence_extra (
        edge_id     INTEGER NOT NULL,
        document_id INTEGER NOT NULL,
        location    TEXT,
        PRIMARY KEY (edge_id, document_id)
    ) WITHOUT ROWID;
    CREATE VIEW node_evidence AS
        SELECT id AS node_id, document_id, location FROM nodes WHERE document_id IS NOT NULL
        UNION ALL SELECT node_id, document_id, location FROM node_evidence_extra;
    CREATE VIEW edge_evidence AS
        SELECT id AS edge_id, document_id, location FROM edges WHERE document_id IS NOT NULL
        UNION ALL SELECT edge_id, document_id, location FROM edge_evidence_extra;
    CREATE VIEW package_index AS
        SELECT id AS node_id, purl_type AS type, purl_namespace AS namespace, purl_name AS name, purl_version AS version
        FROM nodes WHERE purl_type IS NOT NULL;
    CREATE TABLE diagnostics (
        id          INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        severity    TEXT NOT NULL,
        message     TEXT NOT NULL,
        location    TEXT
    );
    CREATE INDEX diagnostics_by_document ON diagnostics(document_id);
    """

    /// Documented in queries/README.md; analysts and named queries read these, not the tables.
    static let v1Views = """
    CREATE VIEW v_documents AS
        SELECT id, sha256, format, source, size,
               strftime('%Y-%m-%dT%H:%M:%SZ', ingested_at / 1000000000, 'unixepoch') AS ingested_at,
               strftime('%Y-%m-%dT%H:%M:%SZ', observed_at / 1000000000, 'unixepoch') AS observed_at,
               ingestor, ingestor_version
        FROM documents;
    CREATE VIEW v_packages AS
        SELECT id AS node_id, key AS purl, purl_type AS type, purl_namespace AS namespace, purl_name AS name,
               purl_version AS version, json_extract(attrs, '$.qualifiers') AS qualifiers
        FROM nodes WHERE purl_type IS NOT NULL;
    CREATE VIEW v_artifacts AS
        SELECT n.id AS node_id, n.key AS digest,
               json_extract(n.attrs, '$.mediaType') AS media_type,
               json_extract(n.attrs, '$.name') AS name
        FROM nodes n WHERE n.kind = 'artifact';
    CREATE VIEW v_artifact_packages AS
        SELECT a.key AS digest, p.key AS purl,
               strftime('%Y-%m-%dT%H:%M:%SZ', e.first_seen / 1000000000, 'unixepoch') AS first_seen
        FROM edges e
        JOIN nodes a ON a.id = e.src AND a.kind = 'artifact'
        JOIN nodes p ON p.id = e.dst AND p.kind = 'package'
        WHERE e.kind = 'contains';
    CREATE VIEW v_edges AS
        SELECT e.id, e.kind, s.kind AS src_kind, s.key AS src_key, d.kind AS dst_kind, d.key AS dst_key,
               e.qualifier,
               strftime('%Y-%m-%dT%H:%M:%SZ', e.first_seen / 1000000000, 'unixepoch') AS first_seen,
               strftime('%Y-%m-%dT%H:%M:%SZ', e.last_seen / 1000000000, 'unixepoch') AS last_seen,
               e.certainty, e.attrs
        FROM edges e JOIN nodes s ON s.id = e.src JOIN nodes d ON d.id = e.dst;
    CREATE VIEW v_evidence AS
        SELECT 'node' AS subject, ne.node_id AS subject_id, d.sha256, d.format, d.source, ne.location
        FROM node_evidence ne JOIN documents d ON d.id = ne.document_id
        UNION ALL
        SELECT 'edge', ee.edge_id, d.sha256, d.format, d.source, ee.location
        FROM edge_evidence ee JOIN documents d ON d.id = ee.document_id;
    """
}
