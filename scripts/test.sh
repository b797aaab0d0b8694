#!/usr/bin/env bash
# Runs the whole test suite (unit, ingest of every shared fixture, CLI end to end).
# Installs missing system packages first. Needs ../shared beside the repository.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/install-deps.sh
if [ ! -d ../shared/fixtures ]; then
  echo "warning: ../shared/fixtures not found; fixture tests will fail" >&2
fi
swift build --build-tests
swift test --skip-build "$@"
