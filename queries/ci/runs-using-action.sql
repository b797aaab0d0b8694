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
