-- title: Where a digest still runs
-- description: Workloads that run the digest (or another manifest of the same image) in the latest snapshot
-- description: of their cluster, since when.
-- param: digest: image digest sha256:<64 hex>
SELECT w.workload, w.cluster, w.namespace, w.digest, w.first_seen
FROM v_workload_images w
WHERE w.running = 1
  AND w.digest IN (SELECT member FROM v_image_family WHERE digest = lower(:digest))
ORDER BY w.workload, w.digest;
