#!/usr/bin/env bash
# The main job on the bundled demo evidence (ingest/demo): build custody, ingest the
# evidence into a fresh case database, and ask the incident's first questions.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/install-deps.sh
# A static Swift standard library starts each command ~10 ms sooner (no dynamic linking of
# Foundation and the Swift runtime); README "Development" says more.
swift build -c release --static-swift-stdlib --product custody >&2
custody="$(swift build -c release --static-swift-stdlib --show-bin-path)/custody"
db="${CUSTODY_DEMO_DB:-$root/demo.db}"
rm -f "$db" "$db-wal" "$db-shm" "$db-journal"

run() { echo; echo "\$ custody $*"; "$custody" "$@" --db "$db" || true; }

echo "# npm 'Qix' compromise, 2025-09-08: debug@4.4.2 and chalk@5.6.1 were malicious."
run ingest ingest/demo/repos ingest/demo/gha ingest/demo/sbom
run ingest --cluster web-eu1 ingest/demo/kube/web-eu1
run stats
run blast-radius --package pkg:npm/debug@4.4.2
run blast-radius --package pkg:npm/chalk@5.6.1
run blast-radius --package pkg:npm/debug --versions 'vers:npm/>=4.4.2|<4.4.3'
run blast-radius --action actions/checkout
run trace --workload web-eu1/web/Deployment/storefront
run sql "SELECT digest, count(*) AS packages FROM v_artifact_packages GROUP BY digest ORDER BY digest"
echo
echo "case database: $db"
