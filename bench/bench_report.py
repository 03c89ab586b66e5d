#!/usr/bin/env python3
"""Renders docs/benchmarks.md from the recorded run (docs/results/benchmarks.json) and the prose in
docs/benchmarks-notes.md. Every figure in the report comes from the record; the notes hold no figures.

  python3 bench/bench_report.py            rewrite docs/benchmarks.md from the record
  python3 bench/bench_report.py --check    exit 1 when docs/benchmarks.md differs from what the record gives
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import json

ROOT = Path(__file__).resolve().parent.parent
RECORD = ROOT / "docs" / "results" / "benchmarks.json"
NOTES = ROOT / "docs" / "benchmarks-notes.md"
REPORT = ROOT / "docs" / "benchmarks.md"
README = ROOT / "README.md"
README_BEGIN = "<!-- figures from docs/results/benchmarks.json: begin -->"
README_END = "<!-- figures from docs/results/benchmarks.json: end -->"
FULL_SIZES = [1, 100, 200, 1000]
QUOTA_SIZES = [100, 1000]
BENCH_MINUTES_TARGET = 15
PLAIN_SPEED_TARGET, CPU_TARGET, LATENCY_SPEED_TARGET, FLOOR_TARGET = 1.5, 5.0, 5.0, 1.15


def total_calls(figure: dict) -> int:
    return sum(count for operation, count in figure["calls"].items() if not operation.startswith("throttled:"))


def count_calls(figure: dict, prefix: str) -> int:
    return sum(count for operation, count in figure["calls"].items() if operation.startswith(prefix))


def format_calls(calls: dict) -> str:
    """`Operation N`; the discovery pass and throttled answers keep their prefix."""
    def label(key: str) -> str:
        prefix, operation = key.split(":", 1)
        return f"{prefix} {operation}" if prefix in ("discovery", "throttled") else operation
    return ", ".join(f"{label(key)} {count}" for key, count in sorted(calls.items()))


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator > 0 else None


def machine_lines(recorded: dict) -> list[str]:
    machine, run, duration = recorded["machine"], recorded["run"], recorded["duration"]
    load = " / ".join(f"{value:.1f}" for value in machine["load_average"])
    versions = ", ".join(f"{name} {version}" for name, version in machine["versions"].items())
    whole = duration["whole"]
    return [
        f"- Load average (1/5/15 min) when the run ended: {load}",
        f"- Date: {machine['date']}",
        f"- Machine: {machine['cores']} cores ({machine['cpu_model']}), {machine['memory_gib']:.1f} GiB memory, "
        f"{machine['system']}",
        f"- Versions: {versions}",
        f"- Run: sizes {', '.join(map(str, run['sizes']))}; median of up to {run['runs']} runs "
        f"(reconcile: at least {run['reconcile_min_runs']}; aws CLI: {run['cli_runs']}); subject budget "
        f"{run['subject_budget']:.0f} s; latency mode adds {run['latency_each_way_ms']} ms each way; "
        f"measuring {duration['measuring']:.0f} s"
        + (f", `make bench` as a whole {whole:.0f} s" if whole is not None else "")
        + (f"; peak RSS from {run['rss_source']}" if run.get("rss_source") else "")
        + (f"; quota mode at {', '.join(map(str, run['quota_sizes']))} streams, {run['quota_runs']} run(s) "
           "per figure" if run.get("quota_sizes") else "")
        + ("; **peers only** (reconcile not measured)" if run["peers_only"] else ""),
    ]


def table(figures: list[dict]) -> list[str]:
    by_key = {(f["mode"], f["size"], f["subject"]): f for f in figures}
    lines = ["| mode | streams | subject | runs | wall s (median) | CPU s user+sys | CPU ms per call | peak RSS MB | "
             "calls | reconcile/peer wall | reconcile/peer CPU | calls by operation |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for figure in figures:
        wall_ratio = cpu_ratio = ""
        reference = by_key.get((figure["mode"], figure["size"], figure["peer_of"])) if figure["peer_of"] else None
        if reference:
            wall_value, cpu_value = ratio(reference["wall"], figure["wall"]), ratio(reference["cpu"], figure["cpu"])
            wall_ratio = f"{wall_value:.3f}" if wall_value is not None else ""
            cpu_ratio = f"{cpu_value:.3f}" if cpu_value is not None else ""
        elif figure["peer_of"]:
            wall_ratio = cpu_ratio = "n/a"
        size = f"{figure['size']:,}" if figure["size"] else "-"
        lines.append(f"| {figure['mode']} | {size} | {figure['subject']} | {figure['runs']} | {figure['wall']:.3f} | "
                     f"{figure['cpu']:.3f} | {cpu_per_call(figure)} | {figure['rss_mb']:.1f} | {total_calls(figure)} | "
                     f"{wall_ratio} | {cpu_ratio} | {format_calls(figure['calls'])} |")
    return lines


def cpu_per_call(figure: dict) -> str:
    calls = total_calls(figure)
    return f"{figure['cpu'] * 1000 / calls:.3f}" if calls else "-"


def quota_table(figures: list[dict]) -> list[str]:
    """Quota mode: each client against the floor AWS's rates set for its own calls."""
    rows = [f for f in figures if f["mode"] == "quota"]
    if not rows:
        return ["Not measured in this run (`make bench` measures it at "
                f"{', '.join(f'{size:,}' for size in QUOTA_SIZES)} streams)."]
    lines = ["| streams | subject | runs | wall s | quota floor s | wall/floor | throttled answers received | "
             "throttling errors surfaced | CPU s | calls |", "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for figure in rows:
        floor = figure.get("floor")
        over = f"{figure['wall'] / floor:.2f}" if floor else "-"
        lines.append(f"| {figure['size']:,} | {figure['subject']} | {figure['runs']} | {figure['wall']:.1f} | "
                     f"{floor:.1f} | {over} | {count_calls(figure, 'throttled:')} | {figure.get('surfaced', 0)} | "
                     f"{figure['cpu']:.3f} | {total_calls(figure)} |")
    return lines


def verdict(ok: bool | None) -> str:
    return "not measured" if ok is None else ("**met**" if ok else "**not met**")


def find(figures: list[dict], mode: str, size: int, subject_prefix: str) -> dict | None:
    return next((f for f in figures
                 if f["mode"] == mode and f["size"] == size and f["subject"].startswith(subject_prefix)), None)


def ratio_row(label: str, value: float | None, wanted: float) -> tuple[str, str, str]:
    return (label, f"{value:.2f}×" if value else "-", verdict(None if value is None else value >= wanted))


def speed_targets(figures: list[dict]) -> list[tuple[str, str, str]]:
    rows = []
    plan, peer = find(figures, "latency", 1000, "reconcile plan"), find(figures, "latency", 1000, "boto3 sequential")
    rows.append(ratio_row(f"No-op plan at 1,000 streams, latency: ≥ {LATENCY_SPEED_TARGET}× faster than sequential "
                          "boto3", ratio(peer["wall"], plan["wall"]) if plan and peer else None, LATENCY_SPEED_TARGET))
    for size in (200, 1000):
        plan, peer = find(figures, "plain", size, "reconcile plan"), find(figures, "plain", size, "boto3 sequential")
        rows.append(ratio_row(f"No-op plan at {size:,} streams, plain: ≥ {PLAIN_SPEED_TARGET}× faster than "
                              "sequential boto3", ratio(peer["wall"], plan["wall"]) if plan and peer else None,
                              PLAIN_SPEED_TARGET))
        rows.append(ratio_row(f"Client CPU of that plan at {size:,} streams ≥ {CPU_TARGET}× lower than sequential "
                              "boto3", ratio(peer["cpu"], plan["cpu"]) if plan and peer else None, CPU_TARGET))
    rows.append(throughput_row(figures))
    rss = max((f["rss_mb"] for f in figures if f["subject"].startswith("reconcile plan") and f["size"] == 1000),
              default=None)
    rows.append(("Peak RSS of plan at 1,000 streams < 100 MB", f"{rss:.1f} MB" if rss else "-",
                 verdict(None if rss is None else rss < 100)))
    version = find(figures, "cold", 0, "reconcile --version")
    small = find(figures, "plain", 1, "reconcile plan")
    rows.append(("Peak RSS of the smallest plan (1 stream) ≤ 30 MiB" + (
                     f" (`reconcile --version`: {version['rss_mb']:.1f} MiB)" if version else ""),
                 f"{small['rss_mb']:.1f} MiB" if small else "-",
                 verdict(None if small is None else small["rss_mb"] <= 30)))
    rows.append(("`reconcile --version` < 20 ms", f"{version['wall'] * 1000:.1f} ms" if version else "-",
                 verdict(None if version is None else version["wall"] < 0.020)))
    return rows


def throughput_row(figures: list[dict]) -> tuple[str, str, str]:
    """How close the plan runs to what moto serves on these cores: calls/s against the best peer's."""
    plan = find(figures, "plain", 1000, "reconcile plan")
    peers = [f for f in figures if f["mode"] == "plain" and f["size"] == 1000 and f["peer_of"] and f["wall"] > 0]
    if plan is None or not peers:
        return ("Calls/s at 1,000 streams, plain: reconcile against the best peer (reported)", "-", "not measured")
    best = max(peers, key=lambda f: total_calls(f) / f["wall"])
    mine, theirs = total_calls(plan) / plan["wall"], total_calls(best) / best["wall"]
    return ("Calls/s at 1,000 streams, plain: reconcile against the best peer, both bound by moto on the same "
            "cores (reported)", f"{mine:.0f} against {theirs:.0f} ({best['subject']}): {mine / theirs:.2f}×",
            "reported")


def quota_targets(figures: list[dict]) -> list[tuple[str, str, str]]:
    plan = find(figures, "quota", 1000, "reconcile plan")
    if plan is None or not plan.get("floor"):
        return [(f"Quota mode at 1,000 streams: plan within {FLOOR_TARGET}× of the quota floor, no throttling "
                 "error surfaced (reported)", "-", "not measured")]
    over = plan["wall"] / plan["floor"]
    return [(f"Quota mode at 1,000 streams: plan within {FLOOR_TARGET}× of the quota floor (reported)",
             f"{plan['wall']:.1f} s against {plan['floor']:.1f} s: {over:.2f}×",
             "**met**" if over <= FLOOR_TARGET else "**not met**"),
            ("Quota mode: throttling errors surfaced to the user by reconcile (reported)",
             str(sum(f.get("surfaced", 0) for f in figures if f["mode"] == "quota"
                     and f["subject"].startswith("reconcile"))), "reported")]


def call_targets(figures: list[dict], layouts: dict) -> list[tuple[str, str, str]]:
    rows = []
    for size in FULL_SIZES:
        plan = find(figures, "plain", size, "reconcile plan")
        layout = layouts.get(str(size))
        if plan is None or layout is None:
            continue
        stacked = layout["streams"] - layout["direct"]
        kinesis, cloudformation = count_calls(plan, "kinesis:"), count_calls(plan, "cloudformation:")
        discovery = count_calls(plan, "discovery:")
        # The fewest calls: 2 Kinesis calls per direct stream (+1 per stream with declared consumers:
        # none here), 2 CloudFormation calls per stack, plus what drift checks need: the live
        # state of each stack member (DescribeStreamSummary + ListTagsForStream).
        kinesis_limit, cfn_limit = 2 * layout["direct"] + 2 * stacked, 2 * layout["stacks"]
        # One discovery pass: ListStreams pages of up to 100 names, DescribeStacks pages of up to 50.
        discovery_limit = -(-size // 100) + max(1, -(-layout["stacks"] // 50))
        rows.append((f"Fewest calls at {size:,}: Kinesis ≤ 2 per direct stream + 2 per stack member for the "
                     f"drift check ({kinesis_limit}), CloudFormation ≤ 2 per stack ({cfn_limit}), "
                     f"discovery ≤ 1 ListStreams page per 100 + 1 DescribeStacks page per 50 ({discovery_limit})",
                     f"{kinesis} Kinesis, {cloudformation} CloudFormation, {discovery} discovery",
                     verdict(kinesis <= kinesis_limit and cloudformation <= cfn_limit
                             and discovery <= discovery_limit)))
    return rows


def duration_target(recorded: dict) -> tuple[str, str, str]:
    run, duration = recorded["run"], recorded["duration"]
    measuring, whole = duration["measuring"], duration["whole"]
    counted = whole if whole is not None else measuring
    full_run = not run["quick"] and not run["peers_only"] and run["sizes"] == FULL_SIZES
    measured = (f"{counted / 60:.1f} min (build {(counted - measuring) / 60:.1f}, measuring {measuring / 60:.1f})"
                if whole is not None else f"{measuring / 60:.1f} min of measuring (build not counted: run without make)")
    return (f"`make bench` under {BENCH_MINUTES_TARGET} minutes", measured,
            verdict(counted < BENCH_MINUTES_TARGET * 60) if full_run else "not measured (partial run)")


def targets(recorded: dict) -> list[str]:
    figures = recorded["figures"]
    rows = (speed_targets(figures) + quota_targets(figures) + call_targets(figures, recorded["layouts"])
            + [duration_target(recorded)])
    return ["| target | measured | verdict |", "|---|---|---|"] + [f"| {a} | {b} | {c} |" for a, b, c in rows]


def render(recorded: dict, notes: str) -> str:
    lines = ["# Benchmarks", "",
             "Generated by `make bench` from the recorded run `docs/results/benchmarks.json` and the prose in",
             "`docs/benchmarks-notes.md` (`bench/bench_report.py`); do not edit by hand.", ""]
    lines += machine_lines(recorded)
    lines += ["", "## Figures", ""] + table([f for f in recorded["figures"] if f["mode"] != "quota"])
    lines += ["", "## Quota mode", ""] + quota_table(recorded["figures"])
    lines += ["", "## Targets", ""] + targets(recorded)
    if recorded["observations"]:
        lines += ["", "## Observations during the run", ""] + [f"- {note}" for note in recorded["observations"]]
    lines += ["", notes.strip()]
    return "\n".join(lines) + "\n"


def readme_summary(recorded: dict) -> str:
    """The README's performance figures: the 1,000-stream no-op plan against its peers."""
    figures = recorded["figures"]
    plain, latency = find(figures, "plain", 1000, "reconcile plan"), find(figures, "latency", 1000, "reconcile plan")
    boto3_plain, boto3_latency = (find(figures, "plain", 1000, "boto3 sequential"),
                                  find(figures, "latency", 1000, "boto3 sequential"))
    pool = find(figures, "latency", 1000, "boto3 thread pool")
    version, validate = find(figures, "cold", 0, "reconcile --version"), find(figures, "cold", 1000, "reconcile validate")
    if not all((plain, latency, boto3_plain, boto3_latency, pool, version, validate)):
        return "The latest run did not measure 1,000 streams: see docs/benchmarks.md."
    load = recorded["machine"]["load_average"][0]
    return (f"Latest run ({recorded['machine']['date']}, {recorded['machine']['cores']} cores, load {load:.1f}; "
            f"1,000 streams, no-op plan): {plain['wall']:.1f} s and {plain['cpu']:.2f} s of CPU against "
            f"{boto3_plain['wall']:.1f} s and {boto3_plain['cpu']:.2f} s for a sequential boto3 script making the "
            f"same reads ({boto3_plain['wall'] / plain['wall']:.2f}× the wall time, {boto3_plain['cpu'] / plain['cpu']:.2f}× "
            f"the CPU); with {2 * recorded['run']['latency_each_way_ms']} ms added per call, {latency['wall']:.1f} s "
            f"against {boto3_latency['wall']:.1f} s ({boto3_latency['wall'] / latency['wall']:.1f}×) and "
            f"{pool['wall']:.1f} s for a 16-thread boto3 pool; peak RSS {plain['rss_mb']:.0f} MB; "
            f"`reconcile --version` {version['wall'] * 1000:.0f} ms; `validate` of 1,000 streams "
            f"{validate['wall']:.2f} s." + quota_summary(figures))


def quota_summary(figures: list[dict]) -> str:
    """The quota-mode sentence of the README's figures, when the run measured it."""
    plan = find(figures, "quota", 1000, "reconcile plan")
    peers = [f for f in figures if f["mode"] == "quota" and f["size"] == 1000 and f["peer_of"]]
    if plan is None or not plan.get("floor"):
        return ""
    fastest = min(peers, key=lambda f: f["wall"], default=None)
    peer_text = (f"; the fastest boto3 reader with standard retries took {fastest['wall']:.0f} s and received "
                 f"{throttled_answers(fastest)}" if fastest else "")
    return (f" Against AWS's documented API rates (quota mode, 1,000 streams): {plan['wall']:.0f} s, "
            f"{plan['wall'] / plan['floor']:.2f}× the {plan['floor']:.0f} s floor its calls allow, "
            f"{throttled_answers(plan)} absorbed, {plan.get('surfaced', 0)} surfaced"
            f"{peer_text}.")


def throttled_answers(figure: dict) -> str:
    count = count_calls(figure, 'throttled:')
    return f"{count} throttled answer{'' if count == 1 else 's'}"


def readme_with(summary: str, readme: str) -> str:
    begin, end = readme.index(README_BEGIN) + len(README_BEGIN), readme.index(README_END)
    return readme[:begin] + "\n" + summary + "\n" + readme[end:]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when the report differs from the record")
    args = parser.parse_args(argv)
    recorded = json.loads(RECORD.read_text())
    expected = {REPORT: render(recorded, NOTES.read_text()),
                README: readme_with(readme_summary(recorded), README.read_text())}
    if args.check:
        stale = [path for path, text in expected.items() if path.read_text() != text]
        for path in stale:
            print(f"{path.relative_to(ROOT)} differs from what {RECORD.relative_to(ROOT)} gives: "
                  "regenerate it with `python3 bench/bench_report.py`", file=sys.stderr)
        if not stale:
            print("docs/benchmarks.md and the README's figures match their record")
        return 1 if stale else 0
    for path, text in expected.items():
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
