#!/usr/bin/env bash
# Times custody ingest of crafted inputs that once took quadratic time (README.md here).
#
#   bash benchmarks/hostile/run.sh        # CUSTODY_BIN=PATH to use a given binary
#
# Each file goes into a fresh case (in /dev/shm when there is one: the disk is not what is
# measured); a file that needs more than HOSTILE_LIMIT_S seconds of CPU (default 3; linear
# work needs under 1 s on the 2-core reference machine) fails the run, as does a crash.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$ROOT/benchmarks/out/hostile"
LIMIT="${HOSTILE_LIMIT_S:-3}"
BIN="${CUSTODY_BIN:-}"
if [[ -z "$BIN" ]]; then
    (cd "$ROOT" && swift build -c release --product custody >&2)
    BIN="$ROOT/.build/release/custody"
fi
CASES="$OUT/db"
if [[ -d /dev/shm && -w /dev/shm ]]; then CASES="$(mktemp -d /dev/shm/custody-hostile.XXXXXX)"; trap 'rm -rf "$CASES"' EXIT; fi
mkdir -p "$CASES"
python3 "$HERE/generate.py" "$OUT/inputs" > /dev/null
failed=0
printf '| input | bytes | wall s | CPU s | peak RSS | outcome |\n| --- | ---: | ---: | ---: | ---: | --- |\n'
for file in "$OUT"/inputs/*; do
    name="$(basename "$file")"
    rm -f "$CASES"/case.db*
    set +e
    /usr/bin/time -f "%e %U %S %M" -o "$OUT/time.txt" timeout "$(( LIMIT * 6 > 60 ? LIMIT * 6 : 60 ))" \
        "$BIN" ingest "$file" --cluster hostile --db "$CASES/case.db" > "$OUT/out.txt" 2> "$OUT/err.txt"
    status=$?
    set -e
    read -r seconds user system rss < <(tail -1 "$OUT/time.txt")
    cpu="$(awk -v u="$user" -v s="$system" 'BEGIN { printf "%.2f", u + s }')"
    outcome="exit $status"
    if [[ $status -ne 0 && $status -ne 3 ]] || awk -v c="$cpu" -v l="$LIMIT" 'BEGIN { exit !(c > l) }'; then
        outcome="$outcome, FAIL"; failed=1
    fi
    printf '| %s | %s | %s | %s | %s MiB | %s |\n' "$name" "$(stat -c %s "$file")" "$seconds" "$cpu" "$((rss / 1024))" "$outcome"
done
exit $failed
