#!/usr/bin/env python3
"""Query benchmark: custody blast-radius and trace against DuckDB over the same facts.

  bench.py --custody BIN --db graph.db [--sample 60] [--sample-runs 3] [--seed 3] [--runs 30] [--out results.json]

The graph comes from generate_graph.py (written straight into the case database, with the
same facts as CSV beside it). Questions:

  blast-radius --package P   the headline figure: a sample of `--sample` package versions drawn
                             with a fixed seed from the SBOM popularity distribution (each draw
                             picks one SBOM entry, so a package is drawn in proportion to the
                             images containing it), each asked `--sample-runs` times after a
                             warm-up, custody and DuckDB interleaved package by package; median
                             and p99 over all runs of all sampled packages; JSON (with paths and
                             evidence) and table output;
  stress cases               one package version in ~1%, ~5% and ~30% of the image digests,
                             `--runs` times each, reported separately;
  trace --digest D           one image digest (index of a release);
  trace --workload W         one workload (all the releases it ran).

custody is timed end to end as a user runs it: wall-clock of the whole process (start-up,
opening the case database, the query, rendering, writing the output), plus the process's CPU
time (user + system, which a loaded machine inflates far less than wall-clock); `--timing`
gives the in-process query and render times. DuckDB answers the same questions over the same
nodes and edges as plain tables (hash joins, no indexes), in one process with the connection
open and warmed up (only the query is timed, which favours DuckDB); its CPU time is the
process's over all its threads. The ratio is custody's median over DuckDB's, same run.

Prints a table; with --out writes every figure as JSON.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time


def pct(values, p):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, int(round(p / 100.0 * (len(ordered) - 1)))))
    return ordered[k]


def pick_packages(db):
    import sqlite3
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    total = con.execute("SELECT count(*) FROM edges WHERE kind = 'describes'").fetchone()[0]
    counts = con.execute("""
        SELECT n.key, c.n FROM (SELECT dst, count(*) AS n FROM edges WHERE kind = 'contains' GROUP BY dst) c
        JOIN nodes n ON n.id = c.dst ORDER BY n.key""").fetchall()
    picks = {}
    for label, share in (("rare (1%)", 0.01), ("medium (5%)", 0.05), ("common (30%)", 0.30)):
        target = share * total
        key, n = min(counts, key=lambda kv: (abs(kv[1] - target), kv[0]))
        picks[label] = (key, n)
    digest = con.execute("""
        SELECT a.key FROM edges e JOIN nodes a ON a.id = e.dst WHERE e.kind = 'produced' ORDER BY a.key LIMIT 1""").fetchone()[0]
    workload = con.execute("SELECT key FROM nodes WHERE kind = 'workload' ORDER BY key LIMIT 1").fetchone()[0]
    con.close()
    return total, picks, digest, workload


def time_custody(binary, args, runs, raw=False):
    walls, cpus, queries, renders, size = [], [], [], [], 0
    for i in range(runs + 1):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run([binary] + args + ["--timing"], capture_output=True)
        wall = (time.perf_counter() - start) * 1000
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)) * 1000
        if proc.returncode not in (0, 1):
            raise SystemExit("custody %s failed: %s" % (" ".join(args), proc.stderr.decode()[:500]))
        if i == 0:
            continue  # warm-up: page cache, dynamic linker
        walls.append(wall)
        cpus.append(cpu)
        size = len(proc.stdout)
        for line in proc.stderr.decode().splitlines():
            if line.startswith("timing:"):
                fields = dict(part.split("=") for part in line.split()[1:])
                queries.append(float(fields["query_ms"]))
                renders.append(float(fields["render_ms"]))
    if raw:
        return {"walls": walls, "cpus": cpus, "queries": queries, "renders": renders, "output_bytes": size}
    return {"median_ms": statistics.median(walls), "p99_ms": pct(walls, 99), "min_ms": min(walls),
            "cpu_median_ms": statistics.median(cpus), "cpu_p99_ms": pct(cpus, 99),
            "query_median_ms": statistics.median(queries), "render_median_ms": statistics.median(renders),
            "output_bytes": size}


DUCK_BLAST = """
WITH pkg AS (SELECT id FROM nodes WHERE kind = 'package' AND key = $purl),
a0 AS (SELECT DISTINCT e.src AS id FROM edges e JOIN pkg ON e.dst = pkg.id WHERE e.kind = 'contains'),
a1 AS (SELECT id FROM a0
       UNION SELECT e.src FROM edges e JOIN a0 ON e.dst = a0.id WHERE e.kind IN ('hasManifest', 'baseImage')
       UNION SELECT e.dst FROM edges e JOIN a0 ON e.src = a0.id WHERE e.kind = 'hasManifest'),
runs AS (SELECT DISTINCT e.src AS id FROM edges e JOIN a1 ON e.dst = a1.id WHERE e.kind = 'produced'),
wl AS (SELECT e.src AS workload, e.dst AS digest, e.first_seen, e.last_seen, e.attrs
       FROM edges e JOIN a1 ON e.dst = a1.id WHERE e.kind = 'ran'),
holders AS (SELECT id FROM runs UNION SELECT workload FROM wl),
sec AS (SELECT e.dst AS id, e.src AS holder FROM edges e JOIN holders h ON e.src = h.id
        WHERE e.kind IN ('couldRead', 'mounts'))
SELECT 'artifact', n.key, NULL, NULL, NULL, n.attrs FROM a1 JOIN nodes n ON n.id = a1.id
UNION ALL SELECT 'run', n.key, NULL, NULL, NULL, n.attrs FROM runs JOIN nodes n ON n.id = runs.id
UNION ALL SELECT 'workload', w.key, a.key, wl.first_seen, wl.last_seen, wl.attrs
          FROM wl JOIN nodes w ON w.id = wl.workload JOIN nodes a ON a.id = wl.digest
UNION ALL SELECT 'secret', s.key, h.key, NULL, NULL, NULL FROM sec JOIN nodes s ON s.id = sec.id JOIN nodes h ON h.id = sec.holder
"""

DUCK_TRACE_DIGEST = """
WITH d AS (SELECT id FROM nodes WHERE kind = 'artifact' AND key = $digest),
fam AS (SELECT id FROM d UNION SELECT e.dst FROM edges e JOIN d ON e.src = d.id WHERE e.kind = 'hasManifest'
        UNION SELECT e.src FROM edges e JOIN d ON e.dst = d.id WHERE e.kind = 'hasManifest'),
inc AS (SELECT e.kind, e.src, e.dst, e.first_seen, e.attrs FROM edges e JOIN fam ON e.dst = fam.id
        WHERE e.kind IN ('produced', 'pushed', 'attests', 'describes', 'ran')),
runs AS (SELECT src AS id FROM inc WHERE kind = 'produced'),
re AS (SELECT e.kind, e.src, e.dst FROM edges e JOIN runs ON e.src = runs.id
       WHERE e.kind IN ('ranWorkflow', 'builtFrom', 'triggeredBy')),
repo AS (SELECT e.src, e.dst FROM edges e JOIN re ON e.src = re.dst WHERE e.kind IN ('inRepository', 'definedIn'))
SELECT inc.kind, s.key, t.key, inc.first_seen FROM inc JOIN nodes s ON s.id = inc.src JOIN nodes t ON t.id = inc.dst
UNION ALL SELECT re.kind, s.key, t.key, NULL FROM re JOIN nodes s ON s.id = re.src JOIN nodes t ON t.id = re.dst
UNION ALL SELECT 'repo', s.key, t.key, NULL FROM repo JOIN nodes s ON s.id = repo.src JOIN nodes t ON t.id = repo.dst
"""

DUCK_TRACE_WORKLOAD = """
WITH w AS (SELECT id FROM nodes WHERE kind = 'workload' AND key = $workload),
d AS (SELECT e.dst AS id, e.first_seen, e.last_seen, e.attrs FROM edges e JOIN w ON e.src = w.id WHERE e.kind = 'ran'),
fam AS (SELECT id FROM d UNION SELECT e.dst FROM edges e JOIN d ON e.src = d.id WHERE e.kind = 'hasManifest'
        UNION SELECT e.src FROM edges e JOIN d ON e.dst = d.id WHERE e.kind = 'hasManifest'),
inc AS (SELECT e.kind, e.src, e.dst, e.first_seen FROM edges e JOIN fam ON e.dst = fam.id
        WHERE e.kind IN ('produced', 'pushed', 'attests', 'describes')),
runs AS (SELECT src AS id FROM inc WHERE kind = 'produced'),
re AS (SELECT e.kind, e.src, e.dst FROM edges e JOIN runs ON e.src = runs.id
       WHERE e.kind IN ('ranWorkflow', 'builtFrom', 'triggeredBy')),
repo AS (SELECT e.src, e.dst FROM edges e JOIN re ON e.src = re.dst WHERE e.kind IN ('inRepository', 'definedIn'))
SELECT 'ran', a.key, NULL, d.first_seen FROM d JOIN nodes a ON a.id = d.id
UNION ALL SELECT inc.kind, s.key, t.key, inc.first_seen FROM inc JOIN nodes s ON s.id = inc.src JOIN nodes t ON t.id = inc.dst
UNION ALL SELECT re.kind, s.key, t.key, NULL FROM re JOIN nodes s ON s.id = re.src JOIN nodes t ON t.id = re.dst
UNION ALL SELECT 'repo', s.key, t.key, NULL FROM repo JOIN nodes s ON s.id = repo.src JOIN nodes t ON t.id = repo.dst
"""


def duckdb_connection(db):
    import duckdb
    path = db + ".duckdb"
    fresh = not os.path.exists(path) or os.path.getmtime(path) < os.path.getmtime(db + ".edges.csv")
    if fresh and os.path.exists(path):
        os.remove(path)
    # Read-only once loaded: several benchmark runs (and worktrees) can share it.
    con = duckdb.connect(path, read_only=not fresh)
    if fresh:
        started = time.perf_counter()
        con.execute("CREATE TABLE nodes AS SELECT * FROM read_csv(?, header = true, "
                    "columns = {'id': 'BIGINT', 'kind': 'VARCHAR', 'key': 'VARCHAR', 'attrs': 'VARCHAR'})",
                    [db + ".nodes.csv"])
        con.execute("CREATE TABLE edges AS SELECT * FROM read_csv(?, header = true, "
                    "columns = {'id': 'BIGINT', 'kind': 'VARCHAR', 'src': 'BIGINT', 'dst': 'BIGINT', "
                    "'first_seen': 'BIGINT', 'last_seen': 'BIGINT', 'certainty': 'VARCHAR', 'attrs': 'VARCHAR'})",
                    [db + ".edges.csv"])
        con.execute("CHECKPOINT")
        print("duckdb: loaded %s in %.1fs" % (path, time.perf_counter() - started), file=sys.stderr)
    return con


def time_duckdb(con, sql, params, runs, raw=False):
    rows = con.execute(sql, params).fetchall()  # warm-up
    times, cpus = [], []
    for _ in range(runs):
        cpu_start = time.process_time()
        start = time.perf_counter()
        rows = con.execute(sql, params).fetchall()
        times.append((time.perf_counter() - start) * 1000)
        cpus.append((time.process_time() - cpu_start) * 1000)
    if raw:
        return {"times": times, "cpus": cpus}
    return {"median_ms": statistics.median(times), "p99_ms": pct(times, 99), "min_ms": min(times),
            "cpu_median_ms": statistics.median(cpus), "cpu_p99_ms": pct(cpus, 99), "rows": len(rows)}


def sample_packages(db, count, seed):
    """`count` distinct package versions drawn with a fixed seed from the SBOM popularity
    distribution: each draw picks one `contains` edge (one package entry of one SBOM) at random,
    so a package is drawn in proportion to the number of images that contain it."""
    import random
    import sqlite3
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    counts = con.execute("""
        SELECT n.key, c.n FROM (SELECT dst, count(*) AS n FROM edges WHERE kind = 'contains' GROUP BY dst) c
        JOIN nodes n ON n.id = c.dst ORDER BY n.key""").fetchall()
    con.close()
    rnd = random.Random(seed)
    keys = [k for k, _ in counts]
    weights = [n for _, n in counts]
    images = dict(counts)
    chosen = []
    while len(chosen) < min(count, len(keys)):
        key = rnd.choices(keys, weights=weights, k=1)[0]
        if key not in chosen:
            chosen.append(key)
    return [(key, images[key]) for key in chosen]


def summary(values):
    return {"median_ms": statistics.median(values), "p99_ms": pct(values, 99), "max_ms": max(values)}


def sample_run(args, con, packages, fmt):
    """Every sampled package `--sample-runs` times (after one warm-up each), custody and
    DuckDB interleaved package by package so that both see the same load."""
    walls, cpus, queries, renders, sizes = [], [], [], [], []
    d_walls, d_cpus = [], []
    b_walls, b_cpus = [], []
    for purl, _ in packages:
        c = time_custody(args.custody, ["blast-radius", "--package", purl, "--format", fmt, "--db", args.db],
                         args.sample_runs, raw=True)
        walls += c["walls"]; cpus += c["cpus"]; queries += c["queries"]; renders += c["renders"]
        sizes.append(c["output_bytes"])
        d = time_duckdb(con, DUCK_BLAST, {"purl": purl}, args.sample_runs, raw=True)
        d_walls += d["times"]; d_cpus += d["cpus"]
        if args.baseline:
            b = time_custody(args.baseline, ["blast-radius", "--package", purl, "--format", fmt, "--db", args.baseline_db or args.db],
                             args.sample_runs, raw=True)
            b_walls += b["walls"]; b_cpus += b["cpus"]
    custody = {"median_ms": statistics.median(walls), "p99_ms": pct(walls, 99), "max_ms": max(walls),
               "cpu_median_ms": statistics.median(cpus), "cpu_p99_ms": pct(cpus, 99),
               "query_median_ms": statistics.median(queries), "render_median_ms": statistics.median(renders),
               "output_bytes_median": statistics.median(sizes), "samples": len(walls)}
    duck = {"median_ms": statistics.median(d_walls), "p99_ms": pct(d_walls, 99), "max_ms": max(d_walls),
            "cpu_median_ms": statistics.median(d_cpus), "cpu_p99_ms": pct(d_cpus, 99), "samples": len(d_walls)}
    if b_walls:
        custody["baseline"] = {"median_ms": statistics.median(b_walls), "p99_ms": pct(b_walls, 99),
                               "cpu_median_ms": statistics.median(b_cpus), "cpu_p99_ms": pct(b_cpus, 99)}
    return custody, duck


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--custody", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each stress case and trace")
    parser.add_argument("--sample", type=int, default=60, help="packages in the popularity sample")
    parser.add_argument("--sample-runs", type=int, default=3, help="timed runs of each sampled package")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--baseline", help="an earlier custody binary, timed alongside (before/after)")
    parser.add_argument("--baseline-db", help="the case database the baseline reads (default: --db): a custody from "
                        "before a schema migration refuses a database a newer one migrated; a copy of the same facts")
    parser.add_argument("--out")
    args = parser.parse_args()

    images, picks, digest, workload = pick_packages(args.db)
    packages = sample_packages(args.db, args.sample, args.seed)
    con = duckdb_connection(args.db)
    spread = sorted(n for _, n in packages)
    results = {"images": images, "runs": args.runs, "sample": {
        "packages": [{"purl": k, "images": n} for k, n in packages], "seed": args.seed,
        "runs_per_package": args.sample_runs,
        "images_min": spread[0], "images_median": statistics.median(spread), "images_max": spread[-1]},
        "questions": []}
    base = ["--db", args.db]
    rows = []

    def custody(question):
        c = time_custody(args.custody, question, args.runs)
        if args.baseline:
            b = time_custody(args.baseline, [args.baseline_db if a == args.db and args.baseline_db else a for a in question],
                             args.runs)
            c["baseline"] = {k: b[k] for k in ("median_ms", "p99_ms", "cpu_median_ms", "cpu_p99_ms", "query_median_ms", "render_median_ms")}
        return c

    label = "sample of %d packages (%d-%d images, median %d), %d runs each" % (
        len(packages), spread[0], spread[-1], statistics.median(spread), args.sample_runs)
    for fmt in ("json", "table"):
        c, d = sample_run(args, con, packages, fmt)
        rows.append(("blast-radius %s --format %s" % (label, fmt), c, d))
    for label, (purl, n) in picks.items():
        for fmt in ("json", "table"):
            c = custody(["blast-radius", "--package", purl, "--format", fmt] + base)
            d = time_duckdb(con, DUCK_BLAST, {"purl": purl}, args.runs)
            rows.append(("blast-radius %s %s (%d images) --format %s" % (label, purl, n, fmt), c, d))
    c = custody(["trace", "--digest", digest, "--format", "json"] + base)
    rows.append(("trace --digest %s" % digest[:19], c, time_duckdb(con, DUCK_TRACE_DIGEST, {"digest": digest}, args.runs)))
    c = custody(["trace", "--workload", workload, "--format", "json"] + base)
    rows.append(("trace --workload %s" % workload, c, time_duckdb(con, DUCK_TRACE_WORKLOAD, {"workload": workload}, args.runs)))

    for name, c, d in rows:
        results["questions"].append({"question": name, "custody": c, "duckdb": d,
                                     "ratio_median": c["median_ms"] / d["median_ms"],
                                     "ratio_cpu_median": c["cpu_median_ms"] / d["cpu_median_ms"]})
    results["load_average_end"] = os.getloadavg()
    if args.out:
        with open(args.out, "w") as f:
            json.dump(results, f, indent=2)
    print("load average at the end: %.2f %.2f %.2f on %d CPUs" % (os.getloadavg() + (os.cpu_count(),)))
    header = ("median", "p99", "cpu med", "cpu p99", "query", "render", "duck med", "duck p99", "duck cpu", "ratio")
    for name, c, d in rows:
        print(name)
        print("    " + "".join("%11s" % h for h in header))
        print("    " + "".join("%9.1fms" % v for v in (
            c["median_ms"], c["p99_ms"], c["cpu_median_ms"], c["cpu_p99_ms"], c["query_median_ms"], c["render_median_ms"],
            d["median_ms"], d["p99_ms"], d["cpu_median_ms"])) + "%10.2fx" % (c["median_ms"] / d["median_ms"]))
        if "baseline" in c:
            b = c["baseline"]
            print("    baseline: median %.1fms p99 %.1fms cpu median %.1fms cpu p99 %.1fms" % (
                b["median_ms"], b["p99_ms"], b["cpu_median_ms"], b["cpu_p99_ms"]))


if __name__ == "__main__":
    main()
