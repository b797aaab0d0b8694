#!/usr/bin/env python3
"""Crafted inputs that once made ingest quadratic (see benchmarks/hostile/README.md).

  generate.py OUT_DIR

Writes one file per case; deterministic. Each is a few megabytes at most, so linear work
takes well under a second and quadratic work tens of seconds.
"""
import json
import os
import sys


def cyclonedx(components, metadata=None):
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": components}
    if metadata:
        doc["metadata"] = metadata
    return doc


def pod(containers):
    """One pod with `containers` containers; the even ones have a status with a distinct digest."""
    return {"apiVersion": "v1", "kind": "List", "items": [{
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "p", "namespace": "ns", "uid": "u", "creationTimestamp": "2025-01-01T00:00:00Z"},
        "spec": {"containers": [{"name": "c%d" % i, "image": "reg.example/app:1"} for i in range(containers)]},
        "status": {"phase": "Running", "containerStatuses": [
            {"name": "c%d" % i, "image": "reg.example/app:1", "imageID": "reg.example/app@sha256:%064x" % i}
            for i in range(0, containers, 2)]},
    }]}


CASES = {
    # PackageURL: repeated qualifier keys were found by comparing with every earlier key.
    "purl-100000-qualifiers.cdx.json": cyclonedx([{
        "type": "library", "name": "x", "version": "1",
        "purl": "pkg:npm/x@1?" + "&".join("k%d=v" % i for i in range(100000))}]),
    # CycloneDX metadata.tools were deduplicated by a linear search per tool.
    "tools-100000.cdx.json": cyclonedx([], metadata={"tools": [
        {"vendor": "v", "name": "t%d" % i, "version": "1"} for i in range(100000)]}),
    # Kubernetes: pointers found by skipping elder siblings, names looked up in lists,
    # intervals filtered per digest. The capture time is in the file name.
    "pod-10000-containers-2025-03-14T12:00:00Z.json": pod(10000),
    "pod-40000-containers-2025-03-14T12:00:00Z.json": pod(40000),
    # Probes that were linear already (kept to stay so).
    "purl-300000-namespace-segments.cdx.json": cyclonedx([{
        "type": "library", "name": "x", "purl": "pkg:generic/" + "a/" * 300000 + "x@1"}]),
    "bom-ref-shared-by-100000.cdx.json": cyclonedx([
        {"type": "library", "name": "p%d" % i, "version": "1", "purl": "pkg:npm/p%d@1" % i, "bom-ref": "same"}
        for i in range(100000)]),
}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, doc in CASES.items():
        with open(os.path.join(out, name), "w") as handle:
            json.dump(doc, handle)
    print("\n".join(sorted(CASES)))


if __name__ == "__main__":
    main()
