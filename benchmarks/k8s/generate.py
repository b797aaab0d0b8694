#!/usr/bin/env python3
"""Deterministic kubectl snapshots for the Kubernetes ingest benchmark (benchmarks/k8s/README.md).

Writes OUT/kube/pods-<time>.json and OUT/kube/replicasets-<time>.json for SNAPSHOTS hourly
snapshots of one cluster with PODS pods each (DEPLOYMENTS Deployments, PODS/DEPLOYMENTS replicas
each, spread over 20 namespaces), in the shape `kubectl get pods -A -o json` prints (about 2.5 KB
per pod). Between two snapshots about 2 % of the Deployments roll out a new digest (1 in 8 of
those rolls back to the digest before the current one, which opens a second interval), and a few
pods are Pending with an empty imageID. Also writes OUT/expected.json: every `ran` interval
computed from the generated ground truth with the rules of ../shared/scenarios/README.md, for
run.sh to compare with custody's output.
"""
import argparse, hashlib, json, os
from datetime import datetime, timedelta, timezone

T0 = datetime(2025, 1, 1, tzinfo=timezone.utc)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def digest(label):
    return "sha256:" + hashlib.sha256(label.encode()).hexdigest()


def rand(*parts):
    return int.from_bytes(hashlib.sha256("/".join(map(str, parts)).encode()).digest()[:8], "big")


def template_hash(d, rev):
    alphabet = "bcdfghjklmnpqrstvwxz2456789"
    n = rand("hash", d, rev)
    return "".join(alphabet[(n >> (5 * i)) % len(alphabet)] for i in range(10))


def pod(ns, dep, rs_name, rs_uid, hash_, index, start, image_id, image, pending):
    name = f"{rs_name}-{index:05x}"[: len(rs_name) + 6]
    status = {
        "conditions": [
            {"lastProbeTime": None, "lastTransitionTime": iso(start), "status": "True", "type": t}
            for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")
        ],
        "hostIP": "10.0.%d.%d" % (index % 250, index % 200),
        "phase": "Pending" if pending else "Running",
        "podIP": "10.244.%d.%d" % (index % 250, index % 199),
        "qosClass": "Burstable",
        "startTime": iso(start),
        "containerStatuses": [{
            "containerID": "" if pending else "containerd://" + hashlib.sha256(name.encode()).hexdigest(),
            "image": image,
            "imageID": "" if pending else image_id,
            "lastState": {},
            "name": "app",
            "ready": not pending,
            "restartCount": 0,
            "started": not pending,
            "state": {"waiting": {"reason": "ImagePullBackOff"}} if pending else {"running": {"startedAt": iso(start + timedelta(seconds=3))}},
        }],
    }
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {
            "creationTimestamp": iso(start), "generateName": rs_name + "-",
            "labels": {"app": dep, "pod-template-hash": hash_, "team": "bench"},
            "name": name, "namespace": ns,
            "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": True, "controller": True,
                                 "kind": "ReplicaSet", "name": rs_name, "uid": rs_uid}],
            "resourceVersion": str(rand("rv", name) % 10_000_000), "uid": "%032x" % rand("pod", name, start),
        },
        "spec": {
            "containers": [{
                "env": [{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"key": "password", "name": dep + "-db"}}},
                        {"name": "LOG_LEVEL", "value": "info"}],
                "image": image, "imagePullPolicy": "IfNotPresent", "name": "app",
                "ports": [{"containerPort": 8080, "name": "http", "protocol": "TCP"}],
                "resources": {"limits": {"memory": "512Mi"}, "requests": {"cpu": "100m", "memory": "256Mi"}},
                "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
                "volumeMounts": [{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access", "readOnly": True}],
            }],
            "dnsPolicy": "ClusterFirst", "enableServiceLinks": True, "nodeName": "node-%d" % (index % 40),
            "restartPolicy": "Always", "schedulerName": "default-scheduler", "securityContext": {},
            "serviceAccount": dep, "serviceAccountName": dep, "terminationGracePeriodSeconds": 30,
            "volumes": [{"name": "kube-api-access", "projected": {"defaultMode": 420, "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}}]}}],
        },
        "status": status,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--snapshots", type=int, default=50)
    ap.add_argument("--pods", type=int, default=10_000)
    ap.add_argument("--deployments", type=int, default=2_000)
    ap.add_argument("--cluster", default="bench")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    replicas = a.pods // a.deployments
    kube = os.path.join(a.out, "kube")
    os.makedirs(kube, exist_ok=True)
    times = [T0 + timedelta(hours=i) for i in range(a.snapshots)]

    # Ground truth: per deployment, revisions (rev number, digest, rollout time).
    revisions = {}
    for d in range(a.deployments):
        revs = [(0, digest(f"bench/{d}/0"), T0 - timedelta(days=3, seconds=d))]
        for i in range(1, a.snapshots):
            if rand("roll", d, i) % 50 == 0:
                n = len(revs)
                back = n >= 2 and rand("back", d, i) % 8 == 0
                dig = revs[-2][1] if back else digest(f"bench/{d}/{n}")
                revs.append((n, dig, times[i - 1] + timedelta(minutes=10 + d % 40)))
        revisions[d] = revs

    observed = {}  # (workload, snapshot index) -> [(digest or None, start, live)]
    for i, t in enumerate(times):
        pods, rsets = [], []
        for d in range(a.deployments):
            ns, dep = f"ns{d % 20}", f"app-{d}"
            current = [r for r in revisions[d] if r[2] <= t][-1]
            rev, dig, rolled = current
            hash_ = template_hash(d, rev)
            rs_name, rs_uid = f"{dep}-{hash_}", "%032x" % rand("rs", d, rev)
            for r in revisions[d]:
                if r[2] <= t:
                    rh = template_hash(d, r[0])
                    rsets.append({"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {
                        "creationTimestamp": iso(r[2]), "name": f"{dep}-{rh}", "namespace": ns, "uid": "%032x" % rand("rs", d, r[0]),
                        "labels": {"app": dep, "pod-template-hash": rh},
                        "ownerReferences": [{"apiVersion": "apps/v1", "blockOwnerDeletion": True, "controller": True,
                                             "kind": "Deployment", "name": dep, "uid": "%032x" % rand("dep", d)}]},
                        "spec": {"replicas": replicas if r[0] == rev else 0},
                        "status": {"replicas": replicas if r[0] == rev else 0}})
            image = f"registry.bench.example/{ns}/{dep}:r{rev}"
            for k in range(replicas):
                start = rolled + timedelta(seconds=20 * k)
                pending = (d * 7 + i) % 997 == 0 and k == replicas - 1
                pods.append(pod(ns, dep, rs_name, rs_uid, hash_, k, start,
                                f"registry.bench.example/{ns}/{dep}@{dig}", image, pending))
                observed.setdefault((f"{a.cluster}/{ns}/Deployment/{dep}", i), []).append((None if pending else dig, start, True))
        stamp = iso(t)
        with open(os.path.join(kube, f"pods-{stamp}.json"), "w") as f:
            json.dump({"apiVersion": "v1", "items": pods, "kind": "List", "metadata": {"resourceVersion": ""}}, f, indent=4)
        with open(os.path.join(kube, f"replicasets-{stamp}.json"), "w") as f:
            json.dump({"apiVersion": "v1", "items": rsets, "kind": "List", "metadata": {"resourceVersion": ""}}, f, indent=4)

    expected = []
    for d in range(a.deployments):
        w = f"{a.cluster}/ns{d % 20}/Deployment/app-{d}"
        for dig in sorted({r[1] for r in revisions[d]}):
            cur = None
            for i, t in enumerate(times):
                prev = times[i - 1] if i else None
                seen = [(s, live) for (g, s, live) in observed.get((w, i), []) if g == dig]
                if any(live or prev is None or s > prev for s, live in seen):
                    st = min(s for s, _ in seen)
                    cur = min(cur, st) if cur else st
                elif cur:
                    newer = [s for (g, s, live) in observed.get((w, i), []) if prev and s > prev]
                    expected.append([w, dig, iso(cur), iso(t), iso(min(newer)) if newer else None, "false"])
                    cur = None
            if cur:
                expected.append([w, dig, iso(cur), None, None, "true"])
    with open(os.path.join(a.out, "expected.json"), "w") as f:
        json.dump(sorted(expected, key=lambda r: (r[0], r[1], r[2])), f, indent=0)
    print(f"{a.snapshots} snapshots x {a.pods} pods, {len(expected)} expected intervals")


if __name__ == "__main__":
    main()
