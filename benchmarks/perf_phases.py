#!/usr/bin/env python3
"""Attributes `perf record -g` samples of a `custody ingest` run to ingest phases.

    perf script -i perf.data -F comm,tid,ip,sym,srcline --inline | perf_phases.py --hz 499

Each sample is assigned to the first phase whose marker occurs in its call stack, checked in
the order below (so compression on the background thread, hashing and file reading win over
the enclosing pipeline frames). Writer samples are split further: the batch tables' row
callbacks, the write-order sorts, and otherwise the innermost FactWriter.swift /
GraphWriter.swift line on the stack (inlined frames included): that line is the statement
being stepped (node insert, edge insert, index rebuild...), so read the lines against the
source of the commit that was profiled. The markers are Swift symbol substrings; if the sources are renamed, samples
fall into "other" and the markers below need updating.
"""

from __future__ import annotations

import argparse
import collections
import signal
import sys

# (phase, any of these substrings in a frame's symbol)
PHASES: list[tuple[str, tuple[str, ...]]] = [
    ("compression of the stored document (zstd; background thread)", ("ContentCodec", "ZSTD_")),
    ("hashing (SHA-256)", ("SHA256Hasher", "SHA256_Update", "sha256_block")),
    ("reading the file (read + Data -> [UInt8] copy)", ("InputReader",)),
    ("writer", ("GraphWriter", "FactWriter", "GroupWriter")),  # split below
    ("SQLite commit / WAL / checkpoint", ("commit", "Commit", "sqlite3WalCheckpoint", "sqlite3PagerCheckpoint")),
    ("JSON parse (tape)", ("JSONDocument", "CustodyJSON6Parser")),
    ("facts: purl parsing + normalization", ("PurlParser", "PackageURL")),
    ("facts: dependencies", ("readDependencies", "addDependency", "resolveDependent")),
    ("facts: components / SBOM builder", ("CycloneDX", "SBOMBuilder", "SPDX", "FactBatch", "FactMapper")),
    ("SQLite / GRDB other", ("GRDB", "sqlite3", "CaseDatabase")),
    ("process start (dynamic loader)", ("_dl_start", "_dl_relocate", "dl_main")),
]


def read_samples(stream):
    sample = None
    for raw in stream:
        line = raw.rstrip("\n")
        if not line.strip():
            if sample is not None:
                yield sample
            sample = None
            continue
        if not line.startswith((" ", "\t")):
            sample = []
            continue
        if sample is None:
            continue
        if line.startswith("\t"):
            parts = line.strip().split(None, 1)
            sample.append([parts[1] if len(parts) > 1 else "?", ""])
        elif sample:
            sample[-1][1] = line.strip()
    if sample is not None:
        yield sample


def classify(frames: list[list[str]]) -> str:
    def has(markers: tuple[str, ...]) -> bool:
        return any(m in sym for sym, _ in frames for m in markers)

    for phase, markers in PHASES:
        if not has(markers):
            continue
        if phase == "writer":
            if has(("PurlParser", "PackageURL")):
                return "writer: purl parsing inside the writer"
            if has(("AttributeJSON",)):
                return "writer: AttributeJSON.encode"
            if has(("insertDocument",)):
                return "writer: documents row (compressed blob)"
            if has(("NodeRows", "EdgeRows", "ListRows")):
                return "writer: batch table rows (column callbacks)"
            if has(("WriteOrder", "KeyOrder")):
                return "writer: write order (sorting keys and edges)"
            # The innermost writer source line on the stack (inlined frames included) is the
            # statement being stepped.
            for sym, src in frames:
                if "FactWriter.swift:" in src or "GraphWriter.swift:" in src:
                    return f"writer: statement at {src.split()[0]}"
            return "writer: other"
        return phase
    return "other (runtime, allocator, kernel)"


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet under `| head`
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hz", type=float, required=True, help="the sampling frequency given to perf record -F")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("file", nargs="?", help="perf script output (default: standard input)")
    args = ap.parse_args(argv)
    stream = open(args.file, errors="replace") if args.file else sys.stdin
    counts: collections.Counter[str] = collections.Counter()
    for frames in read_samples(stream):
        counts[classify(frames)] += 1
    total = sum(counts.values())
    if not total:
        print("no samples (was perf record run with -g / --call-graph?)", file=sys.stderr)
        return 1
    print(f"{total} samples = {total / args.hz:.2f} s of CPU (all threads) at {args.hz:g} Hz")
    print(f"{'CPU s':>7}  {'share':>6}  phase")
    for phase, n in counts.most_common(args.top):
        print(f"{n / args.hz:7.2f}  {100 * n / total:5.1f}%  {phase}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
