-- title: Digests pushed with no run that produced them
-- description: Registry pushes of digests that no CI run is known to have produced (neither the digest nor
-- description: another manifest of the same image): pushes from a laptop, or by a stolen credential.
SELECT p.digest, p.identity AS pushed_by, p.pushed_at, p.tag
FROM v_pushes p
WHERE NOT EXISTS (
    SELECT 1 FROM v_image_family f JOIN v_produced r ON r.digest = f.member
    WHERE f.digest = p.digest)
ORDER BY p.pushed_at_ns, p.digest, p.identity;
