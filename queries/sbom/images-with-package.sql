-- title: Image digests that contain a package
-- description: Digests whose SBOM lists the package; a purl without a version matches every version.
-- param: purl: package URL with or without version, e.g. pkg:npm/debug@4.4.2 or pkg:npm/debug
SELECT a.key AS digest, p.purl, p.version,
       strftime('%Y-%m-%dT%H:%M:%SZ', e.first_seen / 1000000000, 'unixepoch') AS sbom_time
FROM v_packages p
JOIN edges e ON e.dst = p.node_id AND e.kind = 'contains'
JOIN nodes a ON a.id = e.src AND a.kind = 'artifact'
WHERE p.purl = :purl OR p.purl LIKE :purl || '@%'
ORDER BY a.key, p.purl;
