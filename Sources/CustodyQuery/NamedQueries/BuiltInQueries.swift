// Generated from queries/ by Tests/CustodyQueryTests/BuiltInQueriesTests.swift; do not edit.
// After changing a file under queries/, run:
//   CUSTODY_RECORD_QUERIES=1 swift test --filter BuiltInQueriesTests

/// The repository's named queries, compiled in so that an installed binary has them with no
/// files beside it (SwiftPM resources must live inside a target, and `queries/` is top level
/// by design). Files found on disk take precedence (`QueryCatalog`); a test keeps this copy
/// identical to `queries/`.
enum BuiltInQueries {
    static let files: [(String, String)] = [
        ("ci/runs-using-action.sql", #"""
-- title: Runs that used a CI action
-- description: Every run that used the action, with the ref as written, the resolved SHA (null when no log
-- description: recorded it) and the certainty (recorded: a SHA was logged; inferred: a mutable ref and a time).
-- param: action: OWNER/REPO for any version, or OWNER/REPO@SHA, e.g. tj-actions/changed-files
SELECT run, action, ref, sha, certainty, first_seen
FROM v_action_uses
WHERE lower(action) = lower(:action)
   OR lower(action_name) = lower(:action)
   OR lower(action_name) LIKE lower(:action) || '/%'
ORDER BY first_seen_ns, run, action;

"""#),
        ("deploy/still-running.sql", #"""
-- title: Where a digest still runs
-- description: Workloads that run the digest (or another manifest of the same image) in the latest snapshot
-- description: of their cluster, since when.
-- param: digest: image digest sha256:<64 hex>
SELECT w.workload, w.cluster, w.namespace, w.digest, w.first_seen
FROM v_workload_images w
WHERE w.running = 1
  AND w.digest IN (SELECT member FROM v_image_family WHERE digest = lower(:digest))
ORDER BY w.workload, w.digest;

"""#),
        ("deploy/unsigned-running.sql", #"""
-- title: Running digests without a verified signature
-- description: Workloads still running a digest for which no attestation or signature (over the digest or
-- description: another manifest of the same image) was verified. Unverified claims do not count.
SELECT w.workload, w.digest, w.first_seen,
       (SELECT count(*) FROM v_signatures s WHERE s.digest IN
            (SELECT member FROM v_image_family f WHERE f.digest = w.digest)) AS signatures_recorded
FROM v_workload_images w
WHERE w.running = 1
  AND NOT EXISTS (
      SELECT 1 FROM v_signatures s
      WHERE s.verified = 'true'
        AND s.digest IN (SELECT member FROM v_image_family f WHERE f.digest = w.digest))
ORDER BY w.workload, w.digest;

"""#),
        ("registry/pushed-without-run.sql", #"""
-- title: Digests pushed with no run that produced them
-- description: Registry pushes of digests that no CI run is known to have produced (neither the digest nor
-- description: another manifest of the same image): pushes from a laptop, or by a stolen credential.
SELECT p.digest, p.identity AS pushed_by, p.pushed_at, p.tag
FROM v_pushes p
WHERE NOT EXISTS (
    SELECT 1 FROM v_image_family f JOIN v_produced r ON r.digest = f.member
    WHERE f.digest = p.digest)
ORDER BY p.pushed_at_ns, p.digest, p.identity;

"""#),
        ("registry/tag-history.sql", #"""
-- title: Tag history of an image repository
-- description: Every digest each tag of the repository pointed to, from when to when (null `to`: still current),
-- description: who pushed it, and whether the push overwrote a tag that pointed to another digest (a tag overwrite).
-- param: repository: image repository as custody keys it, e.g. registry.acme.example/acme/billing-service or docker.io/library/nginx
SELECT tag, digest, from_time AS "from", to_time AS "to", pushed_by, overwrite
FROM v_tag_history
WHERE repository = :repository
ORDER BY tag, from_ns, digest;

"""#),
        ("registry/tag-overwrites.sql", #"""
-- title: Tag overwrites
-- description: Pushes that moved an existing tag from one digest to another, newest first; a release tag that
-- description: moved is a classic sign of a tampered release (tj-actions, Trivy 2026).
-- param: repository = : image repository to restrict to; empty for all repositories
SELECT repository, tag, previous_digest, digest, from_time AS moved_at, pushed_by
FROM v_tag_history
WHERE overwrite = 1 AND (:repository = '' OR repository = :repository)
ORDER BY from_ns DESC, repository, tag;

"""#),
        ("sbom/images-with-package.sql", #"""
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

"""#),
    ]
}
