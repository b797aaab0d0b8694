#!/usr/bin/env python3
"""Deterministic CycloneDX 1.5 JSON generator for the custody ingest benchmarks.

Two modes:

  Single large SBOM (one container image with a huge inventory):
      generate_sbom.py --components 100000 --edges 300000 --out benchmarks/out/sbom-100k.cdx.json

  Fleet (K images whose SBOMs share most packages, as real fleets do):
      generate_sbom.py --fleet 1000 --components 500 --out-dir benchmarks/out/fleet

The output depends only on the arguments and --seed (default 20250314): the same command
writes byte-identical files on every machine (Python's `random.Random` with a fixed seed is
stable across platforms and versions for the calls used here; no clock, no uuid4, no hash()).

Components look like Syft/Trivy output: `bom-ref`, `type: library`, `name`, `version`, `purl`
(npm incl. scoped packages, maven with `group`, pypi, deb with arch/distro qualifiers), one
SHA-256 hash and 2–3 properties. `metadata.component` is a container whose `version` is its
`sha256:` image digest. `dependencies` holds {ref, dependsOn[...]} entries whose dependsOn
lists add up to exactly --edges edges (no self-edges, no duplicates, no edge to the image).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from bisect import bisect_left
from itertools import accumulate
from random import Random

DEFAULT_SEED = 20250314
TIMESTAMP = "2025-03-14T12:00:00Z"

SYLLABLES = [
    "ab", "ac", "ad", "al", "am", "an", "ar", "as", "at", "ba", "be", "bi", "bo", "bu", "ca",
    "ce", "ci", "co", "cu", "da", "de", "di", "do", "du", "el", "em", "en", "er", "es", "et",
    "fa", "fe", "fi", "fo", "ga", "ge", "gi", "go", "ha", "he", "hi", "ho", "id", "il", "im",
    "in", "io", "is", "ka", "ke", "ki", "ko", "la", "le", "li", "lo", "lu", "ma", "me", "mi",
    "mo", "mu", "na", "ne", "ni", "no", "nu", "ob", "od", "ol", "om", "on", "or", "os", "pa",
    "pe", "pi", "po", "pu", "qu", "ra", "re", "ri", "ro", "ru", "sa", "se", "si", "so", "su",
    "ta", "te", "ti", "to", "tu", "ul", "um", "un", "ur", "us", "va", "ve", "vi", "vo", "xa",
    "ya", "yo", "za", "ze", "zi", "zo",
]
WORDS = [
    "core", "util", "utils", "http", "json", "parser", "client", "server", "common", "async",
    "stream", "crypto", "log", "logging", "config", "cli", "test", "io", "net", "data", "cache",
    "auth", "tls", "xml", "yaml", "proto", "grpc", "sql", "db", "orm", "web", "api", "types",
    "codec", "compress", "zip", "time", "date", "math", "string", "path", "fs", "os", "sys",
    "event", "queue", "retry", "pool", "schema", "validate", "format", "template", "render",
]
NPM_SCOPES = ["types", "babel", "aws-sdk", "angular", "nestjs", "smithy", "octokit", "vue", "jest", "opentelemetry"]
MAVEN_ORGS = ["org.apache", "com.google", "io.netty", "org.springframework", "com.fasterxml", "io.micrometer",
              "org.eclipse", "io.projectreactor", "org.slf4j", "com.squareup", "io.grpc", "org.hibernate"]
DEB_PREFIXES = ["lib", "lib", "lib", "", "python3-", "perl-", ""]

# ecosystem -> (share of components, Syft cataloger, language)
ECOSYSTEMS = [
    ("npm", 0.40, "javascript-package-cataloger", "javascript"),
    ("maven", 0.25, "java-archive-cataloger", "java"),
    ("pypi", 0.15, "python-installed-package-cataloger", "python"),
    ("deb", 0.20, "dpkg-db-cataloger", ""),
]


def hexdigest(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def uuid_from(seed_text: str) -> str:
    h = hashlib.sha256(seed_text.encode()).hexdigest()
    return f"{h[0:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


class Namer:
    """Unique, plausible package names per ecosystem, drawn from a seeded RNG."""

    def __init__(self, rng: Random) -> None:
        self.rng = rng
        self.used: set[tuple[str, str]] = set()

    def word(self) -> str:
        r = self.rng
        if r.random() < 0.45:
            return r.choice(WORDS)
        return "".join(r.choice(SYLLABLES) for _ in range(r.randint(2, 4)))

    def base(self, sep: str) -> str:
        r = self.rng
        n = 1 if r.random() < 0.35 else (2 if r.random() < 0.8 else 3)
        return sep.join(self.word() for _ in range(n))

    def fresh(self, eco: str) -> tuple[str | None, str]:
        """(group, name) never returned before for this ecosystem."""
        r = self.rng
        for attempt in range(1000):
            group = None
            if eco == "npm":
                name = self.base("-")
                if r.random() < 0.2:
                    group = "@" + r.choice(NPM_SCOPES)
            elif eco == "maven":
                group = r.choice(MAVEN_ORGS) + "." + self.word()
                name = self.base("-")
            elif eco == "pypi":
                name = self.base(r.choice(["-", "_", "-"]))
            else:
                name = r.choice(DEB_PREFIXES) + self.base("-")
                if r.random() < 0.3:
                    name += str(r.randint(0, 9))
            if attempt > 20:
                name += f"-{attempt}"
            key = (eco, f"{group}/{name}")
            if key not in self.used:
                self.used.add(key)
                return group, name
        raise RuntimeError("could not find a fresh package name")


def version_for(rng: Random, eco: str) -> str:
    major, minor, patch = rng.choice([0, 1, 1, 2, 2, 3, 4, 5, 7, 12]), rng.randint(0, 30), rng.randint(0, 40)
    if eco == "deb":
        v = f"{major}.{minor}.{patch}-{rng.randint(1, 9)}"
        if rng.random() < 0.3:
            v += f"+deb12u{rng.randint(1, 6)}"
        if rng.random() < 0.1:
            v = f"1:{v}"
        return v
    if eco == "maven" and rng.random() < 0.3:
        return f"{major}.{minor}.{patch}.Final" if rng.random() < 0.5 else f"{major}.{minor}.{patch}-jre"
    if eco == "pypi" and rng.random() < 0.1:
        return f"{major}.{minor}.post{rng.randint(1, 3)}"
    return f"{major}.{minor}.{patch}"


def make_package(rng: Random, namer: Namer, eco: str, uid: int) -> dict:
    """One package (what a pool holds); components are rendered from it per SBOM."""
    group, name = namer.fresh(eco)
    return {"eco": eco, "group": group, "name": name, "version": version_for(rng, eco), "uid": uid,
            "props": rng.random()}


def purl_of(p: dict) -> str:
    eco, group, name, version = p["eco"], p["group"], p["name"], p["version"]
    enc_version = version.replace(":", "%3A").replace("+", "%2B")
    if eco == "npm":
        return f"pkg:npm/{group.replace('@', '%40')}/{name}@{enc_version}" if group else f"pkg:npm/{name}@{enc_version}"
    if eco == "maven":
        return f"pkg:maven/{group}/{name}@{enc_version}"
    if eco == "pypi":
        return f"pkg:pypi/{name}@{enc_version}"
    return f"pkg:deb/debian/{name}@{enc_version}?arch=amd64&distro=debian-12"


def component_of(p: dict, bom_ref: str) -> dict:
    eco = p["eco"]
    cataloger, language = next((c, l) for e, _, c, l in ECOSYSTEMS if e == eco)
    component: dict = {"bom-ref": bom_ref, "type": "library"}
    if eco == "maven":
        component["group"] = p["group"]
    name = f"{p['group']}/{p['name']}" if eco == "npm" and p["group"] else p["name"]
    component["name"] = name
    component["version"] = p["version"]
    component["hashes"] = [{"alg": "SHA-256", "content": hexdigest("content", p["uid"], p["name"], p["version"])}]
    component["purl"] = purl_of(p)
    props = [{"name": "syft:package:foundBy", "value": cataloger}]
    if eco == "deb":
        props.append({"name": "syft:package:type", "value": "deb"})
        props.append({"name": "syft:location:0:path", "value": f"/var/lib/dpkg/status.d/{p['name']}"})
    else:
        props.append({"name": "syft:package:language", "value": language})
        if p["props"] < 0.5:
            where = {"npm": f"/app/node_modules/{name}/package.json",
                     "maven": f"/app/lib/{p['name']}-{p['version']}.jar",
                     "pypi": f"/usr/lib/python3/site-packages/{p['name']}.dist-info/METADATA"}[eco]
            props.append({"name": "syft:location:0:path", "value": where})
    component["properties"] = props
    return component


def bom_ref_of(p: dict) -> str:
    # Syft's package id (16 hex digits of a hash of the package's identity), the bom-ref Syft
    # writes for a package; newer Syft prefixes it with the purl, which would push a 300,000-edge
    # file far past the ~50 MB the benchmark calls for.
    return hexdigest("id", p["uid"])[:16]


def pick_ecosystem(rng: Random) -> str:
    x = rng.random()
    acc = 0.0
    for eco, share, _, _ in ECOSYSTEMS:
        acc += share
        if x < acc:
            return eco
    return ECOSYSTEMS[-1][0]


def make_edges(rng: Random, packages: list[dict], edges: int) -> dict[int, list[int]]:
    """`edges` distinct (dependent, dependency) pairs among `packages` (indices), mostly within
    an ecosystem, dependencies skewed towards popular (low-rank) packages like real graphs."""
    n = len(packages)
    if n < 2:
        if edges:
            raise SystemExit("error: need at least 2 components to make dependency edges")
        return {}
    if edges > n * (n - 1):
        raise SystemExit(f"error: {edges} edges do not fit among {n} components without duplicates")
    by_eco: dict[str, list[int]] = {}
    for i, p in enumerate(packages):
        by_eco.setdefault(p["eco"], []).append(i)
    out: dict[int, list[int]] = {}
    seen: set[tuple[int, int]] = set()
    count = 0
    # Fan-out per dependent: heavy-tailed (most have a few, some have dozens).
    while count < edges:
        src = rng.randrange(n)
        fan = min(1 + int(rng.paretovariate(1.6)) * 2, 60)
        pool = by_eco[packages[src]["eco"]] if rng.random() < 0.9 else range(n)
        size = len(pool)
        for _ in range(fan):
            if count >= edges:
                break
            dst = pool[min(int(size * rng.random() ** 2.5), size - 1)]
            if dst == src or (src, dst) in seen:
                continue
            seen.add((src, dst))
            out.setdefault(src, []).append(dst)
            count += 1
    return out


def render(image_name: str, image_digest: str, serial: str, components: list[dict], refs: list[str],
           deps: dict[int, list[int]]) -> str:
    doc = {
        "$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": f"urn:uuid:{serial}",
        "version": 1,
        "metadata": {
            "timestamp": TIMESTAMP,
            "tools": {"components": [{"type": "application", "author": "anchore", "name": "syft", "version": "1.4.1"}]},
            "component": {
                "bom-ref": hexdigest("image-ref", image_digest)[:16],
                "type": "container",
                "name": image_name,
                "version": f"sha256:{image_digest}",
            },
        },
        "components": components,
        "dependencies": [{"ref": refs[src], "dependsOn": [refs[d] for d in deps[src]]} for src in sorted(deps)],
    }
    # Compact separators: the size then comes from content (refs, purls, hashes), as in
    # Trivy's output, rather than from indentation.
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n"


def single(args: argparse.Namespace) -> None:
    rng = Random(args.seed)
    namer = Namer(rng)
    packages = [make_package(rng, namer, pick_ecosystem(rng), i) for i in range(args.components)]
    refs = [bom_ref_of(p) for p in packages]
    components = [component_of(p, r) for p, r in zip(packages, refs)]
    deps = make_edges(rng, packages, args.edges)
    digest = hexdigest("image", args.seed, args.components, args.edges)
    text = render("registry.example.com/platform/monolith", digest, uuid_from(f"single-{args.seed}-{args.components}"),
                  components, refs, deps)
    write(args.out, text)
    print(f"wrote {args.out}: {args.components} components, {args.edges} edges, {len(text.encode())} bytes")


def fleet(args: argparse.Namespace) -> None:
    rng = Random(args.seed)
    namer = Namer(rng)
    k, n = args.fleet, args.components
    # A shared package pool, with popularity falling off like Zipf: every image has the same
    # distro base packages and most share the popular libraries; some versions differ.
    pool_size = max(n * 8, 2000)
    pool: list[dict] = []
    purls: set[str] = set()
    for i in range(pool_size):
        package = None
        if pool and rng.random() < 0.15:  # another version of an existing package
            package = dict(pool[rng.randrange(len(pool))])
            package["version"] = version_for(rng, package["eco"])
            package["uid"] = i
            if purl_of(package) in purls:
                package = None
        if package is None:
            package = make_package(rng, namer, pick_ecosystem(rng), i)
        purls.add(purl_of(package))
        pool.append(package)
    weights = [1.0 / (rank + 10) ** 1.1 for rank in range(pool_size)]
    cumulative = list(accumulate(weights))
    total = cumulative[-1]
    edges = args.edges if args.edges is not None else 3 * n
    os.makedirs(args.out_dir, exist_ok=True)
    teams = ["payments", "search", "checkout", "identity", "ledger", "ingest", "billing", "notify", "catalog", "edge"]
    size = 0
    for f in range(k):
        chosen: list[int] = []
        taken: set[int] = set()
        while len(chosen) < min(n, pool_size):
            idx = bisect_left(cumulative, rng.random() * total)
            idx = min(idx, pool_size - 1)
            if idx not in taken:
                taken.add(idx)
                chosen.append(idx)
        chosen.sort()
        packages = [pool[i] for i in chosen]
        refs = [bom_ref_of(p) for p in packages]
        components = [component_of(p, r) for p, r in zip(packages, refs)]
        deps = make_edges(rng, packages, min(edges, len(packages) * (len(packages) - 1)))
        digest = hexdigest("fleet-image", args.seed, f)
        image = f"registry.example.com/{teams[f % len(teams)]}/svc-{f:04d}"
        text = render(image, digest, uuid_from(f"fleet-{args.seed}-{f}"), components, refs, deps)
        path = os.path.join(args.out_dir, f"image-{f:04d}.cdx.json")
        write(path, text)
        size += len(text.encode())
    print(f"wrote {k} SBOMs of {n} components ({edges} edges each) to {args.out_dir}: {size} bytes")


def write(path: str, text: str) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def main(argv: list[str]) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--components", type=int, required=True, help="components per SBOM")
    ap.add_argument("--edges", type=int, help="dependency edges per SBOM (default for --fleet: 3 × components)")
    ap.add_argument("--out", help="output file (single-SBOM mode)")
    ap.add_argument("--fleet", type=int, metavar="K", help="write K SBOMs sharing packages into --out-dir")
    ap.add_argument("--out-dir", help="output directory (fleet mode)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"RNG seed (default {DEFAULT_SEED})")
    args = ap.parse_args(argv)
    if args.components < 1:
        ap.error("--components must be at least 1")
    if args.edges is not None and args.edges < 0:
        ap.error("--edges must not be negative")
    if args.fleet is not None:
        if args.fleet < 1 or not args.out_dir or args.out:
            ap.error("fleet mode needs --fleet K (K ≥ 1) and --out-dir DIR, and no --out")
        fleet(args)
    else:
        if not args.out or args.edges is None or args.out_dir:
            ap.error("single mode needs --components N --edges M --out FILE (use --fleet K --out-dir DIR for a fleet)")
        single(args)


if __name__ == "__main__":
    main(sys.argv[1:])
