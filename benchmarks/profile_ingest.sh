#!/usr/bin/env bash
# Where does `custody ingest` spend its time? Samples one ingest with perf (cpu-clock, DWARF
# call graphs; hardware counters are not needed) and prints CPU seconds per phase: file read,
# hashing, JSON parse, fact building, purl parsing, each SQLite statement of the writer,
# commit, compression. Also prints wall / user / sys / peak RSS and syscall counts (strace),
# which show I/O waits that a CPU profile cannot.
#
#   bash benchmarks/profile_ingest.sh            # the 100k-component SBOM from run.sh
#   bash benchmarks/profile_ingest.sh PATH...    # anything custody ingest accepts
#
# Environment: CUSTODY_BIN (default: the release build), PROFILE_HZ (default 499).
# Output goes to benchmarks/out/ingest/profile/. Run benchmarks/run.sh once first for the inputs.

set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
OUT="$BENCH_DIR/out/ingest/profile"
HZ="${PROFILE_HZ:-499}"

die() { printf 'error: %s\n' "$*" >&2; exit 2; }
say() { printf '==> %s\n' "$*" >&2; }

as_root() {
    if [[ $(id -u) -eq 0 ]]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else return 1
    fi
}
need() {  # need COMMAND DEBIAN-PACKAGE
    command -v "$1" >/dev/null 2>&1 && return 0
    say "installing $2 (for $1)"
    { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; } \
        || die "$1 is missing and the Debian package $2 could not be installed"
}
need perf linux-perf
need strace strace
[[ -x /usr/bin/time ]] || need time time
perf record -e cpu-clock -o /dev/null true >/dev/null 2>&1 \
    || die "perf cannot sample here (check /proc/sys/kernel/perf_event_paranoid)"

if [[ -n "${CUSTODY_BIN:-}" ]]; then
    BIN="$CUSTODY_BIN"
else
    BIN="$(cd "$ROOT" && swift build -c release --show-bin-path)/custody"
fi
[[ -x "$BIN" ]] || die "no custody binary at $BIN (build with: swift build -c release --product custody, or set CUSTODY_BIN)"

if (( $# == 0 )); then
    set -- "$BENCH_DIR/out/sbom-100000c-300000e.cdx.json"
fi
for input in "$@"; do [[ -e "$input" ]] || die "no such input: $input (run bash benchmarks/run.sh once to generate it)"; done

mkdir -p "$OUT"
DB="$OUT/profile.db"
fresh() { rm -f "$DB" "$DB-wal" "$DB-shm"; }

say "timing (fresh database)"
fresh
/usr/bin/time -f 'wall %e s, user %U s, sys %S s, peak RSS %M KiB, file system outputs %O blocks' \
    "$BIN" ingest "$@" --db "$DB" >"$OUT/ingest.log" 2>"$OUT/time.txt" || { cat "$OUT/ingest.log" "$OUT/time.txt" >&2; die "ingest failed"; }
cat "$OUT/time.txt"

say "syscalls (strace -f -c -w, fresh database; slows the run)"
fresh
strace -f -c -w -o "$OUT/strace.txt" "$BIN" ingest "$@" --db "$DB" >/dev/null
head -n 12 "$OUT/strace.txt"

say "CPU profile (perf record -e cpu-clock -F $HZ --call-graph dwarf, fresh database)"
fresh
perf record -q -e cpu-clock -F "$HZ" --call-graph dwarf,16384 -o "$OUT/perf.data" "$BIN" ingest "$@" --db "$DB" >/dev/null 2>"$OUT/perf-record.log" \
    || { cat "$OUT/perf-record.log" >&2; die "perf record failed"; }
say "resolving symbols and source lines (takes a minute)"
perf script -i "$OUT/perf.data" -F comm,tid,ip,sym,srcline --inline 2>/dev/null >"$OUT/stacks.txt"
python3 "$BENCH_DIR/perf_phases.py" --hz "$HZ" "$OUT/stacks.txt" | tee "$OUT/phases.txt"
perf report -i "$OUT/perf.data" --no-children --sort dso,sym -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -n 25 >"$OUT/top-symbols.txt" || true
say "top symbols (self time): $OUT/top-symbols.txt; phases: $OUT/phases.txt"
fresh
