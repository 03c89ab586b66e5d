#!/usr/bin/env python3
"""`make bench`: reconcile against the local endpoint at 1, 100 and 1,000 declared streams,
side by side with the ways users read the same state today.

Starts its own moto server and the fault proxy (Tests/Proxy/fault_proxy.py) in front of it;
every client, reconcile and peers alike, goes through the proxy, which counts calls by
operation and, in latency mode, adds 15 ms each way (about 30 ms per round trip). In quota mode
the proxy enforces AWS's documented per-account API rates (Tests/Proxy/aws_quotas.py) and answers
as AWS throttles; reconcile runs with `--rate-limits aws`, the boto3 peers with botocore's standard
retries, and each is set against the quota floor of its own calls. The two boto3 readers run at
the same time in quota mode, the pool in a second region holding a copy of the streams: AWS
counts quotas per account and region, as the proxy does, so each reader has its own budget and
the bench waits for the slower one rather than for both.

  python3 bench/run_bench.py                 full run, writes docs/benchmarks.md
  python3 bench/run_bench.py --quick         1 and 100 streams, 2 runs (smoke test)
  python3 bench/run_bench.py --peers-only    only the boto3 / aws CLI peers (no binary needed)

Each figure is the median of --runs runs; a subject stops early once it has used its time
budget (--subject-budget); quota-mode figures are single runs (--quota-runs), since the rates
bind them and a 1,000-stream run takes minutes. The table says how many runs each figure is the
median of.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import boto3
from botocore.config import Config

import bench_report

ROOT = Path(__file__).resolve().parent.parent
PROXY_SCRIPT = ROOT / "Tests" / "Proxy" / "fault_proxy.py"
MOTO_SCRIPT = ROOT / "Tests" / "Proxy" / "moto_tag_index.py"
PEER_SCRIPT = ROOT / "bench" / "peer_read.py"
DEFAULT_BINARY = ROOT / ".build" / "release" / "reconcile"
REGION = "eu-central-1"
# Quota mode runs the two boto3 readers at once, the pool in a region of its own: AWS counts
# quotas per account and region (and so does the proxy), so neither spends the other's budget.
POOL_QUOTA_REGION = "eu-west-1"
STACK_COUNT = 10
LATENCY_EACH_WAY_MS = 15
RECONCILE_MIN_RUNS = 3  # reconcile's own figures are medians of at least 3 runs, whatever the budget
PROJECT_TAG = ("reconcile:project", "default")


# --------------------------------------------------------------------------- processes

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"{process.args[0]} exited early ({process.returncode})")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise BenchError(f"nothing listening on port {port} after {seconds} s")


class BenchError(Exception):
    pass


class Servers:
    """moto on a free loopback port and the counting proxy in front of it."""

    def __init__(self, scratch: Path):
        moto_port = free_port()
        self.moto_endpoint = f"http://127.0.0.1:{moto_port}"
        # moto_server plus the one-read tag index, so the proxy's GetResources costs moto one read,
        # not one ListTagsForStream per stream that AWS's bulk answer would not cost (moto_tag_index.py).
        self.moto = subprocess.Popen([sys.executable, str(MOTO_SCRIPT), "-H", "127.0.0.1", "-p", str(moto_port)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.proxy = None
        self.declared: set[str] = set()  # stream names the current manifests declare
        try:
            wait_for_port(moto_port, self.moto)
            port_file = scratch / "proxy.port"
            port_file.unlink(missing_ok=True)  # a reused scratch directory's old port would be read at once
            self.proxy = subprocess.Popen([sys.executable, str(PROXY_SCRIPT), "--upstream", self.moto_endpoint,
                                           "--port", "0", "--port-file", str(port_file)],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 15
            while not port_file.exists():
                if self.proxy.poll() is not None or time.monotonic() > deadline:
                    raise BenchError("the fault proxy did not start")
                time.sleep(0.02)
            self.endpoint = f"http://127.0.0.1:{int(port_file.read_text())}"
        except BaseException:
            self.stop()
            raise

    def control(self, method: str, path: str, payload: dict | None = None) -> bytes:
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(self.endpoint + path, data=data, method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.read()

    def set_latency(self, each_way_ms: int) -> None:
        # Rules stay on (they cost no calls); no faults: this is a benchmark.
        self.control("POST", "/__proxy/config", {"latency_ms": each_way_ms})

    def set_aws_quotas(self) -> None:
        """Quota mode: AWS's documented rates, fresh buckets (a config replaces the previous one)."""
        self.control("POST", "/__proxy/config", {"latency_ms": 0, "quotas": "aws"})

    def quota_rates(self) -> dict[str, dict]:
        """Operation -> {"per_second", "per_stream"} of the rates the proxy enforces."""
        table = json.loads(self.control("GET", "/__proxy/quotas"))["rates"]
        return {operation: {"per_second": row["per_second"], "per_stream": row["per_stream"]}
                for row in table for operation in row["operations"]}

    def reset_calls(self) -> None:
        self.control("POST", "/__proxy/reset-log")

    def log(self) -> list[dict]:
        """The proxy's log entries since the last `reset_calls`."""
        return [json.loads(line) for line in self.control("GET", "/__proxy/log").decode().splitlines()]

    def calls(self, entries: list[dict]) -> collections.Counter:
        """Calls by `service:operation`; the region-wide discovery pass (ListStreams pages,
        DescribeStacks without a name, ListTagsForStream of undeclared streams) is counted
        apart under `discovery:...`."""
        counter: collections.Counter = collections.Counter()
        for entry in entries:
            operation, resource = entry["operation"], entry.get("resource")
            if not operation or entry["service"] == "moto-api":
                continue
            discovery = operation == "ListStreams" or (operation == "DescribeStacks" and not resource) or (
                operation == "ListTagsForStream" and resource not in self.declared)
            counter[f"{'discovery' if discovery else entry['service']}:{operation}"] += 1
            if entry.get("rule") in ("rate_limit", "quota") or entry.get("fault") == "throttle":
                counter["throttled:" + operation] += 1
        return counter

    @staticmethod
    def answered_calls(entries: list[dict]) -> list[tuple[str, str | None]]:
        """(operation, resource) of every AWS call the proxy answered without throttling."""
        return [(entry["operation"], entry.get("resource")) for entry in entries
                if entry["operation"] and entry["service"] != "moto-api" and entry.get("rule") != "quota"]

    def reset_moto(self) -> None:
        urllib.request.urlopen(urllib.request.Request(self.moto_endpoint + "/moto-api/reset", method="POST"),
                               timeout=30).read()
        self.control("POST", "/__proxy/reset-state")

    def stop(self) -> None:
        for process in (self.proxy, self.moto):
            if process and process.poll() is None:
                process.kill()
                process.wait(timeout=10)


def client_environment(endpoint: str) -> dict:
    environment = dict(os.environ)
    environment.update({
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION, "AWS_ENDPOINT_URL": endpoint, "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_PAGER": "",
    })
    environment.pop("AWS_PROFILE", None)
    return environment


@dataclass
class Sample:
    wall: float
    cpu: float
    rss_mb: float
    calls: collections.Counter = field(default_factory=collections.Counter)
    surfaced: int = 0  # throttling errors that reached the user (quota mode)
    floor: float | None = None  # the quota floor of this run's own calls (quota mode)


# GNU time reports the child's own peak RSS. wait4 cannot: a child forked from this Python process
# starts with the bench's resident pages, and the kernel keeps that peak across exec, so wait4
# would never read below the bench's own size (about 40 MB once boto3 is loaded).
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def run_child(argv: list[str], environment: dict, output_path: Path) -> tuple[Sample, int]:
    """Runs one child to completion; wall time, its user+sys CPU (wait4) and peak RSS (GNU time's
    report when installed, else wait4)."""
    rss_report = output_path.with_name(output_path.name + ".rss")
    wrapped = [GNU_TIME, "-f", "%M", "-o", str(rss_report), *argv] if GNU_TIME else argv
    with open(output_path, "wb") as output:
        started = time.perf_counter()
        process = subprocess.Popen(wrapped, env=environment, stdout=output, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    rss_mb = usage.ru_maxrss / 1024
    if GNU_TIME:
        reported = rss_report.read_text().split() if rss_report.exists() else []
        if reported and reported[-1].isdigit():  # "Command exited with non-zero status N" may come first
            rss_mb = int(reported[-1]) / 1024
    return Sample(wall, usage.ru_utime + usage.ru_stime, rss_mb), process.returncode


def run_checked(argv: list[str], environment: dict, output_path: Path) -> Sample:
    sample, code = run_child(argv, environment, output_path)
    if code != 0:
        tail = output_path.read_text(errors="replace")[-2000:]
        raise BenchError(f"{' '.join(argv[:3])} ... exited {code}:\n{tail}")
    return sample


# --------------------------------------------------------------------------- manifests and state

@dataclass
class Layout:
    """The declared streams: half managed directly, half spread over 10 stacks."""
    size: int
    direct: list[str]
    stacks: dict[str, list[str]]

    @classmethod
    def of(cls, size: int) -> "Layout":
        stacked_count = size // 2
        direct = [f"bench-d-{index:04d}" for index in range(size - stacked_count)]
        stacks: dict[str, list[str]] = {}
        if stacked_count:
            stack_count = min(STACK_COUNT, stacked_count)
            for index in range(stacked_count):
                stacks.setdefault(f"bench-stack-{index % stack_count:02d}", []).append(f"bench-s-{index:04d}")
        return cls(size, direct, stacks)

    @property
    def all_streams(self) -> list[str]:
        return self.direct + [name for names in self.stacks.values() for name in names]

    def touched(self) -> set[str]:
        """Every tenth stream (at least one): what the apply benchmark changes."""
        streams = self.all_streams
        return set(streams[::10]) or set(streams[:1])

    def inventory(self) -> dict:
        return {"direct_streams": self.direct, "stacks": sorted(self.stacks),
                "stack_streams": [name for names in self.stacks.values() for name in names]}


def stream_document(name: str, retention: int, stack: str | None) -> str:
    stack_line = f"\n  stack: {stack}" if stack else ""
    return (f"apiVersion: reconcile/v1\nkind: Stream\nmetadata:\n  name: {name}{stack_line}\n"
            f"spec:\n  shardCount: 1\n  retentionPeriodHours: {retention}\n  tags: {{bench: \"true\"}}\n")


def write_manifests(layout: Layout, directory: Path, long_retention: set[str] = frozenset()) -> Path:
    """Manifests as users write them: one file of direct streams, one file per stack."""
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    retention = lambda name: 48 if name in long_retention else 24  # noqa: E731
    (directory / "streams.yaml").write_text("---\n".join(
        stream_document(name, retention(name), None) for name in layout.direct))
    for stack, names in layout.stacks.items():
        stack_document = (f"apiVersion: reconcile/v1\nkind: Stack\nmetadata:\n  name: {stack}\n"
                          f"spec:\n  description: bench stack {stack}\n  tags: {{bench: \"true\"}}\n")
        documents = [stack_document] + [stream_document(name, retention(name), stack) for name in names]
        (directory / f"{stack}.yaml").write_text("---\n".join(documents))
    return directory


def create_state_with_boto3(layout: Layout, moto_endpoint: str, region: str = REGION) -> None:
    """--peers-only: the live state apply would have made, created straight in moto."""
    options = dict(endpoint_url=moto_endpoint, region_name=region, aws_access_key_id="testing",
                   aws_secret_access_key="testing")
    kinesis = boto3.client("kinesis", **options)
    cloudformation = boto3.client("cloudformation", **options)
    for name in layout.direct:
        kinesis.create_stream(StreamName=name, ShardCount=1)
        kinesis.add_tags_to_stream(StreamName=name, Tags={"bench": "true", PROJECT_TAG[0]: PROJECT_TAG[1]})
    for stack, names in layout.stacks.items():
        resources = {"".join(part.capitalize() for part in name.split("-")): {
            "Type": "AWS::Kinesis::Stream",
            "Properties": {"Name": name, "ShardCount": 1, "RetentionPeriodHours": 24,
                           "Tags": [{"Key": "bench", "Value": "true"}]}} for name in names}
        cloudformation.create_stack(StackName=stack, TemplateBody=json.dumps({"Resources": resources}),
                                    Tags=[{"Key": "bench", "Value": "true"},
                                          {"Key": PROJECT_TAG[0], "Value": PROJECT_TAG[1]}])


# --------------------------------------------------------------------------- measuring

@dataclass
class Figure:
    mode: str
    size: int
    subject: str
    runs: int
    wall: float
    cpu: float
    rss_mb: float
    calls: collections.Counter
    peer_of: str | None = None  # the reconcile subject this peer is compared with
    note: str = ""
    surfaced: int = 0
    floor: float | None = None

    @property
    def total_calls(self) -> int:
        return sum(count for operation, count in self.calls.items() if not operation.startswith("throttled:"))

    def count(self, prefix: str) -> int:
        return sum(count for operation, count in self.calls.items() if operation.startswith(prefix))


def quota_floor(calls: list[tuple[str, str | None]], rates: dict[str, dict]) -> float:
    """The least time AWS's rates allow for these calls: each operation's bucket starts with one
    second's worth, then refills at its rate; the slowest operation (or stream, for rates AWS
    counts per stream) sets the floor. Calls that no published rate limits cost nothing here."""
    counts: collections.Counter = collections.Counter()
    for operation, resource in calls:
        rate = rates.get(operation)
        if rate is not None:
            counts[(operation, resource if rate["per_stream"] else None)] += 1
    floor = 0.0
    for (operation, _), count in counts.items():
        per_second = rates[operation]["per_second"]
        floor = max(floor, max(0.0, count - max(per_second, 1.0)) / per_second)
    return floor


def measure(subject: str, mode: str, size: int, runs: int, budget: float, one_run, servers: Servers,
            peer_of: str | None = None, min_runs: int = 1, rates: dict | None = None) -> Figure:
    """Median of up to `runs` runs of `one_run()`; once `min_runs` are done, stops early after
    `budget` seconds. With `rates` (quota mode), each run's floor comes from its own calls."""
    samples: list[Sample] = []
    started = time.monotonic()
    min_runs = min(min_runs, runs)
    for _ in range(runs):
        servers.reset_calls()
        sample = one_run(len(samples))
        count_calls_of(sample, servers.log(), servers, rates)
        samples.append(sample)
        if len(samples) >= min_runs and time.monotonic() - started > budget:
            break
    return figure_of(subject, mode, size, samples, peer_of, rates)


def measure_together(subjects: list[tuple[str, str, object]], mode: str, size: int, runs: int, budget: float,
                     servers: Servers, before_run, peer_of: str | None, rates: dict) -> list[Figure]:
    """`measure` for clients that run at the same time, each in a region of its own: every run
    starts them together after `before_run()`, and each one's calls are its region's log entries.
    `subjects` are (subject, region, one_run)."""
    samples: dict[str, list[Sample]] = {subject: [] for subject, _, _ in subjects}
    started = time.monotonic()
    for index in range(runs):
        servers.reset_calls()
        before_run()
        with ThreadPoolExecutor(len(subjects)) as pool:
            futures = {subject: pool.submit(one_run, index) for subject, _, one_run in subjects}
        entries = servers.log()
        for subject, region, _ in subjects:
            sample = futures[subject].result()
            count_calls_of(sample, [entry for entry in entries if entry.get("region") == region], servers, rates)
            samples[subject].append(sample)
        if time.monotonic() - started > budget:
            break
    return [figure_of(subject, mode, size, samples[subject], peer_of, rates) for subject, _, _ in subjects]


def count_calls_of(sample: Sample, entries: list[dict], servers: Servers, rates: dict | None) -> None:
    """The run's calls from the proxy's log and, in quota mode, the floor AWS's rates allow them."""
    sample.calls = servers.calls(entries)
    if rates is not None:
        sample.floor = quota_floor(servers.answered_calls(entries), rates)


def figure_of(subject: str, mode: str, size: int, samples: list[Sample], peer_of: str | None,
              rates: dict | None) -> Figure:
    """The figure of a subject's runs (medians), printed as it is recorded."""
    median_calls = sorted(samples, key=lambda s: sum(s.calls.values()))[len(samples) // 2].calls
    figure = Figure(mode, size, subject, len(samples), statistics.median(s.wall for s in samples),
                    statistics.median(s.cpu for s in samples), max(s.rss_mb for s in samples), median_calls,
                    peer_of, surfaced=max(s.surfaced for s in samples),
                    floor=statistics.median(s.floor for s in samples) if rates is not None else None)
    extra = (f"  floor {figure.floor:6.1f} s  throttled {figure.count('throttled:')}  surfaced {figure.surfaced}"
             if rates is not None else "")
    print(f"  {mode:7} {size:5} {subject:28} {figure.wall:8.3f} s  cpu {figure.cpu:7.3f} s  "
          f"rss {figure.rss_mb:6.1f} MB  calls {figure.total_calls:5}  ({figure.runs} runs){extra}", flush=True)
    return figure


class Bench:
    def __init__(self, args, scratch: Path):
        self.args, self.scratch = args, scratch
        self.binary = str(args.binary)
        self.servers = Servers(scratch)
        self.environment = client_environment(self.servers.endpoint)
        self.figures: list[Figure] = []
        self.notes: list[str] = []

    def reconcile(self, *arguments: str) -> list[str]:
        return [self.binary, *arguments, "--endpoint-url", self.servers.endpoint]

    def output(self, name: str) -> Path:
        return self.scratch / f"{name}.out"

    # one size ---------------------------------------------------------------------------
    def bench_size(self, size: int) -> None:
        layout = Layout.of(size)
        self.servers.reset_moto()
        self.servers.set_latency(0)
        self.servers.declared = set(layout.all_streams)
        manifests = write_manifests(layout, self.scratch / f"manifests-{size}")
        print(f"\n{size} streams: {len(layout.direct)} direct, {len(layout.all_streams) - len(layout.direct)} "
              f"in {len(layout.stacks)} stacks", flush=True)
        if self.args.peers_only:
            create_state_with_boto3(layout, self.servers.moto_endpoint)
        else:
            started = time.monotonic()
            run_checked(self.reconcile("apply", str(manifests), "--auto-approve"), self.environment,
                        self.output(f"setup-{size}"))
            self.notes.append(f"Initial apply of {size} streams took {time.monotonic() - started:.1f} s.")
        inventory = self.scratch / f"inventory-{size}.json"
        inventory.write_text(json.dumps(layout.inventory()))
        for mode, latency in (("plain", 0), ("latency", LATENCY_EACH_WAY_MS)):
            self.servers.set_latency(latency)
            self.bench_reads(mode, layout, manifests, inventory)
            # The plan is measured under latency too; apply in plain mode only.
            if not self.args.peers_only and (mode == "plain" or self.args.latency_apply):
                self.bench_apply(mode, layout, manifests)
        if size in self.args.quota_sizes:
            self.bench_quotas(layout, manifests, inventory)
        self.servers.set_latency(0)

    def bench_reads(self, mode: str, layout: Layout, manifests: Path, inventory: Path) -> None:
        args, size = self.args, layout.size
        plan_subject = "reconcile plan (no changes)"
        if not args.peers_only:
            def plan_once(_index):
                output = self.output(f"plan-{mode}-{size}")
                sample = run_checked(self.reconcile("plan", str(manifests)), self.environment, output)
                if "No changes." not in output.read_text(errors="replace"):
                    self.notes.append(f"{mode} {size}: plan was not a no-op (see its output).")
                return sample
            self.figures.append(measure(plan_subject, mode, size, args.runs, args.subject_budget, plan_once,
                                        self.servers, min_runs=RECONCILE_MIN_RUNS))
        for peer in ("sequential", "pool"):
            def peer_once(_index, peer=peer):
                return run_checked([sys.executable, str(PEER_SCRIPT), peer, str(inventory)], self.environment,
                                   self.output(f"peer-{peer}"))
            subject = "boto3 sequential" if peer == "sequential" else "boto3 thread pool (16)"
            self.figures.append(measure(subject, mode, size, args.runs, args.subject_budget, peer_once,
                                        self.servers, peer_of=plan_subject))
        # The CLI's cost is its ~0.5 s start per call; 30 ms more per call changes little,
        # so latency mode skips it unless asked (it is the bench's slowest part).
        if size <= 100 and args.cli_runs > 0 and (mode == "plain" or args.cli_latency):
            self.figures.append(measure("aws CLI, once per resource", mode, size, args.cli_runs,
                                        args.subject_budget, lambda _index: self.aws_cli_once(layout),
                                        self.servers, peer_of=plan_subject))

    def bench_quotas(self, layout: Layout, manifests: Path, inventory: Path) -> None:
        """Quota mode: every client against AWS's documented rates, each run on full buckets."""
        args, size = self.args, layout.size
        self.servers.set_aws_quotas()
        rates = self.servers.quota_rates()
        plan_subject = "reconcile plan --rate-limits aws"
        print(f"  quota mode: {len(rates)} rates enforced", flush=True)
        if not args.peers_only:
            def plan_once(_index):
                self.servers.set_aws_quotas()
                output = self.output(f"plan-quota-{size}")
                sample, code = run_child(self.reconcile("plan", str(manifests), "--rate-limits", "aws"),
                                         self.environment, output)
                text = output.read_text(errors="replace")
                if code != 0 or "No changes." not in text:
                    sample.surfaced = 1  # the user saw a failure (throttling reached them) or a changed plan
                    self.notes.append(f"quota {size}: reconcile exited {code} or planned changes: {text[-300:]!r}")
                return sample
            self.figures.append(measure(plan_subject, "quota", size, args.quota_runs, args.subject_budget,
                                        plan_once, self.servers, rates=rates))
        peers = []
        for peer, region in (("sequential", REGION), ("pool", POOL_QUOTA_REGION)):
            environment = dict(self.environment, AWS_REGION=region, AWS_DEFAULT_REGION=region)

            def peer_once(_index, peer=peer, environment=environment):
                output = self.output(f"peer-quota-{peer}")
                sample = run_checked([sys.executable, str(PEER_SCRIPT), peer, str(inventory), "--standard-retries"],
                                     environment, output)
                sample.surfaced = int(json.loads(output.read_text().strip().splitlines()[-1])["surfaced"])
                return sample
            subject = "boto3 sequential, standard retries" if peer == "sequential" else \
                "boto3 thread pool (16), standard retries"
            peers.append((subject, region, peer_once))
        self.seed_region(layout, manifests, POOL_QUOTA_REGION)
        self.figures += measure_together(peers, "quota", size, args.quota_runs, args.subject_budget, self.servers,
                                         self.servers.set_aws_quotas, peer_of=plan_subject, rates=rates)

    def seed_region(self, layout: Layout, manifests: Path, region: str) -> None:
        """The same streams and stacks in another region, for a reader that runs there (quotas off)."""
        self.servers.control("POST", "/__proxy/config", {"latency_ms": 0})
        started = time.monotonic()
        if self.args.peers_only:
            create_state_with_boto3(layout, self.servers.moto_endpoint, region)
        else:
            run_checked(self.reconcile("apply", str(manifests), "--auto-approve"),
                        dict(self.environment, AWS_REGION=region, AWS_DEFAULT_REGION=region),
                        self.output(f"setup-{region}-{layout.size}"))
        self.notes.append(f"Copying {layout.size} streams to {region} for the quota-mode pool took "
                          f"{time.monotonic() - started:.1f} s.")

    def aws_cli_once(self, layout: Layout) -> Sample:
        """A shell loop of `aws` calls: one process per call; CPU summed, RSS the largest."""
        commands = []
        for name in layout.direct:
            commands.append(["kinesis", "describe-stream-summary", "--stream-name", name])
            commands.append(["kinesis", "list-tags-for-stream", "--stream-name", name])
        for name in layout.inventory()["stack_streams"]:  # drift check, as reconcile does
            commands.append(["kinesis", "describe-stream-summary", "--stream-name", name])
            commands.append(["kinesis", "list-tags-for-stream", "--stream-name", name])
        for stack in sorted(layout.stacks):
            commands.append(["cloudformation", "describe-stacks", "--stack-name", stack])
            commands.append(["cloudformation", "get-template", "--stack-name", stack])
        total = Sample(0.0, 0.0, 0.0)
        started = time.perf_counter()
        for command in commands:
            sample = run_checked(["aws", *command], self.environment, self.output("aws-cli"))
            total.cpu += sample.cpu
            total.rss_mb = max(total.rss_mb, sample.rss_mb)
        total.wall = time.perf_counter() - started
        return total

    def bench_apply(self, mode: str, layout: Layout, manifests: Path) -> None:
        """apply of a change touching 10% of the streams, alternating retention 24 -> 48 -> 24."""
        touched, size = layout.touched(), layout.size
        changed_dir = self.scratch / f"manifests-{size}-changed"

        def apply_once(index):
            target = write_manifests(layout, changed_dir, touched) if index % 2 == 0 else manifests
            return run_checked(self.reconcile("apply", str(target), "--auto-approve"), self.environment,
                               self.output(f"apply-{mode}-{size}"))
        figure = measure(f"reconcile apply ({len(touched)} changed)", mode, size, self.args.runs,
                         self.args.subject_budget, apply_once, self.servers, min_runs=RECONCILE_MIN_RUNS)
        self.figures.append(figure)
        if figure.runs % 2 == 1:  # an odd number of runs left the change applied: undo it
            run_checked(self.reconcile("apply", str(manifests), "--auto-approve"), self.environment,
                        self.output("apply-restore"))

    def bench_cold_start(self) -> None:
        manifests = write_manifests(Layout.of(1000), self.scratch / "manifests-cold")
        runs = max(self.args.runs, 5)
        version = lambda _index: run_checked([self.binary, "--version"], self.environment,  # noqa: E731
                                             self.output("version"))
        validate = lambda _index: run_checked([self.binary, "validate", str(manifests)],  # noqa: E731
                                              self.environment, self.output("validate"))
        print("\ncold start", flush=True)
        self.figures.append(measure("reconcile --version", "cold", 0, runs, 60, version, self.servers))
        self.figures.append(measure("reconcile validate (1,000 streams)", "cold", 1000, runs, 60, validate,
                                    self.servers))


# --------------------------------------------------------------------------- report

def machine_facts(binary: str, peers_only: bool) -> dict:
    """What the figures were measured on, recorded with them."""
    memory_kb = 0
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_kb = int(line.split()[1])
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {"moto": "?", "boto3": boto3.__version__, "aws CLI": "?", "reconcile": "not built"}
    try:
        import moto
        versions["moto"] = moto.__version__
    except ImportError:
        pass
    try:
        versions["aws CLI"] = subprocess.run(["aws", "--version"], capture_output=True, text=True,
                                             timeout=30).stdout.split()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        pass
    if not peers_only:
        versions["reconcile"] = subprocess.run([binary, "--version"], capture_output=True, text=True,
                                               timeout=30).stdout.strip()
    return {"load_average": list(os.getloadavg()),
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "cores": os.cpu_count(), "cpu_model": model, "memory_gib": round(memory_kb / 1024 / 1024, 1),
            "system": f"{platform.system()} {platform.release()}", "versions": versions}


def record(bench: "Bench", measuring: float, whole: float | None) -> dict:
    """Everything the report states, as measured: docs/results/benchmarks.json."""
    args = bench.args
    return {
        "machine": machine_facts(bench.binary, args.peers_only),
        "run": {"sizes": list(args.sizes), "runs": args.runs, "reconcile_min_runs": min(RECONCILE_MIN_RUNS, args.runs),
                "cli_runs": args.cli_runs, "subject_budget": args.subject_budget, "peers_only": args.peers_only,
                "quick": args.quick, "latency_each_way_ms": LATENCY_EACH_WAY_MS,
                "quota_sizes": list(args.quota_sizes), "quota_runs": args.quota_runs,
                "rss_source": "GNU time" if GNU_TIME else "wait4"},
        "duration": {"measuring": measuring, "whole": whole},
        "layouts": {str(size): {"direct": len(Layout.of(size).direct), "stacks": len(Layout.of(size).stacks),
                                "streams": size} for size in sorted(set(args.sizes) | {1000})},
        "figures": [{"mode": f.mode, "size": f.size, "subject": f.subject, "runs": f.runs, "wall": f.wall,
                     "cpu": f.cpu, "rss_mb": f.rss_mb, "calls": dict(sorted(f.calls.items())),
                     "peer_of": f.peer_of, **({"floor": f.floor, "surfaced": f.surfaced} if f.mode == "quota" else {})}
                    for f in bench.figures],
        "observations": bench.notes,
    }


# --------------------------------------------------------------------------- main

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="reconcile benchmark")
    parser.add_argument("--binary", type=Path, default=DEFAULT_BINARY, help="the reconcile binary (release build)")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument("--cli-runs", type=int, default=1, help="runs of the aws CLI peer (slow: one process a call)")
    parser.add_argument("--cli-latency", action="store_true", help="also run the aws CLI peer in latency mode")
    parser.add_argument("--subject-budget", type=float, default=20.0,
                        help="seconds after which a subject stops adding runs (keeps the bench short)")
    parser.add_argument("--latency-apply", action="store_true", help="also measure apply in latency mode")
    parser.add_argument("--started-at", type=float, default=None,
                        help="Unix time `make bench` started (before building), so the report counts the build")
    parser.add_argument("--sizes", type=int, nargs="+", default=bench_report.FULL_SIZES)
    parser.add_argument("--quota-sizes", type=int, nargs="*", default=bench_report.QUOTA_SIZES,
                        help="sizes also measured in quota mode (AWS's rates enforced; slow: minutes at 1,000)")
    parser.add_argument("--quota-runs", type=int, default=1,
                        help="runs per quota-mode figure (each is bound by the rates, so they vary little)")
    parser.add_argument("--quick", action="store_true", help="1 and 100 streams, 2 runs: a smoke test")
    parser.add_argument("--peers-only", action="store_true", help="measure only the boto3 / aws CLI peers")
    parser.add_argument("--out", type=Path, default=bench_report.REPORT)
    parser.add_argument("--record", type=Path, default=bench_report.RECORD,
                        help="where the measured figures are recorded (the report is rendered from them)")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.runs, args.quota_sizes = [1, 100], 2, [100]
    if not args.peers_only and not os.access(args.binary, os.X_OK):
        print(f"error: the reconcile binary is missing: {args.binary}\n"
              "Build it with `swift build -c release` (make bench does), pass --binary PATH, "
              "or measure only the peers with --peers-only.", file=sys.stderr)
        return 2
    for tool in ("moto_server", "aws"):
        if shutil.which(tool) is None:
            print(f"error: `{tool}` is not on PATH (make tools installs it)", file=sys.stderr)
            return 2
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="reconcile-bench-") as scratch:
        try:
            bench = Bench(args, Path(scratch))
        except BenchError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        try:
            for size in args.sizes:
                bench.bench_size(size)
            if not args.peers_only:
                bench.bench_cold_start()
        except BenchError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        finally:
            bench.servers.stop()
        measuring = time.monotonic() - started
        whole = time.time() - args.started_at if args.started_at else None
        recorded = record(bench, measuring, whole)
    args.record.parent.mkdir(parents=True, exist_ok=True)
    args.record.write_text(json.dumps(recorded, indent=1, ensure_ascii=False) + "\n")
    text = bench_report.render(recorded, bench_report.NOTES.read_text())
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    if args.out == bench_report.REPORT and args.record == bench_report.RECORD:
        readme = bench_report.README.read_text()
        bench_report.README.write_text(bench_report.readme_with(bench_report.readme_summary(recorded), readme))
    print("\n" + text)
    print(f"recorded {args.record}, wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
