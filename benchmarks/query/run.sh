#!/usr/bin/env bash
# Query benchmark for custody (see benchmarks/query/README.md).
#
#   bash benchmarks/query/run.sh
#
# Builds custody in release mode, generates the >= 5 million edge graph into
# benchmarks/out/query/graph.db once (regenerate with BENCH_REGENERATE=1), then times
# blast-radius and trace against DuckDB over the same facts (benchmarks/query/bench.py).
#
# Environment:
#   BENCH_RUNS=N         timed runs per stress case and trace (default 30)
#   BENCH_SAMPLE=N       packages in the popularity sample (default 60)
#   BENCH_SAMPLE_RUNS=N  timed runs per sampled package (default 3)
#   CUSTODY_BIN=PATH     use this custody binary instead of building one
#   BENCH_BASELINE=PATH  also time this (earlier) custody binary, for before/after figures
#   BENCH_BASELINE_DB=PATH  the case database the baseline reads (a copy of the graph from
#                        before a migration the new binary applied, which the baseline refuses;
#                        this script migrates the graph to CUSTODY_BIN's schema first)
#   BENCH_REGENERATE=1   regenerate the graph
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$ROOT/benchmarks/out/query"
DB="$OUT/graph.db"
mkdir -p "$OUT"

if [ -z "${CUSTODY_BIN:-}" ]; then
  # As scripts/demo.sh builds it: a static Swift standard library (~10 ms less start-up).
  (cd "$ROOT" && swift build -c release --static-swift-stdlib --product custody >&2)
  CUSTODY_BIN="$ROOT/.build/release/custody"
fi

VENV="$ROOT/benchmarks/.venv"
if ! "$VENV/bin/python" -c "import duckdb" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet duckdb
fi

# One tiny SBOM: ingested into a new graph, it creates the case with custody's own schema;
# ingested again into an existing one (already present: nothing is written), it brings the
# schema up to this binary's (e.g. v4-ran-index), which a read-only query would not.
SEED="$OUT/seed.cdx.json"
cat > "$SEED" <<'JSON'
{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
 "metadata": {"timestamp": "2025-01-01T00:00:00Z",
   "component": {"type": "container", "name": "seed", "version": "sha256:0000000000000000000000000000000000000000000000000000000000000000"}},
 "components": [{"type": "library", "name": "seed", "version": "1.0.0", "purl": "pkg:generic/seed@1.0.0"}]}
JSON
if [ ! -f "$DB" ] || [ "${BENCH_REGENERATE:-0}" = 1 ]; then
  rm -f "$DB" "$DB"-* "$DB".*
  "$CUSTODY_BIN" ingest "$SEED" --db "$DB" >&2
  "$VENV/bin/python" "$HERE/generate_graph.py" --db "$DB" >&2
else
  "$CUSTODY_BIN" ingest "$SEED" --db "$DB" >&2
fi

"$VENV/bin/python" "$HERE/bench.py" --custody "$CUSTODY_BIN" --db "$DB" --runs "${BENCH_RUNS:-30}" \
  --sample "${BENCH_SAMPLE:-60}" --sample-runs "${BENCH_SAMPLE_RUNS:-3}" \
  ${BENCH_BASELINE:+--baseline "$BENCH_BASELINE"} ${BENCH_BASELINE_DB:+--baseline-db "$BENCH_BASELINE_DB"} \
  --out "$OUT/results.json"
