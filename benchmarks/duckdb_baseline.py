#!/usr/bin/env python3
"""Reference loaders for the custody ingest benchmark.

  duckdb_baseline.py FILE [--runs N] [--json-load] [--workdir DIR]
  duckdb_baseline.py FILE --serve [--workdir DIR]

DuckDB (default): for each run, a fresh on-disk DuckDB database is created, the CycloneDX file
is read once with `read_json` into a staging table, and its components and dependency edges
are unnested into two tables:

    components(bom_ref, type, "group", name, version, purl, hashes, properties)   -- one row per component
    dependencies(ref, depends_on)                                                 -- one row per edge

then the database is checkpointed and closed. The clock runs from opening the database to
closing it (the `import duckdb` and interpreter start are not counted, which makes the
baseline faster, i.e. the comparison stricter for custody). Row counts are checked.

--json-load: instead, time Python's `json.load` of the file (a sanity reference for what
"parse 50 MB of JSON" costs; nothing is stored).

Each run's seconds go to standard error; the last line of standard output is
`median_seconds <S>` for scripts.

--serve: after the warm-up, one DuckDB run per line read from standard input, each answered
at once on standard output with `seconds <S> components <N> edges <M>`; ends at end of input.
benchmarks/run.sh uses it to alternate DuckDB's runs with custody's, so that both see the
same load on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time


def duckdb_once(path: str, workdir: str) -> tuple[float, int, int]:
    import duckdb  # imported here so that --json-load runs without it

    db_path = os.path.join(workdir, "baseline.duckdb")
    for leftover in (db_path, db_path + ".wal"):
        if os.path.exists(leftover):
            os.remove(leftover)
    start = time.perf_counter()
    con = duckdb.connect(db_path)
    # One JSON document of ~50 MB: raise read_json's per-object limit (default 16 MB).
    con.execute(
        """
        CREATE TEMP TABLE bom AS
        SELECT components, dependencies
        FROM read_json(?, format = 'auto', records = true, maximum_object_size = 2147483647)
        """,
        [path],
    )
    con.execute(
        """
        CREATE TABLE components AS
        SELECT c."bom-ref" AS bom_ref, c.type, c."group", c.name, c.version, c.purl, c.hashes, c.properties
        FROM (SELECT unnest(components) AS c FROM bom)
        """
    )
    con.execute(
        """
        CREATE TABLE dependencies AS
        SELECT d.ref AS ref, unnest(d.dependsOn) AS depends_on
        FROM (SELECT unnest(dependencies) AS d FROM bom)
        """
    )
    con.execute("DROP TABLE bom")
    con.execute("CHECKPOINT")
    ncomp = con.execute("SELECT count(*) FROM components").fetchone()[0]
    nedge = con.execute("SELECT count(*) FROM dependencies").fetchone()[0]
    con.close()
    elapsed = time.perf_counter() - start
    return elapsed, ncomp, nedge


def json_load_once(path: str) -> tuple[float, int, int]:
    start = time.perf_counter()
    with open(path, "rb") as fh:
        doc = json.load(fh)
    elapsed = time.perf_counter() - start
    ncomp = len(doc.get("components") or [])
    nedge = sum(len(d.get("dependsOn") or []) for d in doc.get("dependencies") or [])
    return elapsed, ncomp, nedge


def serve(path: str, workdir: str, warmup: int, json_load: bool) -> int:
    """One measured run per line of standard input (run.sh alternates them with custody's)."""
    once = json_load_once if json_load else (lambda p: duckdb_once(p, workdir))
    for _ in range(warmup):
        once(path)
    print("ready", flush=True)
    for _ in sys.stdin:
        elapsed, ncomp, nedge = once(path)
        print(f"seconds {elapsed:.4f} components {ncomp} edges {nedge}", flush=True)
        if ncomp == 0:
            print(f"error: no components in {path}", file=sys.stderr)
            return 1
    return 0


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file", help="CycloneDX JSON file (from generate_sbom.py)")
    ap.add_argument("--runs", type=int, default=5, help="measured runs (default 5); the median is reported")
    ap.add_argument("--warmup", type=int, default=1, help="unmeasured runs first (default 1)")
    ap.add_argument("--json-load", action="store_true", help="time Python's json.load instead of DuckDB")
    ap.add_argument("--workdir", help="where the DuckDB files go (default: a temporary directory)")
    ap.add_argument("--serve", action="store_true",
                    help="after the warm-up, one DuckDB run per line of standard input, answered on standard output")
    args = ap.parse_args(argv)
    if not os.path.isfile(args.file):
        print(f"error: no such file: {args.file}", file=sys.stderr)
        return 2
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    path = os.path.abspath(args.file)

    label = "json.load" if args.json_load else "duckdb"
    workdir = args.workdir or tempfile.mkdtemp(prefix="custody-duckdb-")
    os.makedirs(workdir, exist_ok=True)
    try:
        if not args.json_load:
            import duckdb

            print(f"duckdb {duckdb.__version__}, threads = {os.cpu_count()}", file=sys.stderr)
        if args.serve:
            return serve(path, workdir, args.warmup, args.json_load)
        times: list[float] = []
        for i in range(args.warmup + args.runs):
            if args.json_load:
                elapsed, ncomp, nedge = json_load_once(path)
            else:
                elapsed, ncomp, nedge = duckdb_once(path, workdir)
            measured = i >= args.warmup
            if measured:
                times.append(elapsed)
            print(f"{label} {'run' if measured else 'warm-up'} {i + 1 - args.warmup if measured else i + 1}: "
                  f"{elapsed:.3f} s ({ncomp} components, {nedge} edges)", file=sys.stderr)
            if ncomp == 0:
                print(f"error: {label} found no components in {path}", file=sys.stderr)
                return 1
        median = statistics.median(times)
        print(f"{label} runs {' '.join(f'{t:.3f}' for t in times)}")
        print(f"median_seconds {median:.4f}")
        return 0
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
