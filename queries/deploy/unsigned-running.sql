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
