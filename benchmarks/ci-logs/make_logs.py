#!/usr/bin/env python3
"""Deterministic GitHub Actions job logs for the CI log benchmarks (see README.md).

    make_logs.py big OUT_FILE MEGABYTES        one job log of about MEGABYTES MB
    make_logs.py corpus OUT_DIR MEGABYTES      gha/<run-id>/{run.json,logs/0_build.txt}, about
                                               MEGABYTES MB of logs in ~512 KB files

Lines are the real PyTorch job log (shared/fixtures/ci/github-actions/) re-stamped with
increasing timestamps, so the scanners see real runner output: setup phrases, ANSI colour,
docker pulls with digests, env dumps. Every corpus log also gets one docker push of a digest
derived from its run id; every 97th log carries the indicator `SWZ6dE5RTVFMX0xFQUtFRF9TRUNSRVQ=`
(so a grep must find exactly len(range(0, n, 97)) runs).
"""
import hashlib
import json
import os
import sys
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "..", "..", "shared", "fixtures", "ci", "github-actions", "pytorch-job-2024-07-08.log")
INDICATOR = "SWZ6dE5RTVFMX0xFQUtFRF9TRUNSRVQ="


def body_lines():
    with open(SOURCE, encoding="utf-8", errors="replace") as handle:
        lines = handle.read().split("\n")
    # Drop the run's identity (GITHUB_RUN_ID etc.) so the path names the run.
    return [line[29:] if len(line) > 29 and line[28] == " " else "" for line in lines
            if "GITHUB_RUN_ID" not in line and "GITHUB_REPOSITORY=" not in line and "GITHUB_RUN_ATTEMPT" not in line]


def stamp(start, index):
    moment = start + timedelta(microseconds=index * 700)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + "%07d" % (moment.microsecond * 10) + "Z"


def job_log(lines, megabytes_target, start, extra):
    out = ["\ufeff"]
    size = 0
    index = 0
    target = int(megabytes_target * 1024 * 1024)
    for line in extra[:2]:
        out.append(stamp(start, index) + " " + line + "\n")
        index += 1
    while size < target:
        for line in lines:
            text = stamp(start, index) + " " + line + "\n"
            out.append(text)
            size += len(text)
            index += 1
            if size >= target:
                break
    for line in extra[2:]:
        out.append(stamp(start, index) + " " + line + "\n")
        index += 1
    return "".join(out)


def main():
    mode, out, megabytes = sys.argv[1], sys.argv[2], float(sys.argv[3])
    lines = body_lines()
    start = datetime(2025, 3, 14, 12, 0, 0, tzinfo=timezone.utc)
    if mode == "big":
        extra = ["Syncing repository: acme/big", "Download action repository 'tj-actions/changed-files@v45' (SHA:0e58ed8671d6b60d0890c21b07f8835ace038e67)"]
        with open(out, "w", encoding="utf-8") as handle:
            handle.write(job_log(lines, megabytes, start, extra))
        return
    count = max(1, int(megabytes * 2))
    for n in range(count):
        run_id = 9_700_000_000 + n
        directory = os.path.join(out, "gha", str(run_id))
        os.makedirs(os.path.join(directory, "logs"), exist_ok=True)
        began = start + timedelta(minutes=n)
        digest = "sha256:" + hashlib.sha256(str(run_id).encode()).hexdigest()
        extra = [
            "Syncing repository: acme/service-%d" % (n % 40),
            "Download action repository 'tj-actions/changed-files@v45' (SHA:0e58ed8671d6b60d0890c21b07f8835ace038e67)",
            "The push refers to repository [registry.acme.example/acme/service-%d]" % (n % 40),
            "%d: digest: %s size: 1572" % (n, digest),
        ]
        if n % 97 == 0:
            extra.append("##[group]Run echo %s | base64 -d | base64 -d" % INDICATOR)
        with open(os.path.join(directory, "logs", "0_build.txt"), "w", encoding="utf-8") as handle:
            handle.write(job_log(lines, 0.5, began, extra))
        run = {"id": run_id, "run_attempt": 1, "workflow_id": 1, "head_sha": hashlib.sha1(str(n).encode()).hexdigest(),
               "path": ".github/workflows/build.yml", "status": "completed",
               "run_started_at": began.strftime("%Y-%m-%dT%H:%M:%SZ"),
               "updated_at": (began + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ"),
               "repository": {"full_name": "acme/service-%d" % (n % 40)}, "actor": {"login": "bot"}}
        with open(os.path.join(directory, "run.json"), "w", encoding="utf-8") as handle:
            json.dump(run, handle)


if __name__ == "__main__":
    main()
