#!/usr/bin/env bash
# Ingest benchmarks for custody (see benchmarks/README.md).
#
#   bash benchmarks/run.sh
#
# Builds custody in release mode, generates deterministic inputs into benchmarks/out/ (results,
# logs and databases go to benchmarks/out/ingest/), runs
# every measurement BENCH_RUNS times (default 5, at least 3) with a fresh case database each
# time, prints a table of medians and exits non-zero when a target is missed:
#
#   1. custody ingest of a 100,000-component / 300,000-edge CycloneDX 1.5 file (~50 MB)
#      takes at most half the time DuckDB takes to read_json + unnest the same file (their
#      runs alternate, so that both see the same load);
#   2. peak RSS of that ingest is at most 4 x the file size;
#   3. re-ingesting the same file (already present) takes under 0.2 s;
#   4. one `custody ingest DIR` of 1,000 SBOMs x 500 components takes under 10 s.
#
# Python's json.load of the big file is timed too, as a sanity reference (no target).
#
# Environment:
#   BENCH_RUNS=N        measured runs per measurement (3-9, default 5)
#   CUSTODY_BIN=PATH    use this custody binary instead of building one
#   BENCH_KEEP_DBS=1    keep the case databases in benchmarks/out/ingest/db/ afterwards
#   BENCH_FLEET_GIVE_UP_S=S  once a fleet run is slower than S seconds (default 60, 6x the
#                       target), skip the remaining fleet runs: the verdict cannot change
#
# Exit status: 0 all targets met, 1 a target missed, 2 the benchmark itself could not run.

set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
OUT="$BENCH_DIR/out"                 # inputs (shared with other benchmarks' files: ours are named below)
WORK="$OUT/ingest"                   # this benchmark's databases, logs and results
DB_DIR="$WORK/db"
LOG_DIR="$WORK/logs"
VENV="$BENCH_DIR/.venv"

RUNS="${BENCH_RUNS:-5}"
COMPONENTS=100000
EDGES=300000
FLEET_FILES=1000
FLEET_COMPONENTS=500

MAX_RATIO=0.5          # custody time / DuckDB time
MAX_RSS_FACTOR=4       # peak RSS / file size
MAX_REINGEST_S=0.2
MAX_FLEET_S=10
FLEET_GIVE_UP_S="${BENCH_FLEET_GIVE_UP_S:-60}"   # stop repeating fleet runs once one is slower than this

BIG="$OUT/sbom-${COMPONENTS}c-${EDGES}e.cdx.json"
FLEET="$OUT/fleet-${FLEET_FILES}x${FLEET_COMPONENTS}"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 2; }

if ! [[ "$RUNS" =~ ^[0-9]+$ ]] || (( RUNS < 3 || RUNS > 9 )); then
    die "BENCH_RUNS must be a number from 3 to 9 (got '$RUNS')"
fi

mkdir -p "$OUT" "$WORK" "$DB_DIR" "$LOG_DIR"

# ---------------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------------

as_root() {
    if [[ $(id -u) -eq 0 ]]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else return 1
    fi
}

command -v python3 >/dev/null 2>&1 || die "python3 is needed (to generate inputs and run the baselines)"

if [[ ! -x /usr/bin/time ]]; then
    say "installing GNU time (Debian package 'time') to measure peak RSS"
    { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; } \
        || die "/usr/bin/time is missing and could not be installed; install the Debian package 'time'"
    [[ -x /usr/bin/time ]] || die "/usr/bin/time still missing after installing 'time'"
fi
/usr/bin/time -v true 2>/dev/null || die "/usr/bin/time does not support -v (GNU time needed)"

# DuckDB: a venv in benchmarks/.venv (git-ignored), else pip --user.
PY=""
if [[ -x "$VENV/bin/python" ]] && "$VENV/bin/python" -c 'import duckdb' 2>/dev/null; then
    PY="$VENV/bin/python"
elif python3 -c 'import duckdb' 2>/dev/null; then
    PY="$(command -v python3)"
else
    say "installing duckdb (PyPI) into $VENV"
    if { [[ -x "$VENV/bin/python" ]] || python3 -m venv "$VENV"; } \
        && "$VENV/bin/python" -m pip install -q --disable-pip-version-check duckdb; then
        PY="$VENV/bin/python"
    else
        say "venv install failed; trying pip install --user duckdb"
        python3 -m pip install -q --user --disable-pip-version-check duckdb || die "could not install duckdb from PyPI"
        PY="$(command -v python3)"
    fi
    "$PY" -c 'import duckdb' || die "duckdb installed but cannot be imported by $PY"
fi
DUCKDB_VERSION="$("$PY" -c 'import duckdb; print(duckdb.__version__)')"

# ---------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------

if [[ -n "${CUSTODY_BIN:-}" ]]; then
    BIN="$CUSTODY_BIN"
    [[ -x "$BIN" ]] || die "CUSTODY_BIN=$BIN is not an executable"
    say "using $BIN (CUSTODY_BIN; not building)"
else
    command -v swift >/dev/null 2>&1 || die "swift is needed to build custody (or set CUSTODY_BIN)"
    say "building custody (swift build -c release --product custody)"
    if ! (cd "$ROOT" && swift build -c release --product custody) >"$LOG_DIR/build.log" 2>&1; then
        tail -n 40 "$LOG_DIR/build.log" >&2
        die "release build failed (full log: $LOG_DIR/build.log)"
    fi
    BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)/custody"
    [[ -x "$BIN" ]] || die "build succeeded but $BIN is missing"
fi

# ---------------------------------------------------------------------------------------------
# Inputs (deterministic; regenerated only when the generator or the sizes change)
# ---------------------------------------------------------------------------------------------

GEN="$BENCH_DIR/generate_sbom.py"
gen_hash="$(sha256sum "$GEN" | cut -c1-16)"

stamp_ok() { [[ -f "$1.stamp" ]] && [[ "$(cat "$1.stamp")" == "$2" ]]; }

big_key="$gen_hash $COMPONENTS $EDGES"
if [[ -f "$BIG" ]] && stamp_ok "$BIG" "$big_key"; then
    say "input $BIG is up to date"
else
    say "generating $BIG ($COMPONENTS components, $EDGES edges)"
    python3 "$GEN" --components "$COMPONENTS" --edges "$EDGES" --out "$BIG" >&2
    printf '%s' "$big_key" >"$BIG.stamp"
fi

fleet_key="$gen_hash $FLEET_FILES $FLEET_COMPONENTS"
if [[ -d "$FLEET" ]] && stamp_ok "$FLEET" "$fleet_key"; then
    say "input $FLEET/ is up to date"
else
    say "generating $FLEET/ ($FLEET_FILES SBOMs x $FLEET_COMPONENTS components)"
    rm -rf "$FLEET"
    python3 "$GEN" --fleet "$FLEET_FILES" --components "$FLEET_COMPONENTS" --out-dir "$FLEET" >&2
    printf '%s' "$fleet_key" >"$FLEET.stamp"
fi

BIG_BYTES="$(stat -c %s "$BIG")"
FLEET_BYTES="$(du -sb "$FLEET" | cut -f1)"
FLEET_COUNT="$(find "$FLEET" -type f -name '*.json' | wc -l)"
(( FLEET_COUNT == FLEET_FILES )) || die "$FLEET holds $FLEET_COUNT files, expected $FLEET_FILES"

# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------

fresh_db() {  # fresh_db NAME -> path of an absent database file
    local db="$DB_DIR/$1.db"
    rm -f "$db" "$db-wal" "$db-shm" "$db-journal"
    printf '%s' "$db"
}

# timed LOG CMD... : runs CMD under GNU time; sets T_SECONDS (wall, ns clock), T_RSS_KB,
# T_CPU (user + sys seconds: far less sensitive than wall time to other work on the machine)
# and T_WRITTEN_MB (file system output, what the kernel accounted as written).
T_SECONDS=""
T_RSS_KB=""
T_CPU=""
T_WRITTEN_MB=""
timed() {
    local log="$1"; shift
    local tfile="$log.time"
    local start end status=0
    start="$(date +%s%N)"
    /usr/bin/time -v -o "$tfile" "$@" >"$log" 2>&1 || status=$?
    end="$(date +%s%N)"
    if (( status != 0 )); then
        printf 'error: command failed with status %d: %s\n' "$status" "$*" >&2
        tail -n 30 "$log" >&2
        exit 2
    fi
    T_SECONDS="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')"
    T_RSS_KB="$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$tfile")"
    T_CPU="$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "$tfile")"
    T_WRITTEN_MB="$(awk -F': ' '/File system outputs/ { printf "%.0f", $2 * 512 / 1e6 }' "$tfile")"
    [[ -n "$T_RSS_KB" ]] || die "could not read the peak RSS from $tfile"
}

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) printf "%.4f", a[(NR + 1) / 2]; else printf "%.4f", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
maximum() { printf '%s\n' "$@" | sort -g | tail -n 1; }
joined() { local IFS=' '; printf '%s' "$*"; }

# read_stats DB: sets docs, nodes, edges from `custody stats --format json` (its totals table).
read_stats() {
    local json
    json="$("$BIN" stats --db "$1" --format json)" || die "custody stats failed on $1"
    read -r docs nodes edges < <(printf '%s' "$json" | python3 -c '
import json, sys
totals = {row.get("what"): row.get("value") for row in json.load(sys.stdin).get("totals", [])}
print(*(totals.get(k) or "?" for k in ("documents", "nodes", "edges")))') || die "cannot read custody stats --format json output"
}

# ---------------------------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------------------------

cat "$BIG" >/dev/null  # page cache warm for every contender alike
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
io_pressure() { [[ -r /proc/pressure/io ]] && awk '/^some/ { sub(/avg10=/, "", $2); print $2 "%" }' /proc/pressure/io || echo n/a; }
IO_BEFORE="$(io_pressure)"

# DuckDB runs in one warm process (`--serve`) that answers one run per request, so that its
# runs alternate with custody's: on a shared machine the load drifts over minutes, and two
# blocks of runs minutes apart can differ by a quarter whichever tool is measured.
say "DuckDB $DUCKDB_VERSION read_json + unnest of the same file: 1 warm-up, then $RUNS runs alternated with custody's"
rm -rf "$DB_DIR/duckdb"
: >"$LOG_DIR/duckdb.log"
coproc DUCK { exec "$PY" "$BENCH_DIR/duckdb_baseline.py" "$BIG" --serve --workdir "$DB_DIR/duckdb" 2>"$LOG_DIR/duckdb.err"; }
# Bash unsets DUCK and DUCK_PID once the process has exited: keep copies of its pid and pipes.
duck_pid="$DUCK_PID"
exec {duck_out}<&"${DUCK[0]}" {duck_in}>&"${DUCK[1]}"
exec {DUCK[0]}<&- {DUCK[1]}>&-
duck_reply() {  # duck_reply -> one line from the DuckDB process, or the benchmark stops
    local line
    if ! IFS= read -r -t 600 -u "$duck_out" line; then
        cat "$LOG_DIR/duckdb.err" >&2
        die "the DuckDB baseline stopped answering (log: $LOG_DIR/duckdb.err)"
    fi
    printf '%s\n' "$line" >>"$LOG_DIR/duckdb.log"
    REPLY_LINE="$line"
}
REPLY_LINE=""
duck_reply
[[ "$REPLY_LINE" == ready ]] || die "unexpected answer from the DuckDB baseline: $REPLY_LINE"
duck_s=()
duck_run() {  # one measured DuckDB run; appends its seconds to duck_s
    printf 'run\n' >&"$duck_in"
    duck_reply
    local -a words
    read -r -a words <<<"$REPLY_LINE"
    [[ "${words[0]:-}" == seconds && "${words[3]:-0}" -ge "$COMPONENTS" ]] \
        || die "unexpected answer from the DuckDB baseline: $REPLY_LINE"
    duck_s+=("${words[1]}")
}

say "custody ingest of $(basename "$BIG") ($BIG_BYTES bytes): 1 warm-up + $RUNS runs, fresh database each"
db="$(fresh_db warmup)"
timed "$LOG_DIR/custody-warmup.log" "$BIN" ingest "$BIG" --db "$db"
ingest_s=(); ingest_rss=(); ingest_cpu=(); ingest_mb=(); reingest_s=(); reingest_cpu=()
for i in $(seq 1 "$RUNS"); do
    db="$(fresh_db "big-$i")"
    timed "$LOG_DIR/custody-big-$i.log" "$BIN" ingest "$BIG" --db "$db"
    ingest_s+=("$T_SECONDS"); ingest_rss+=("$T_RSS_KB"); ingest_cpu+=("$T_CPU"); ingest_mb+=("$T_WRITTEN_MB")
    say "  run $i: ${T_SECONDS} s (CPU ${T_CPU} s), peak RSS $((T_RSS_KB / 1024)) MiB, wrote ${T_WRITTEN_MB} MB"
    timed "$LOG_DIR/custody-reingest-$i.log" "$BIN" ingest "$BIG" --db "$db"
    reingest_s+=("$T_SECONDS"); reingest_cpu+=("$T_CPU")
    say "  re-ingest $i: ${T_SECONDS} s (CPU ${T_CPU} s)"
    duck_run
    say "  DuckDB run $i: ${duck_s[-1]} s"
    if (( i == 1 )); then
        read_stats "$db"
        say "  stats after run 1 and its re-ingest: documents=$docs nodes=$nodes edges=$edges"
        [[ "$docs" == 1 ]] || die "expected 1 document after ingesting $BIG twice, custody stats says '$docs' (see $LOG_DIR/custody-big-1.log)"
        [[ "$nodes" =~ ^[0-9]+$ ]] && (( nodes >= COMPONENTS )) || die "expected at least $COMPONENTS nodes, custody stats says '$nodes'"
        [[ "$edges" =~ ^[0-9]+$ ]] && (( edges >= EDGES )) || die "expected at least $EDGES edges, custody stats says '$edges'"
    fi
    [[ -n "${BENCH_KEEP_DBS:-}" ]] || rm -f "$db" "$db-wal" "$db-shm" "$db-journal"
done
rm -f "$DB_DIR/warmup.db" "$DB_DIR/warmup.db-wal" "$DB_DIR/warmup.db-shm" "$DB_DIR/warmup.db-journal"

exec {duck_in}>&- {duck_out}<&-   # end of input: the DuckDB process exits
wait "$duck_pid" || die "the DuckDB baseline failed (log: $LOG_DIR/duckdb.err)"
rm -rf "$DB_DIR/duckdb"
duck_median="$(median "${duck_s[@]}")"
duck_runs="$(joined "${duck_s[@]}")"

say "Python json.load of the same file (sanity reference): 1 warm-up + $RUNS runs"
python3 "$BENCH_DIR/duckdb_baseline.py" "$BIG" --json-load --runs "$RUNS" >"$LOG_DIR/jsonload.log" 2>"$LOG_DIR/jsonload.err" \
    || { cat "$LOG_DIR/jsonload.err" >&2; die "json.load baseline failed"; }
json_median="$(awk '/^median_seconds/ { print $2 }' "$LOG_DIR/jsonload.log")"
json_runs="$(awk '/^json.load runs/ { $1 = ""; $2 = ""; sub(/^ +/, ""); print }' "$LOG_DIR/jsonload.log")"
say "  runs: $json_runs"

say "custody ingest of $FLEET_FILES SBOMs x $FLEET_COMPONENTS components (one call on the directory): $RUNS runs"
fleet_s=(); fleet_rss=(); fleet_cpu=(); fleet_mb=(); fleet_note=""
for i in $(seq 1 "$RUNS"); do
    db="$(fresh_db "fleet-$i")"
    timed "$LOG_DIR/custody-fleet-$i.log" "$BIN" ingest "$FLEET" --db "$db"
    fleet_s+=("$T_SECONDS"); fleet_rss+=("$T_RSS_KB"); fleet_cpu+=("$T_CPU"); fleet_mb+=("$T_WRITTEN_MB")
    say "  run $i: ${T_SECONDS} s (CPU ${T_CPU} s), peak RSS $((T_RSS_KB / 1024)) MiB, wrote ${T_WRITTEN_MB} MB"
    if (( i == 1 )); then
        read_stats "$db"
        say "  stats after run 1: documents=$docs nodes=$nodes edges=$edges, database $(du -m "$db" 2>/dev/null | cut -f1 || true) MB"
        [[ "$docs" == "$FLEET_FILES" ]] || die "expected $FLEET_FILES documents, custody stats says '$docs' (see $LOG_DIR/custody-fleet-1.log)"
    fi
    [[ -n "${BENCH_KEEP_DBS:-}" ]] || rm -f "$db" "$db-wal" "$db-shm" "$db-journal"
    if awk -v t="$T_SECONDS" -v cap="$FLEET_GIVE_UP_S" 'BEGIN { exit !(t > cap) }'; then
        # Far past the target: more runs cannot change the verdict, only take many minutes.
        fleet_note=" (stopped after run $i: it took more than ${FLEET_GIVE_UP_S} s)"
        (( i == RUNS )) || say "  that run took more than ${FLEET_GIVE_UP_S} s (target ${MAX_FLEET_S} s); skipping the remaining runs"
        break
    fi
done

# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------

ingest_median="$(median "${ingest_s[@]}")"
reingest_median="$(median "${reingest_s[@]}")"
fleet_median="$(median "${fleet_s[@]}")"
rss_max_kb="$(maximum "${ingest_rss[@]}")"
ratio="$(awk -v a="$ingest_median" -v b="$duck_median" 'BEGIN { printf "%.3f", a / b }')"
pair_ratios=()
for i in "${!ingest_s[@]}"; do pair_ratios+=("$(awk -v a="${ingest_s[$i]}" -v b="${duck_s[$i]}" 'BEGIN { printf "%.3f", a / b }')"); done
rss_factor="$(awk -v r="$rss_max_kb" -v s="$BIG_BYTES" 'BEGIN { printf "%.2f", r * 1024 / s }')"

failures=0
verdict() {  # verdict VALUE OP LIMIT -> PASS/FAIL (and counts failures)
    if awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { exit !((op == "<=" && v <= l) || (op == "<" && v < l)) }'; then
        printf 'PASS'
    else
        printf 'FAIL'
    fi
}
v_ratio="$(verdict "$ratio" '<=' "$MAX_RATIO")"
v_rss="$(verdict "$rss_factor" '<=' "$MAX_RSS_FACTOR")"
v_re="$(verdict "$reingest_median" '<' "$MAX_REINGEST_S")"
v_fleet="$(verdict "$fleet_median" '<' "$MAX_FLEET_S")"
for v in "$v_ratio" "$v_rss" "$v_re" "$v_fleet"; do [[ "$v" == PASS ]] || failures=$((failures + 1)); done

LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
IO_AFTER="$(io_pressure)"
REPORT="$WORK/results.md"
{
    printf '## custody ingest benchmark, %s\n\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
    printf -- '- machine: %s cores, %s; %s\n' "$(nproc)" \
        "$(lscpu 2>/dev/null | awk -F': +' '/^Model name/ { print $2; exit }')" \
        "$(free -g | awk '/^Mem:/ { print $2 " GiB RAM" }')"
    printf -- '- load average (1/5/15 min) before: %s, after: %s; I/O pressure (PSI some avg10) before: %s, after: %s (other work on the machine skews wall times; CPU times much less)\n' "$LOAD_BEFORE" "$LOAD_AFTER" "$IO_BEFORE" "$IO_AFTER"
    printf -- '- custody: %s (%s)\n' "$BIN" "$(cd "$ROOT" && git describe --always --dirty 2>/dev/null || echo 'no commit')"
    printf -- '- DuckDB %s (Python %s); %s runs each, medians; custody and DuckDB runs alternated\n' "$DUCKDB_VERSION" "$("$PY" -c 'import platform; print(platform.python_version())')" "$RUNS"
    printf -- '- big input: %s, %d bytes (%.1f MB); fleet: %d files, %d bytes\n\n' "$(basename "$BIG")" "$BIG_BYTES" \
        "$(awk -v b="$BIG_BYTES" 'BEGIN { print b / 1e6 }')" "$FLEET_COUNT" "$FLEET_BYTES"
    printf '| measurement | median | runs | target | result |\n'
    printf '|---|---:|---|---|---|\n'
    printf '| custody ingest, 100k components / 300k edges | %.3f s | %s | | |\n' "$ingest_median" "$(joined "${ingest_s[@]}")"
    printf '| … its CPU time (user + sys) and data written | %.2f s CPU, %s MB | %s | | |\n' "$(median "${ingest_cpu[@]}")" "$(median "${ingest_mb[@]}" | cut -d. -f1)" "$(joined "${ingest_cpu[@]}")"
    printf '| DuckDB read_json + unnest (components, dependencies) | %.3f s | %s | | |\n' "$duck_median" "$duck_runs"
    printf '| ratio custody / DuckDB (medians; each run against the DuckDB run after it and its re-ingest) | %s | %s | <= %s | %s |\n' "$ratio" "$(joined "${pair_ratios[@]}")" "$MAX_RATIO" "$v_ratio"
    printf '| custody peak RSS (max of runs) / file size | %s (%d MiB) | %s KiB | <= %s | %s |\n' "$rss_factor" "$((rss_max_kb / 1024))" "$(joined "${ingest_rss[@]}")" "$MAX_RSS_FACTOR" "$v_rss"
    printf '| custody re-ingest of the same file | %.3f s | %s | < %s s | %s |\n' "$reingest_median" "$(joined "${reingest_s[@]}")" "$MAX_REINGEST_S" "$v_re"
    printf '| … its CPU time (user + sys) | %.2f s | %s | | |\n' "$(median "${reingest_cpu[@]}")" "$(joined "${reingest_cpu[@]}")"
    printf '| custody ingest DIR, %d SBOMs x %d components | %.3f s | %s%s | < %s s | %s |\n' "$FLEET_FILES" "$FLEET_COMPONENTS" "$fleet_median" "$(joined "${fleet_s[@]}")" "$fleet_note" "$MAX_FLEET_S" "$v_fleet"
    printf '| … its CPU time (user + sys) and data written | %.2f s CPU, %s MB | %s | | |\n' "$(median "${fleet_cpu[@]}")" "$(median "${fleet_mb[@]}" | cut -d. -f1)" "$(joined "${fleet_cpu[@]}")"
    printf '| (reference) Python json.load of the big file | %.3f s | %s | | |\n' "$json_median" "$json_runs"
    printf '\nfleet peak RSS (max of runs): %d MiB\n' "$(( $(maximum "${fleet_rss[@]}") / 1024 ))"
} >"$REPORT"

echo
cat "$REPORT"
echo
if (( failures > 0 )); then
    echo "FAILED: $failures target(s) missed (report: $REPORT, logs: $LOG_DIR/)"
    exit 1
fi
echo "all targets met (report: $REPORT)"
