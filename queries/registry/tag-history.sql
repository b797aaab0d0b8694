-- title: Tag history of an image repository
-- description: Every digest each tag of the repository pointed to, from when to when (null `to`: still current),
-- description: who pushed it, and whether the push overwrote a tag that pointed to another digest (a tag overwrite).
-- param: repository: image repository as custody keys it, e.g. registry.acme.example/acme/billing-service or docker.io/library/nginx
SELECT tag, digest, from_time AS "from", to_time AS "to", pushed_by, overwrite
FROM v_tag_history
WHERE repository = :repository
ORDER BY tag, from_ns, digest;
