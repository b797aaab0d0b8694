#!/usr/bin/env bash
# Installs the Debian packages custody builds and tests against, when any is missing.
# Idempotent; needs root (or sudo) only when something must be installed.
set -euo pipefail

packages=(libsqlite3-dev libssl-dev libgraphviz-dev libzstd-dev zlib1g-dev pkg-config)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null 2>&1 || { echo "swift 6 toolchain not found on PATH" >&2; exit 2; }
