#!/usr/bin/env python3
"""Runs the full reliability matrix, records its figures and renders docs/reliability.md.

    make reliability [FUZZ_SECONDS=300]

1. `swift test --skip-build --filter Reliability` with RECONCILE_FULL_RELIABILITY=1; every
   scenario appends its figures (JSON lines) to a stats file.
2. `make fuzz` (the libFuzzer target on the generated corpus) unless --no-fuzz.
3. Sums the figures into docs/results/reliability.json and renders docs/reliability.md from it
   (scripts/reliability_report.py).
"""
from __future__ import annotations

import argparse
import collections
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import reliability_report

ROOT = Path(__file__).resolve().parent.parent


def run_tests(stats_path: str, full: bool) -> tuple[int, float, str]:
    environment = dict(os.environ, RECONCILE_RELIABILITY_STATS=stats_path)
    if full:
        environment["RECONCILE_FULL_RELIABILITY"] = "1"
    started = time.monotonic()
    completed = subprocess.run(["swift", "test", "--skip-build", "--filter", "Reliability"], cwd=ROOT,
                               env=environment, capture_output=True, text=True)
    output = completed.stdout + completed.stderr
    summary = [line for line in output.splitlines() if re.search(r"Test run with \d+ tests", line)]
    return completed.returncode, time.monotonic() - started, (summary[-1] if summary else output[-2000:])


def run_fuzz(seconds: int) -> tuple[int, float, dict]:
    started = time.monotonic()
    completed = subprocess.run(["make", "fuzz", f"FUZZ_SECONDS={seconds}"], cwd=ROOT, capture_output=True, text=True)
    output = completed.stdout + completed.stderr
    figures = {}
    done = re.findall(r"Done (\d+) runs in (\d+) second", output)
    if done:
        figures["executions"], figures["seconds"] = int(done[-1][0]), int(done[-1][1])
    build = re.findall(r"fuzz build took (\d+) s", output)
    if build:
        figures["build_seconds"] = int(build[-1])
    figures["crashes"] = len(re.findall(r"(?:crash|leak|oom|timeout)-[0-9a-f]{40}", output))
    return completed.returncode, time.monotonic() - started, figures


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fuzz-seconds", type=int, default=300)
    parser.add_argument("--no-fuzz", action="store_true")
    parser.add_argument("--sample", action="store_true", help="the make-test sample instead of the full matrices")
    args = parser.parse_args()

    with tempfile.NamedTemporaryFile("r", suffix=".jsonl", delete=False) as handle:
        stats_path = handle.name
    status, test_seconds, test_summary = run_tests(stats_path, full=not args.sample)
    totals: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for line in Path(stats_path).read_text().splitlines():
        entry = json.loads(line)
        scenario = entry.pop("scenario")
        totals[scenario].update({key: value for key, value in entry.items() if isinstance(value, int)})
    os.unlink(stats_path)

    fuzz_status, fuzz_figures = None, {}
    if not args.no_fuzz:
        fuzz_status, _, fuzz_figures = run_fuzz(args.fuzz_seconds)

    recorded = {
        "date": f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        "full": not args.sample,
        "tests": {"status": status, "seconds": test_seconds, "summary": test_summary},
        "totals": {scenario: dict(sorted(counter.items())) for scenario, counter in sorted(totals.items())},
        "fuzz": None if fuzz_status is None else {"status": fuzz_status, **fuzz_figures},
    }
    reliability_report.RECORD.parent.mkdir(parents=True, exist_ok=True)
    reliability_report.RECORD.write_text(json.dumps(recorded, indent=1) + "\n")
    text = reliability_report.render(recorded, reliability_report.NOTES.read_text())
    reliability_report.REPORT.write_text(text)
    print(text)
    return status or (fuzz_status or 0)


if __name__ == "__main__":
    sys.exit(main())
