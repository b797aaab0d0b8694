/// Migration "v2-query-views": analyst views over runs, action uses, pushes, tag history,
/// where digests ran, and attestation signatures, for named queries (`queries/`) and
/// `custody sql`. Documented in queries/README.md. Views only: no table changes, so the
/// migration is cheap on a large case database and ingest speed is untouched.
///
/// Times are RFC 3339 text (whole seconds, like the v1 views) plus an `_ns` INTEGER column
/// where queries need exact ordering.
extension Migrations {
    static let v2QueryViews = """
    CREATE VIEW v_runs AS
        SELECT r.id AS node_id, r.key AS run,
               json_extract(r.attrs, '$.provider') AS provider,
               json_extract(r.attrs, '$.repository') AS repository,
               json_extract(r.attrs, '$.run_id') AS run_id,
               json_extract(r.attrs, '$.attempt') AS attempt,
               json_extract(r.attrs, '$.started_at') AS started_at,
               json_extract(r.attrs, '$.completed_at') AS completed_at,
               (SELECT w.key FROM edges e JOIN nodes w ON w.id = e.dst
                WHERE e.src = r.id AND e.kind = 'ranWorkflow' ORDER BY e.id LIMIT 1) AS workflow,
               (SELECT c.key FROM edges e JOIN nodes c ON c.id = e.dst
                WHERE e.src = r.id AND e.kind = 'builtFrom' ORDER BY e.id LIMIT 1) AS commit_sha
        FROM nodes r WHERE r.kind = 'run';
    CREATE VIEW v_action_uses AS
        SELECT r.key AS run, a.key AS action,
               substr(a.key, 1, instr(a.key, '@') - 1) AS action_name,
               json_extract(e.attrs, '$.ref') AS ref,
               CASE WHEN json_extract(a.attrs, '$.unresolved') = 'true' THEN NULL
                    ELSE substr(a.key, instr(a.key, '@') + 1) END AS sha,
               e.certainty,
               strftime('%Y-%m-%dT%H:%M:%SZ', e.first_seen / 1000000000, 'unixepoch') AS first_seen,
               strftime('%Y-%m-%dT%H:%M:%SZ', e.last_seen / 1000000000, 'unixepoch') AS last_seen,
               e.first_seen AS first_seen_ns
        FROM edges e JOIN nodes r ON r.id = e.src JOIN nodes a ON a.id = e.dst
        WHERE e.kind = 'usedAction';
    CREATE VIEW v_produced AS
        SELECT r.key AS run, a.key AS digest, e.certainty,
               strftime('%Y-%m-%dT%H:%M:%SZ', e.first_seen / 1000000000, 'unixepoch') AS first_seen,
               e.first_seen AS first_seen_ns
        FROM edges e JOIN nodes r ON r.id = e.src JOIN nodes a ON a.id = e.dst
        WHERE e.kind = 'produced';
    CREATE VIEW v_pushes AS
        SELECT i.key AS identity, a.key AS digest,
               strftime('%Y-%m-%dT%H:%M:%SZ', e.first_seen / 1000000000, 'unixepoch') AS pushed_at,
               e.first_seen AS pushed_at_ns,
               json_extract(e.attrs, '$.tag') AS tag, e.attrs
        FROM edges e JOIN nodes i ON i.id = e.src JOIN nodes a ON a.id = e.dst
        WHERE e.kind = 'pushed';
    CREATE VIEW v_tag_history AS
        WITH h AS (
            SELECT rtrim(t.key, replace(t.key, ':', '')) AS prefix, t.key AS tag_key, a.key AS digest,
                   e.dst, e.first_seen, e.last_seen
            FROM edges e JOIN nodes t ON t.id = e.src AND t.kind = 'tag' JOIN nodes a ON a.id = e.dst
            WHERE e.kind = 'pointsTo')
        SELECT substr(prefix, 1, length(prefix) - 1) AS repository,
               substr(tag_key, length(prefix) + 1) AS tag,
               digest,
               strftime('%Y-%m-%dT%H:%M:%SZ', first_seen / 1000000000, 'unixepoch') AS from_time,
               strftime('%Y-%m-%dT%H:%M:%SZ', last_seen / 1000000000, 'unixepoch') AS to_time,
               first_seen AS from_ns, last_seen AS to_ns,
               (SELECT group_concat(i.key, ' ') FROM edges p JOIN nodes i ON i.id = p.src
                WHERE p.dst = h.dst AND p.kind = 'pushed'
                  AND abs(p.first_seen - h.first_seen) <= 60000000000) AS pushed_by,
               lag(digest) OVER (PARTITION BY tag_key ORDER BY first_seen) AS previous_digest,
               CASE WHEN lag(digest) OVER (PARTITION BY tag_key ORDER BY first_seen) <> digest
                    THEN 1 ELSE 0 END AS overwrite
        FROM h;
    CREATE VIEW v_workload_images AS
        WITH r AS (
            SELECT w.key AS workload, a.key AS digest, e.first_seen, e.last_seen, e.attrs,
                   substr(w.key, instr(w.key, '/') + 1) AS rest
            FROM edges e JOIN nodes w ON w.id = e.src AND w.kind = 'workload' JOIN nodes a ON a.id = e.dst
            WHERE e.kind = 'ran')
        SELECT workload,
               substr(workload, 1, instr(workload, '/') - 1) AS cluster,
               substr(rest, 1, instr(rest, '/') - 1) AS namespace,
               digest,
               strftime('%Y-%m-%dT%H:%M:%SZ', first_seen / 1000000000, 'unixepoch') AS first_seen,
               CASE WHEN json_extract(attrs, '$.running') = 'true' THEN NULL
                    ELSE strftime('%Y-%m-%dT%H:%M:%SZ', last_seen / 1000000000, 'unixepoch') END AS last_seen,
               json_extract(attrs, '$.last_seen_tight') AS last_seen_tight,
               CASE WHEN json_extract(attrs, '$.running') = 'true' THEN 1 ELSE 0 END AS running
        FROM r;
    CREATE VIEW v_signatures AS
        SELECT att.key AS attestation, a.key AS digest,
               json_extract(att.attrs, '$.predicateType') AS predicate_type,
               i.key AS signer,
               json_extract(s.attrs, '$.verified') AS verified,
               coalesce(json_extract(s.attrs, '$.verification'), json_extract(s.attrs, '$.result')) AS result
        FROM edges t JOIN nodes att ON att.id = t.src JOIN nodes a ON a.id = t.dst
        LEFT JOIN edges s ON s.src = t.src AND s.kind = 'signedBy'
        LEFT JOIN nodes i ON i.id = s.dst
        WHERE t.kind = 'attests';
    CREATE VIEW v_image_family AS
        SELECT a.key AS digest, a.key AS member, 'self' AS relation FROM nodes a WHERE a.kind = 'artifact'
        UNION ALL
        SELECT i.key, m.key, 'manifest' FROM edges e JOIN nodes i ON i.id = e.src JOIN nodes m ON m.id = e.dst
        WHERE e.kind = 'hasManifest'
        UNION ALL
        SELECT m.key, i.key, 'index' FROM edges e JOIN nodes i ON i.id = e.src JOIN nodes m ON m.id = e.dst
        WHERE e.kind = 'hasManifest';
    """
}
