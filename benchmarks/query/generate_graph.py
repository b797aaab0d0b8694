#!/usr/bin/env python3
"""Generates a large, deterministic provenance graph straight into a custody case database.

  generate_graph.py --db PATH [--images 2500] [--packages-per-image 1700] [--runs 50000] [--clusters 20]

The database must already exist with custody's schema (run.sh creates it with `custody
ingest` of a tiny SBOM, so the migrations are custody's own). Rows go directly into the
`documents`, `nodes` and `edges` tables (evidence links inline, purl parts on package nodes):
the same schema the ingestors write, without the cost of JSON ingest. The same facts are written as CSV files
beside it (`<db>.nodes.csv`, `<db>.edges.csv`) for the DuckDB baseline.

The graph (defaults, >= 5 million edges):
  - 250 applications (repositories), 10 releases each = 2,500 images: an index digest with one
    platform manifest (hasManifest), the manifest described by an SBOM (contains: 1,700
    packages per image from 4,000 names x 4 versions, popularity skewed), pushed by a CI
    identity, tagged with its version and `latest` (tag history intervals), stored in its
    image repository;
  - 50,000 runs over the 250 repositories (ranWorkflow, builtFrom a commit inRepository,
    triggeredBy, usedAction x 8 from 60 actions, couldRead x 4 secrets), one per release
    producing its index digest;
  - 20 clusters x 300 workloads; each workload runs its application's releases one after the
    other (ran intervals with last_seen_tight; the last one still running) and mounts 2 secrets.

Everything depends only on the arguments and --seed.
"""

import argparse
import csv
import hashlib
import os
import random
import sqlite3
import sys
import time

T0 = 1_735_689_600 * 10**9  # 2025-01-01T00:00:00Z in ns
DAY = 86_400 * 10**9
HOUR = 3_600 * 10**9


def sha(label: str) -> str:
    return "sha256:" + hashlib.sha256(label.encode()).hexdigest()


def commit(label: str) -> str:
    return hashlib.sha1(label.encode()).hexdigest()


class Graph:
    def __init__(self, con, csv_prefix):
        self.con = con
        self.node_ids = {}
        self.nodes = []  # (id, kind, key, attrs)
        self.pkg_index = []
        self.edges = []  # (id, kind, src, dst, qualifier, first, last, certainty, attrs)
        self.csv_prefix = csv_prefix

    def node(self, kind, key, attrs=None):
        k = (kind, key)
        nid = self.node_ids.get(k)
        if nid is None:
            nid = len(self.nodes) + 1
            self.node_ids[k] = nid
            self.nodes.append((nid, kind, key, attrs))
        return nid

    def edge(self, kind, src, dst, first=None, last=None, certainty="recorded", attrs=None, qualifier=""):
        self.edges.append((len(self.edges) + 1, kind, src, dst, qualifier, first, last, certainty, attrs))


def attrs(**kv):
    if not kv:
        return None
    return "{" + ",".join('"%s":"%s"' % (k, v) for k, v in sorted(kv.items())) + "}"


def rfc(ns):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ns // 10**9))


def build(args, g: Graph):
    rnd = random.Random(args.seed)
    apps = args.apps
    releases = args.images // apps
    # Packages: names with skewed popularity; each name has 4 versions.
    names = []
    for i in range(args.package_names):
        eco = ("npm", "pypi", "maven", "deb")[i % 4]
        if eco == "maven":
            names.append((eco, "org.example%d" % (i % 37), "lib%d" % i))
        elif eco == "deb":
            names.append((eco, "debian", "pkg%d" % i))
        else:
            names.append((eco, "", "mod%d" % i))
    weights = [1.0 / (1 + i) ** 0.6 for i in range(len(names))]
    pkg_nodes = {}
    for i, (eco, ns, name) in enumerate(names):
        for v in range(4):
            version = "%d.%d.%d" % (1 + v // 2, v % 2, i % 10)
            purl = "pkg:%s/%s%s@%s" % (eco, (ns + "/") if ns else "", name, version)
            nid = g.node("package", purl)
            g.pkg_index.append((nid, eco, ns, name, version))
            pkg_nodes[(i, v)] = nid
    for i in range(len(names)):
        for d in rnd.sample(range(len(names)), 3):
            if d != i:
                g.edge("dependsOn", pkg_nodes[(i, 0)], pkg_nodes[(d, 0)], first=T0, last=T0)

    actions = [g.node("action", "org%d/action%d@%s" % (a % 20, a, commit("action%d" % a))) for a in range(60)]
    identities = [g.node("identity", "actor:github:user%d" % u) for u in range(100)]
    ci_pusher = g.node("identity", "actor:registry:ci-bot")

    app_images = {}
    for app in range(apps):
        repo = g.node("repository", "github.com/acme/app%d" % app)
        wf = g.node("workflow", "github.com/acme/app%d/.github/workflows/release.yml" % app)
        g.edge("definedIn", wf, repo)
        image_repo_key = "registry.acme.example/acme/app%d" % app
        image_repo = g.node("image-repository", image_repo_key)
        secrets = [g.node("secret", "github:acme/app%d:SECRET_%d" % (app, s)) for s in range(4)]
        runs_per_app = args.runs // apps
        release_every = runs_per_app // releases
        app_actions = rnd.sample(actions, 8)
        latest = g.node("tag", image_repo_key + ":latest")
        g.edge("storedIn", latest, image_repo)
        images = []
        for r in range(runs_per_app):
            started = T0 + (r * 300 // runs_per_app) * DAY + (app % 24) * HOUR
            ended = started + 10 * 60 * 10**9
            run_id = 9_000_000_000 + app * 1000 + r
            run = g.node("run", "github:acme/app%d/%d" % (app, run_id),
                         attrs(provider="github", repository="acme/app%d" % app, run_id=str(run_id),
                               attempt="1", started_at=rfc(started), completed_at=rfc(ended)))
            c = g.node("commit", commit("app%d-%d" % (app, r)))
            g.edge("inRepository", c, repo)
            g.edge("ranWorkflow", run, wf, started, ended)
            g.edge("builtFrom", run, c, started, ended)
            g.edge("triggeredBy", run, identities[(app + r) % 100], started, ended)
            for a in app_actions:
                g.edge("usedAction", run, a, started, ended, attrs=attrs(ref="v1"))
            for s in secrets:
                g.edge("couldRead", run, s, started, ended)
            if r % release_every == release_every - 1 and len(images) < releases:
                rel = len(images)
                index = g.node("artifact", sha("app%d-release%d-index" % (app, rel)),
                               attrs(mediaType="application/vnd.oci.image.index.v1+json"))
                manifest = g.node("artifact", sha("app%d-release%d-amd64" % (app, rel)),
                                  attrs(mediaType="application/vnd.oci.image.manifest.v1+json"))
                g.edge("produced", run, index, started, ended)
                g.edge("hasManifest", index, manifest)
                g.edge("storedIn", index, image_repo)
                pushed = ended - 60 * 10**9
                g.edge("pushed", ci_pusher, index, pushed, pushed)
                tag = g.node("tag", "%s:1.%d.0" % (image_repo_key, rel))
                g.edge("storedIn", tag, image_repo)
                g.edge("pointsTo", tag, index, pushed, None, qualifier=str(pushed))
                if images:
                    g.edges[images[-1][2]] = g.edges[images[-1][2]][:6] + (pushed,) + g.edges[images[-1][2]][7:]
                g.edge("pointsTo", latest, index, pushed, None, qualifier=str(pushed))
                latest_edge = len(g.edges) - 1
                sbom = g.node("sbom", "urn:uuid:app%d-release%d" % (app, rel))
                g.edge("describes", sbom, manifest, pushed, pushed)
                chosen = set()
                while len(chosen) < args.packages_per_image:
                    chosen.update(rnd.choices(range(len(names)), weights=weights, k=args.packages_per_image))
                for i in sorted(chosen)[: args.packages_per_image]:
                    v = (app + rel + i) % 4 if i % 3 else (rel // 3) % 4
                    g.edge("contains", manifest, pkg_nodes[(i, v)], pushed, pushed)
                images.append((index, ended, latest_edge))
        app_images[app] = images

    workloads_per_cluster = args.workloads // args.clusters
    for cl in range(args.clusters):
        cluster = g.node("cluster", "cluster%d" % cl)
        for w in range(workloads_per_cluster):
            app = (cl * workloads_per_cluster + w) % apps
            ns_key = "cluster%d/ns%d" % (cl, w % 10)
            if ("namespace", ns_key) not in g.node_ids:
                g.edge("inCluster", g.node("namespace", ns_key), cluster)
            ns = g.node("namespace", ns_key)
            workload = g.node("workload", "cluster%d/ns%d/Deployment/app%d-w%d" % (cl, w % 10, app, w))
            g.edge("inNamespace", workload, ns)
            for s in range(2):
                secret = g.node("secret", "k8s:cluster%d/ns%d/app%d-secret%d" % (cl, w % 10, app, s))
                g.edge("mounts", workload, secret, T0, None)
            images = app_images[app]
            for k, (index, built, _) in enumerate(images):
                start = built + (1 + cl % 5) * HOUR
                if k + 1 < len(images):
                    end = images[k + 1][1] + (2 + cl % 5) * HOUR
                    tight = end - 30 * 60 * 10**9
                    g.edge("ran", workload, index, start, end,
                           attrs=attrs(running="false", last_seen_tight=rfc(tight)))
                else:
                    g.edge("ran", workload, index, start, None, attrs=attrs(running="true"))


def write(args, g: Graph):
    con = g.con
    con.execute("PRAGMA journal_mode = OFF")
    con.execute("PRAGMA synchronous = OFF")
    doc = con.execute(
        "INSERT INTO documents(sha256, format, source, size, ingested_at, observed_at, ingestor, ingestor_version, encoding, content)"
        " VALUES (?, 'generated', 'benchmarks/query/generate_graph.py', 0, ?, ?, 'generator', '1', 'identity', x'')",
        (hashlib.sha256(b"generated-graph-%d" % args.seed).hexdigest(), T0, T0)).lastrowid
    base_node = con.execute("SELECT coalesce(max(id), 0) FROM nodes").fetchone()[0]
    base_edge = con.execute("SELECT coalesce(max(id), 0) FROM edges").fetchone()[0]
    # Schema v1-graph: the first evidence link of a node or edge is inline (document_id,
    # location); package nodes carry their purl parts (purl_type … purl_version).
    purls = {p[0]: p[1:] for p in g.pkg_index}
    con.executemany(
        "INSERT INTO nodes(id, kind, key, attrs, document_id, purl_type, purl_namespace, purl_name, purl_version)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ((n[0] + base_node, n[1], n[2], n[3], doc) + tuple(purls.get(n[0], (None, None, None, None))) for n in g.nodes))
    con.executemany(
        "INSERT INTO edges(id, kind, src, dst, qualifier, first_seen, last_seen, certainty, attrs, document_id)"
        " VALUES (?,?,?,?,?,?,?,?,?,?)",
        ((e[0] + base_edge, e[1], e[2] + base_node, e[3] + base_node) + e[4:] + (doc,) for e in g.edges))
    con.commit()
    con.execute("ANALYZE")
    con.commit()
    with open(args.db + ".nodes.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "kind", "key", "attrs"])
        for n in g.nodes:
            w.writerow((n[0] + base_node, n[1], n[2], n[3] or ""))
    with open(args.db + ".edges.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "kind", "src", "dst", "first_seen", "last_seen", "certainty", "attrs"])
        for e in g.edges:
            w.writerow((e[0] + base_edge, e[1], e[2] + base_node, e[3] + base_node,
                        "" if e[5] is None else e[5], "" if e[6] is None else e[6], e[7], e[8] or ""))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", required=True)
    p.add_argument("--apps", type=int, default=250)
    p.add_argument("--images", type=int, default=2500)
    p.add_argument("--package-names", type=int, default=4000)
    p.add_argument("--packages-per-image", type=int, default=1700)
    p.add_argument("--runs", type=int, default=50000)
    p.add_argument("--clusters", type=int, default=20)
    p.add_argument("--workloads", type=int, default=6000)
    p.add_argument("--seed", type=int, default=20250314)
    args = p.parse_args()
    started = time.time()
    con = sqlite3.connect(args.db)
    g = Graph(con, args.db)
    build(args, g)
    print("built %d nodes, %d edges in %.1fs" % (len(g.nodes), len(g.edges), time.time() - started), file=sys.stderr)
    write(args, g)
    print("wrote %s in %.1fs" % (args.db, time.time() - started), file=sys.stderr)
    print("edges %d" % len(g.edges))


if __name__ == "__main__":
    main()
