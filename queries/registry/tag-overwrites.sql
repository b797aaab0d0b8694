-- title: Tag overwrites
-- description: Pushes that moved an existing tag from one digest to another, newest first; a release tag that
-- description: moved is a classic sign of a tampered release (tj-actions, Trivy 2026).
-- param: repository = : image repository to restrict to; empty for all repositories
SELECT repository, tag, previous_digest, digest, from_time AS moved_at, pushed_by
FROM v_tag_history
WHERE overwrite = 1 AND (:repository = '' OR repository = :repository)
ORDER BY from_ns DESC, repository, tag;
