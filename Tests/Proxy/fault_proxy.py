#!/usr/bin/env python3
"""A fault and fidelity proxy between an AWS client and moto's server (test code only).

moto speaks the real wire protocols but never throttles, fails, waits or enforces
several AWS rules (see docs/testing.md). This proxy forwards every request to moto
unchanged and, as configured per test, adds what moto lacks:

* faults: throttling, HTTP 500/503 in each protocol's error shape, connection resets
  before or after the request reached moto, added latency; by seeded probability or
  scripted per operation;
* AWS rules: Kinesis shard scaling limits, CREATING/UPDATING windows, name and tag
  validation, CloudFormation termination protection, per-operation rate limits;
* CloudFormation failure: a template with a marked resource ends ROLLBACK_COMPLETE
  (or UPDATE_ROLLBACK_COMPLETE) with a resource event carrying a reason;
* a quota mode (``"quotas": "aws"``): AWS's documented per-account API rates (aws_quotas.py),
  answered with each protocol's throttling error and counted per client (GET /__proxy/quotas);
* a JSON-lines log of every request for assertions;
* a pause: the n-th write request (anything but Describe*/List*/Get*/ValidateTemplate)
  reaches moto, then its answer is held until POST /__proxy/release, so a test can
  kill the client at an exact point ("pause": {"after_write": N}).

Fidelity rules that are on by default because AWS behaves so and moto does not:
``create_stream_tags`` applies CreateStream's ``Tags`` (AWS applies them atomically
with the create; moto ignores them) by sending moto an AddTagsToStream right after.

Start:  fault_proxy.py --upstream http://127.0.0.1:MOTO --port 0 --port-file F
                       [--config cfg.json] [--log log.jsonl]
Control (same port, never forwarded): POST /__proxy/config, GET /__proxy/config,
GET /__proxy/log, POST /__proxy/reset-log, POST /__proxy/reset-state, GET /__proxy/stats,
GET /__proxy/pause ({"paused": bool, "writes": N, "operation": op}), POST /__proxy/release,
GET /__proxy/quotas ({"enabled": bool, "rates": [...], "throttled": {client: {operation: N}}}).

Config (all keys optional):
  {"faults": {"probability": 0.2, "seed": 7, "kinds": [...], "operations": [...], "latency_ms": 0},
   "script": [{"operation": "CreateStream" | "*", "nth": 1 | [1, 2], "fault": "throttle"}],
   "rules": {see DEFAULT_RULES}, "rate_limits": [{"operations": [...], "per_second": 5, "burst": 5}],
   "quotas": "aws", "quota_overrides": {"service:Operation": per_second},
   "latency_ms": 0, "pause": {"after_write": 3, "timeout_seconds": 120}}

Python 3.11 standard library, plus botocore for the model check (model_check.py); loopback only.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import http.client
import json
import os
import random
import re
import socket
import struct
import sys
import threading
import time
import urllib.parse
import uuid
import xml.etree.ElementTree as ET
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import account_limits_rule  # noqa: E402
import aws_quotas  # noqa: E402
import model_check  # noqa: E402  (next to this script; needs botocore)
import resource_policy_rule  # noqa: E402
import stack_rules  # noqa: E402
import tagging_rule  # noqa: E402
import stream_settings_rule  # noqa: E402

ACCOUNT_ID = "123456789012"
KINESIS_TARGET_PREFIX = "Kinesis_20131202."
KINESIS_CONTENT_TYPE = "application/x-amz-json-1.1"
QUERY_NAMESPACES = {
    "cloudformation": "http://cloudformation.amazonaws.com/doc/2010-05-15/",
    "sts": "https://sts.amazonaws.com/doc/2011-06-15/",
}
CFN_NS = QUERY_NAMESPACES["cloudformation"]
ET.register_namespace("", CFN_NS)

MAX_BODY_BYTES = 64 * 1024 * 1024  # bigger than any template or record batch a test sends
MAX_CHUNKS = 100_000  # bound on chunked-body reading
UPSTREAM_TIMEOUT_SECONDS = 120
MAX_LOG_ENTRIES_IN_MEMORY = 1_000_000

FAULT_KINDS = ("throttle", "500", "503", "reset_before", "reset_after", "latency", "access_denied")
# Data-plane reads are never faulted unless listed explicitly in "operations".
READ_ONLY_DATA_PLANE = {"GetRecords", "GetShardIterator", "SubscribeToShard"}
STREAM_NAME_PATTERN = re.compile(r"^[a-zA-Z0-9_.-]{1,128}$")
# Writes that leave a stream UPDATING on AWS; CreateStream leaves it CREATING.
STREAM_UPDATING_WRITES = {
    "UpdateShardCount", "UpdateStreamMode", "StartStreamEncryption", "StopStreamEncryption",
    "IncreaseStreamRetentionPeriod", "DecreaseStreamRetentionPeriod",
}
# Writes AWS refuses with ResourceInUseException while the stream is not ACTIVE.
STREAM_WRITES_NEEDING_ACTIVE = STREAM_UPDATING_WRITES | {
    "AddTagsToStream", "RemoveTagsFromStream", "EnableEnhancedMonitoring",
    "DisableEnhancedMonitoring", "RegisterStreamConsumer",
}

DEFAULT_RULES = {
    "shard_scaling": True,            # UpdateShardCount at most double / half per call
    "shard_updates_per_day": 10,      # UpdateShardCount calls per stream per rolling 24 h (0: off)
    "busy_seconds": 0.0,              # CREATING/UPDATING window after a stream write (0: off)
    "consumer_busy_seconds": 0.0,     # consumer CREATING window after RegisterStreamConsumer
    "stream_names": True,             # ^[a-zA-Z0-9_.-]{1,128}$ for StreamName / ConsumerName
    "tag_limits": True,               # 50 tags per stream, 10 per AddTagsToStream call
    "termination_protection": True,   # DeleteStack refused while protected
    "failing_stacks": True,           # marked templates end ROLLBACK_COMPLETE
    "fail_marker": {"key": "reconcile-test", "value": "fail"},
    "create_stream_tags": True,       # apply CreateStream's Tags as AWS does (moto ignores them)
    "unique_consumer_names": True,    # a second RegisterStreamConsumer of a name is ResourceInUse (moto duplicates)
    "drop_records": False,            # GetRecords answers no records (a put that never reads back)
    "model_check": True,              # refuse what AWS's API models and documented limits refuse (model_check.py)
    "consumer_arns": True,            # consumer ARNs end in ":<creation timestamp>" as on AWS (moto omits it)
    "stack_tag_updates": True,        # a tags-only UpdateStack changes the tags (moto: "No updates ...")
    "stack_stream_modes": True,       # a stack's StreamModeDetails sets the stream's mode (moto ignores it)
    "stack_busy_seconds": 0.0,        # *_IN_PROGRESS window after CreateStack/UpdateStack/DeleteStack (0: off)
    "tagging_streams": True,          # GetResources lists Kinesis streams and their tags (moto lists none)
    "tagging_lag_seconds": 0.0,       # GetResources answers from tags read from moto up to N s ago (0: current)
    "account_limits": None,           # {"shard_limit": N, "on_demand_stream_limit": N}: account_limits_rule.py
    "resource_policies": True,        # policies checked, consumers' kept, a deleted stream's cleared
    "stream_settings": True,          # max record size, warm throughput, consumer tags (stream_settings_rule.py)
}

READ_PREFIXES = ("Describe", "List", "Get")
# A consumer ARN as AWS writes it: .../stream/NAME/consumer/NAME:CREATION_EPOCH_SECONDS.
CONSUMER_ARN = re.compile(r"^(arn:[^/]+:stream/[^/]+/consumer/[^/:]+)(?::(\d+))?$")

# Creates whose name uniqueness AWS enforces atomically (see ProxyHandler.handle_any).
ATOMIC_CREATES = {"CreateStack", "CreateStream", "RegisterStreamConsumer"}


def is_write(call) -> bool:
    """A request that may change something: what a kill point counts."""
    return (call.is_aws and call.service in ("kinesis", "cloudformation")
            and not call.operation.startswith(READ_PREFIXES) and call.operation != "ValidateTemplate")


# --------------------------------------------------------------------------- helpers

def now_iso() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def xml_escape(text) -> str:
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def form_value(form: dict, key: str, default=None):
    values = form.get(key)
    return values[0] if values else default


def form_members(form: dict, prefix: str, fields: tuple[str, ...]) -> list[dict]:
    """Query-protocol lists: Prefix.member.N.Field=value, N from 1 until a gap."""
    members = []
    for index in range(1, 10_001):
        member = {field: form_value(form, f"{prefix}.member.{index}.{field}") for field in fields}
        if all(value is None for value in member.values()):
            break
        members.append(member)
    return members


def form_list(form: dict, prefix: str) -> list[str]:
    values = []
    for index in range(1, 10_001):
        value = form_value(form, f"{prefix}.member.{index}")
        if value is None:
            break
        values.append(value)
    return values


def stream_name_from(body: dict) -> str | None:
    if isinstance(body.get("StreamName"), str):
        return body["StreamName"]
    for key in ("StreamARN", "ConsumerARN", "ResourceARN"):
        arn = body.get(key)
        if isinstance(arn, str) and ":stream/" in arn:
            return arn.split(":stream/", 1)[1].split("/", 1)[0]
    return None


def region_from_authorization(headers) -> str:
    match = re.search(r"Credential=[^/]+/\d{8}/([^/]+)/", headers.get("Authorization", ""))
    return match.group(1) if match else "us-east-1"


class Reply:
    """A complete HTTP answer: from moto, or made up by the proxy."""

    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes, reason: str = ""):
        self.status, self.headers, self.body, self.reason = status, headers, body, reason

    def header(self, name: str) -> str | None:
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def replace_body(self, body: bytes):
        self.body = body
        self.headers = [(k, v) for k, v in self.headers if k.lower() != "content-length"]
        self.headers.append(("Content-Length", str(len(body))))


def kinesis_error(status: int, code: str, message: str) -> Reply:
    body = json.dumps({"__type": code, "message": message}).encode()
    return Reply(status, [("Content-Type", KINESIS_CONTENT_TYPE), ("x-amzn-RequestId", str(uuid.uuid4())),
                          ("Content-Length", str(len(body)))], body)


def kinesis_result(answer: dict) -> Reply:
    body = json.dumps(answer).encode()
    return Reply(200, [("Content-Type", KINESIS_CONTENT_TYPE), ("x-amzn-RequestId", str(uuid.uuid4())),
                       ("Content-Length", str(len(body)))], body)


def query_error(service: str, status: int, code: str, message: str, sender: bool = True) -> Reply:
    namespace = QUERY_NAMESPACES.get(service, CFN_NS)
    request_id = str(uuid.uuid4())
    body = (f'<ErrorResponse xmlns="{namespace}"><Error><Type>{"Sender" if sender else "Receiver"}</Type>'
            f"<Code>{xml_escape(code)}</Code><Message>{xml_escape(message)}</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>").encode()
    return Reply(status, [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id),
                          ("Content-Length", str(len(body)))], body)


def query_result(action: str, inner_xml: str) -> Reply:
    request_id = str(uuid.uuid4())
    body = (f'<{action}Response xmlns="{CFN_NS}"><{action}Result>{inner_xml}</{action}Result>'
            f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata>"
            f"</{action}Response>").encode()
    return Reply(200, [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id),
                       ("Content-Length", str(len(body)))], body)


def query_empty_result(action: str) -> Reply:
    request_id = str(uuid.uuid4())
    body = (f'<{action}Response xmlns="{CFN_NS}"><ResponseMetadata><RequestId>{request_id}</RequestId>'
            f"</ResponseMetadata></{action}Response>").encode()
    return Reply(200, [("Content-Type", "text/xml"), ("x-amzn-RequestId", request_id),
                       ("Content-Length", str(len(body)))], body)


def error_reply(service: str, kind: str, operation: str, resource: str | None) -> Reply:
    """A throttle / 500 / 503 / access-denied answer in the protocol's real shape."""
    if kind == "access_denied":
        message = f"User is not authorized to perform: {service}:{operation}"
        if service in ("kinesis", "tagging"):
            return kinesis_error(400, "AccessDeniedException", message)
        return query_error(service, 403, "AccessDenied", message)
    if service == "tagging":
        if kind == "throttle":
            return kinesis_error(400, "ThrottledException", "Rate exceeded")
        if kind == "500":
            return kinesis_error(500, "InternalServiceException", "Internal service failure.")
        return kinesis_error(503, "ServiceUnavailable", "Service is temporarily unavailable.")
    if service == "kinesis":
        if kind == "throttle":
            target = f"stream {resource} under account {ACCOUNT_ID}" if resource else f"account {ACCOUNT_ID}"
            return kinesis_error(400, "LimitExceededException", f"Rate exceeded for {target}.")
        if kind == "500":
            return kinesis_error(500, "InternalFailure", "Internal service failure.")
        return kinesis_error(503, "ServiceUnavailable", "Service is temporarily unavailable.")
    if kind == "throttle":
        return query_error(service, 400, "Throttling", "Rate exceeded")
    if kind == "500":
        return query_error(service, 500, "InternalFailure",
                           "An internal error occurred.", sender=False)
    return query_error(service, 503, "ServiceUnavailable", "Service is unavailable.", sender=False)


def quota_reply(call) -> Reply:
    """AWS's answer to a call over its operation's rate, in the protocol's shape."""
    service, operation = aws_quotas.identify(call)
    if service == "tagging":
        body = json.dumps({"__type": "ThrottledException", "Message": "Rate exceeded"}).encode()
        return Reply(400, [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", str(uuid.uuid4())),
                           ("Content-Length", str(len(body)))], body)
    return error_reply(service, "throttle", operation, call.resource)


# --------------------------------------------------------------------------- requests

class Call:
    """One incoming request, identified."""

    def __init__(self, method: str, path: str, headers, body: bytes):
        self.method, self.path, self.headers, self.body = method, path, headers, body
        self.service, self.operation = "unknown", None
        self.json_body: dict = {}
        self.form: dict = {}
        target = headers.get("X-Amz-Target", "")
        if path.startswith("/moto-api"):
            self.service = "moto-api"
        elif target.startswith(KINESIS_TARGET_PREFIX) or target.startswith(tagging_rule.TARGET_PREFIX):
            tagging = target.startswith(tagging_rule.TARGET_PREFIX)
            self.service = "tagging" if tagging else "kinesis"
            self.operation = target.split(".", 1)[1]
            try:
                parsed = json.loads(body or b"{}")
                self.json_body = parsed if isinstance(parsed, dict) else {}
            except ValueError:
                self.json_body = {}
        elif b"Action=" in body[:4096] or "Action=" in path:
            query = body.decode("utf-8", "replace") if body else urllib.parse.urlsplit(path).query
            self.form = urllib.parse.parse_qs(query, keep_blank_values=True)
            self.operation = form_value(self.form, "Action")
            scope = re.search(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/", headers.get("Authorization", ""))
            self.service = scope.group(1) if scope else "cloudformation"
        self.region = region_from_authorization(headers)

    @property
    def resource(self) -> str | None:
        if self.service == "kinesis":
            return stream_name_from(self.json_body)
        if self.form:
            return form_value(self.form, "StackName")
        return None

    @property
    def is_aws(self) -> bool:
        return self.service not in ("moto-api", "unknown") and self.operation is not None


# --------------------------------------------------------------------------- state

class ProxyState:
    """Configuration, fault dice, what the proxy has learned about AWS resources, and the log."""

    def __init__(self, config: dict, log_path: str | None):
        self.lock = threading.RLock()
        self.create_lock = threading.Lock()
        self.log_path = log_path
        self.log_entries: list[dict] = []
        self.log_file = open(log_path, "a", buffering=1, encoding="utf-8") if log_path else None
        self.apply_config(config)
        self.reset_resources()

    # configuration -----------------------------------------------------------
    def apply_config(self, config: dict):
        with self.lock:
            self.config = config
            faults = config.get("faults") or {}
            self.fault_probability = float(faults.get("probability", 0.0))
            self.fault_kinds = list(faults.get("kinds") or ["throttle", "500", "503", "reset_before", "reset_after"])
            unknown = [kind for kind in self.fault_kinds if kind not in FAULT_KINDS]
            if unknown:
                raise ValueError(f"unknown fault kinds {unknown}; known: {list(FAULT_KINDS)}")
            self.fault_latency_ms = float(faults.get("latency_ms", 0))
            self.fault_operations = set(faults["operations"]) if faults.get("operations") else None
            self.random = random.Random(faults.get("seed", 0))
            self.script = list(config.get("script") or [])
            for step in self.script:
                if step.get("fault") not in FAULT_KINDS:
                    raise ValueError(f"script step {step} has no known fault; known: {list(FAULT_KINDS)}")
            self.operation_counts: collections.Counter = collections.Counter()
            self.latency_ms = float(config.get("latency_ms", 0))
            self.rules = {**DEFAULT_RULES, **(config.get("rules") or {})}
            pause = config.get("pause") or {}
            self.pause_after_write = int(pause.get("after_write") or 0)
            self.pause_timeout = float(pause.get("timeout_seconds", 120))
            self.write_count = 0
            self.paused: dict | None = None
            previous = getattr(self, "release_event", None)
            if previous is not None:
                previous.set()  # a new config never leaves a request held
            self.release_event = threading.Event()
            self.buckets = []
            for limit in config.get("rate_limits") or []:
                bucket = aws_quotas.TokenBucket(float(limit["per_second"]), time.monotonic(),
                                                burst=float(limit.get("burst", limit["per_second"])))
                self.buckets.append((set(limit["operations"]), bucket))
            quotas = config.get("quotas")
            if quotas not in (None, False, "aws"):
                raise ValueError(f'quotas must be "aws" (AWS\'s documented rates) or absent, not {quotas!r}')
            self.quotas = (aws_quotas.QuotaEnforcer(overrides=config.get("quota_overrides"))
                           if quotas == "aws" else None)

    def reset_resources(self):
        with self.lock:
            self.streams: dict[str, dict] = {}      # stream name -> open_shards, tags, busy, updates
            self.consumers: dict[str, float] = {}   # consumer ARN -> busy until (monotonic)
            self.stack_ids: dict[str, str] = {}     # stack name -> StackId seen passing through
            self.protected: dict[str, bool] = {}    # stack name -> termination protection
            self.failed_stacks: dict[str, dict] = {}   # name -> synthesized ROLLBACK_COMPLETE stack
            self.failed_updates: dict[str, dict] = {}  # name -> synthesized update rollback
            self.consumer_names: set[tuple[str, str]] = set()    # (stream name, consumer name) registered
            self.consumer_keys: dict[str, tuple[str, str]] = {}  # consumer ARN -> (stream name, consumer name)
            self.consumer_suffixes: dict[str, int] = {}  # moto's consumer ARN -> AWS's ":<timestamp>" suffix
            self.tag_updates: dict[str, dict] = {}  # stack name -> tags a tags-only update set, its events
            self.stack_busy: dict[str, dict] = {}   # stack name -> {"op", "start", "until"} of its *_IN_PROGRESS
            self.stack_members: dict[str, bytes] = {}  # stack name -> its last DescribeStacks member (deleting)
            self.tagging_index: dict[str, dict] = {}     # region -> {"read_at", "tags": {stream ARN: tags}}
            self.tagging_listings: dict[str, dict] = {}  # GetResources listing id -> its resources (pages)
            self.tag_reads = collections.Counter()  # how GetResources read moto's tags: moto_tag_index / per_stream
            self.resource_policies = resource_policy_rule.ResourcePolicies()  # consumers' resource policies

    def stream(self, name: str) -> dict:
        return self.streams.setdefault(name, {"open_shards": None, "tags": None, "busy_until": 0.0,
                                              "busy_status": "ACTIVE", "updates": collections.deque()})

    # faults --------------------------------------------------------------------
    def choose_fault(self, call: Call) -> tuple[str | None, float]:
        """Scripted faults first, then the seeded dice. Returns (kind, latency ms)."""
        with self.lock:
            self.operation_counts[call.operation] += 1
            count = self.operation_counts[call.operation]
            for step in self.script:
                if step.get("operation") not in (call.operation, "*"):
                    continue
                nth = step.get("nth")
                if nth is None or count == nth or (isinstance(nth, list) and count in nth):
                    return step["fault"], float(step.get("latency_ms", self.fault_latency_ms))
            if self.fault_probability <= 0:
                return None, 0.0
            if self.fault_operations is not None:
                if call.operation not in self.fault_operations:
                    return None, 0.0
            elif call.operation in READ_ONLY_DATA_PLANE:
                return None, 0.0
            if self.random.random() >= self.fault_probability:
                return None, 0.0
            return self.random.choice(self.fault_kinds), self.fault_latency_ms

    def count_write(self, call: Call) -> bool:
        """Counts a write; True when this is the one to pause after."""
        if not is_write(call):
            return False
        with self.lock:
            self.write_count += 1
            return self.pause_after_write > 0 and self.write_count == self.pause_after_write

    def hold(self, call: Call):
        """Holds the answer of the paused write until released (or the pause times out)."""
        with self.lock:
            self.paused = {"paused": True, "writes": self.write_count, "operation": call.operation,
                           "resource": call.resource}
            event = self.release_event
        event.wait(self.pause_timeout)
        with self.lock:
            if self.paused is not None:
                self.paused["paused"] = False

    def pause_status(self) -> dict:
        with self.lock:
            status = dict(self.paused or {"paused": False, "operation": None, "resource": None})
            status["writes"] = self.write_count
            return status

    def release(self):
        with self.lock:
            self.release_event.set()

    def rate_limited(self, operation: str) -> bool:
        with self.lock:
            return any(operation in operations and not bucket.take(time.monotonic()) for operations, bucket in self.buckets)

    def over_quota(self, call: Call) -> bool:
        """True when AWS's documented rate for the call's operation is used up (quota mode)."""
        quotas = self.quotas
        return quotas is not None and not quotas.admits(call, call.resource)

    def quota_status(self) -> dict:
        quotas = self.quotas
        if quotas is None:
            return {"enabled": False, "rates": [], "throttled": {}}
        return {"enabled": True, "rates": quotas.table(), "throttled": quotas.throttled_by_client()}

    # log -----------------------------------------------------------------------
    def record(self, entry: dict):
        line = json.dumps(entry, sort_keys=True)
        with self.lock:
            if len(self.log_entries) < MAX_LOG_ENTRIES_IN_MEMORY:
                self.log_entries.append(entry)
            if self.log_file:
                self.log_file.write(line + "\n")

    def reset_log(self):
        with self.lock:
            self.log_entries = []
            if self.log_file:
                self.log_file.truncate(0)
                self.log_file.seek(0)

    def stats(self) -> dict:
        with self.lock:
            entries = list(self.log_entries)
        return {
            "requests": len(entries),
            "by_operation": dict(collections.Counter(f"{e['service']}:{e['operation']}" for e in entries)),
            "by_fault": dict(collections.Counter(e["fault"] for e in entries if e["fault"])),
            "by_rule": dict(collections.Counter(e["rule"] for e in entries if e["rule"])),
            "by_status": dict(collections.Counter(str(e["status"]) for e in entries)),
            "tag_reads": dict(self.tag_reads),
        }


# --------------------------------------------------------------------------- Kinesis rules

class KinesisRules:
    """AWS Kinesis behaviour that moto lacks, learned from the traffic passing through."""

    def __init__(self, state: ProxyState):
        self.state = state

    def before(self, call: Call) -> tuple[Reply, str] | None:
        """An AWS-like refusal for this request, or None to forward it."""
        rules, body, op = self.state.rules, call.json_body, call.operation
        if rules["stream_names"]:
            for key in ("StreamName", "ConsumerName"):
                value = body.get(key)
                if isinstance(value, str) and not STREAM_NAME_PATTERN.match(value):
                    member = key[0].lower() + key[1:]
                    return kinesis_error(400, "ValidationException",
                                         f"1 validation error detected: Value '{value}' at '{member}' failed to "
                                         "satisfy constraint: Member must satisfy regular expression pattern: "
                                         "[a-zA-Z0-9_.-]+ and have length between 1 and 128"), "stream_names"
        if rules.get("unique_consumer_names") and op == "RegisterStreamConsumer":
            key = (str(body.get("StreamARN", "")).rsplit("/", 1)[-1], str(body.get("ConsumerName", "")))
            with self.state.lock:
                # Reserved here, under the lock, so two racing registrations cannot both pass.
                if key in self.state.consumer_names:
                    return kinesis_error(400, "ResourceInUseException",
                                         f"Consumer {key[1]} under stream {key[0]} already exists for account "
                                         f"{ACCOUNT_ID}."), "unique_consumer_names"
                self.state.consumer_names.add(key)
        name = stream_name_from(body)
        if rules["tag_limits"] and op in ("CreateStream", "AddTagsToStream"):
            refusal = self.tag_refusal(op, name, body.get("Tags") or {})
            if refusal:
                return kinesis_error(400, "InvalidArgumentException", refusal), "tag_limits"
        if not name:
            return None
        with self.state.lock:
            stream = self.state.streams.get(name)
            if stream is None:
                return None
            if op in STREAM_WRITES_NEEDING_ACTIVE and time.monotonic() < stream["busy_until"]:
                return kinesis_error(400, "ResourceInUseException",
                                     f"Stream {name} under account {ACCOUNT_ID} not ACTIVE, instead in state "
                                     f"{stream['busy_status']}"), "busy"
            if op == "UpdateShardCount":
                return self.shard_count_refusal(name, stream, body)
        return None

    def tag_refusal(self, op: str, name: str | None, tags: dict) -> str | None:
        for key, value in tags.items():
            if not 1 <= len(key) <= 128 or len(str(value)) > 256:
                return f"Tag key must be 1 to 128 characters and value at most 256 characters: {key}"
        if op == "AddTagsToStream" and len(tags) > 10:
            return f"Cannot add more than 10 tags in one request. Stream {name} under account {ACCOUNT_ID}."
        with self.state.lock:
            known = self.state.streams.get(name, {}).get("tags") if name else None
            existing = set(known or ()) if op == "AddTagsToStream" else set()
        if len(existing | set(tags)) > 50:
            return (f"Failed to add tags to stream {name} under account {ACCOUNT_ID} because a given stream "
                    "cannot have more than 50 tags associated with it.")
        return None

    def shard_count_refusal(self, name: str, stream: dict, body: dict) -> tuple[Reply, str] | None:
        rules = self.state.rules
        current, target = stream["open_shards"], body.get("TargetShardCount")
        if rules["shard_scaling"] and isinstance(current, int) and isinstance(target, int) and current > 0:
            if target > 2 * current:
                return kinesis_error(400, "ValidationException",
                                     f"UpdateShardCount failed for stream {name} under account {ACCOUNT_ID}. "
                                     "Cannot scale up over double your current open shard count. "
                                     f"Current open shard count: {current} Target shard count: {target}"), \
                    "shard_scaling"
            if target * 2 < current:
                return kinesis_error(400, "ValidationException",
                                     f"UpdateShardCount failed for stream {name} under account {ACCOUNT_ID}. "
                                     "Cannot scale down below half your current open shard count. "
                                     f"Current open shard count: {current} Target shard count: {target}"), \
                    "shard_scaling"
        limit = int(rules["shard_updates_per_day"] or 0)
        if limit > 0:
            window_start = time.monotonic() - 24 * 3600
            updates = stream["updates"]
            while updates and updates[0] < window_start:
                updates.popleft()
            if len(updates) >= limit:
                return kinesis_error(400, "LimitExceededException",
                                     f"Rate exceeded for stream {name} under account {ACCOUNT_ID}: "
                                     f"UpdateShardCount is limited to {limit} calls per rolling 24 hours."), \
                    "shard_updates_per_day"
        return None

    def after(self, call: Call, reply: Reply):
        """Learn from moto's answer, then make it look like AWS's (waiting states)."""
        op, body = call.operation, call.json_body
        self.track_consumer_names(call, reply)
        if reply.status != 200:
            return
        try:
            answer = json.loads(reply.body or b"{}")
        except ValueError:
            return
        name = stream_name_from(body)
        rules, now = self.state.rules, time.monotonic()
        changed = False
        with self.state.lock:
            if op == "CreateStream" and name:
                stream = self.state.stream(name)
                mode = (body.get("StreamModeDetails") or {}).get("StreamMode", "PROVISIONED")
                stream["open_shards"] = body.get("ShardCount") if mode == "PROVISIONED" else None
                # moto ignores CreateStream's Tags unless the create_stream_tags rule applied them
                tags = body.get("Tags") if rules.get("create_stream_tags") else None
                stream["tags"] = set(tags) if isinstance(tags, dict) else set()
                stream["updates"].clear()
                self.mark_busy(stream, "CREATING", rules["busy_seconds"])
            elif op == "DeleteStream" and name:
                self.state.streams.pop(name, None)
            elif op in STREAM_UPDATING_WRITES and name:
                stream = self.state.stream(name)
                if op == "UpdateShardCount":
                    # While UPDATING, AWS still reports the shards open before the resize.
                    stream["shards_before_update"] = stream["open_shards"]
                    stream["open_shards"] = answer.get("TargetShardCount", body.get("TargetShardCount"))
                    stream["updates"].append(now)
                if op == "UpdateStreamMode":
                    stream["open_shards"] = None
                if op != "UpdateShardCount":
                    stream["shards_before_update"] = None
                self.mark_busy(stream, "UPDATING", rules["busy_seconds"])
            elif op == "AddTagsToStream" and name:
                stream = self.state.stream(name)
                if stream["tags"] is not None:
                    stream["tags"] |= set(body.get("Tags") or {})
            elif op == "RemoveTagsFromStream" and name:
                stream = self.state.stream(name)
                if stream["tags"] is not None:
                    stream["tags"] -= set(body.get("TagKeys") or [])
            elif op == "ListTagsForStream" and name and not body.get("ExclusiveStartTagKey"):
                if not answer.get("HasMoreTags"):
                    self.state.stream(name)["tags"] = {tag["Key"] for tag in answer.get("Tags", [])}
            elif op == "DescribeStreamSummary":
                summary = answer.get("StreamDescriptionSummary") or {}
                if summary.get("StreamName"):
                    stream = self.state.stream(summary["StreamName"])
                    if (summary.get("StreamModeDetails") or {}).get("StreamMode", "PROVISIONED") == "PROVISIONED":
                        stream["open_shards"] = summary.get("OpenShardCount", stream["open_shards"])
                    changed |= self.rewrite_status(summary, stream, now)
            elif op == "DescribeStream":
                description = answer.get("StreamDescription") or {}
                if description.get("StreamName"):
                    stream = self.state.stream(description["StreamName"])
                    changed |= self.rewrite_status(description, stream, now)
            elif op == "ListStreams":
                for summary in answer.get("StreamSummaries") or []:
                    stream = self.state.streams.get(summary.get("StreamName"))
                    if stream:
                        changed |= self.rewrite_status(summary, stream, now)
            elif op == "RegisterStreamConsumer":
                consumer = answer.get("Consumer") or {}
                seconds = float(rules["consumer_busy_seconds"] or 0)
                if consumer.get("ConsumerARN") and seconds > 0:
                    self.state.consumers[consumer["ConsumerARN"]] = now + seconds
                    consumer["ConsumerStatus"] = "CREATING"
                    changed = True
            elif op == "DescribeStreamConsumer":
                changed |= self.rewrite_consumer(answer.get("ConsumerDescription") or {}, now)
            elif op == "GetRecords" and rules.get("drop_records"):
                answer["Records"] = []
                changed = True
            elif op == "ListStreamConsumers":
                for consumer in answer.get("Consumers") or []:
                    changed |= self.rewrite_consumer(consumer, now)
            changed |= self.add_consumer_arn_suffixes(answer)
        if changed:
            reply.replace_body(json.dumps(answer).encode())

    def track_consumer_names(self, call: Call, reply: Reply):
        """Keeps the registered consumer names the unique_consumer_names rule checks."""
        op, body = call.operation, call.json_body
        with self.state.lock:
            if op == "RegisterStreamConsumer":
                key = (str(body.get("StreamARN", "")).rsplit("/", 1)[-1], str(body.get("ConsumerName", "")))
                if reply.status != 200:
                    if reply.status is not None and "ResourceInUseException" not in (reply.body or b"").decode("utf-8", "replace"):
                        self.state.consumer_names.discard(key)
                    return
                try:
                    arn = (json.loads(reply.body or b"{}").get("Consumer") or {}).get("ConsumerARN")
                except ValueError:
                    arn = None
                if arn:
                    self.state.consumer_keys[arn] = key
            elif op == "DeregisterStreamConsumer" and reply.status == 200:
                key = self.state.consumer_keys.pop(str(body.get("ConsumerARN", "")), None)
                if key is None and body.get("ConsumerName"):
                    key = (str(body.get("StreamARN", "")).rsplit("/", 1)[-1], str(body["ConsumerName"]))
                if key:
                    self.state.consumer_names.discard(key)
            elif op == "DeleteStream" and reply.status == 200:
                stream = stream_name_from(body)
                self.state.consumer_names = {key for key in self.state.consumer_names if key[0] != stream}
                self.state.consumer_keys = {arn: key for arn, key in self.state.consumer_keys.items() if key[0] != stream}

    # consumer ARNs ---------------------------------------------------------------------
    def add_consumer_arn_suffixes(self, answer: dict) -> bool:
        """moto's consumer ARNs end at the consumer name; AWS's add ':<creation epoch seconds>'.
        Call under the state lock."""
        if not self.state.rules.get("consumer_arns"):
            return False
        consumers = [answer.get("Consumer"), answer.get("ConsumerDescription"), *(answer.get("Consumers") or [])]
        changed = False
        for consumer in consumers:
            if not isinstance(consumer, dict) or not isinstance(consumer.get("ConsumerARN"), str):
                continue
            match = CONSUMER_ARN.match(consumer["ConsumerARN"])
            if not match or match.group(2):
                continue
            created = consumer.get("ConsumerCreationTimestamp")
            suffix = self.state.consumer_suffixes.setdefault(
                match.group(1), int(created) if isinstance(created, (int, float)) else int(time.time()))
            consumer["ConsumerARN"] = f"{match.group(1)}:{suffix}"
            changed = True
        return changed

    def rewrite_request(self, call: Call, body: bytes) -> bytes:
        """Gives moto back its own consumer ARNs (without AWS's timestamp suffix)."""
        if not self.state.rules.get("consumer_arns"):
            return body
        changed = False
        for key in ("ConsumerARN", "ResourceARN"):
            value = call.json_body.get(key)
            match = CONSUMER_ARN.match(value) if isinstance(value, str) else None
            if match and match.group(2):
                call.json_body[key] = match.group(1)
                changed = True
        return json.dumps(call.json_body).encode() if changed else body

    @staticmethod
    def mark_busy(stream: dict, status: str, seconds) -> None:
        if seconds and float(seconds) > 0:
            stream["busy_until"] = time.monotonic() + float(seconds)
            stream["busy_status"] = status

    @staticmethod
    def rewrite_status(shape: dict, stream: dict, now: float) -> bool:
        if now < stream["busy_until"] and shape.get("StreamStatus") == "ACTIVE":
            shape["StreamStatus"] = stream["busy_status"]
            before = stream.get("shards_before_update")
            if stream["busy_status"] == "UPDATING" and isinstance(before, int) and "OpenShardCount" in shape:
                shape["OpenShardCount"] = before
            return True
        return False

    def rewrite_consumer(self, consumer: dict, now: float) -> bool:
        until = self.state.consumers.get(consumer.get("ConsumerARN"), 0.0)
        if now < until and consumer.get("ConsumerStatus") == "ACTIVE":
            consumer["ConsumerStatus"] = "CREATING"
            return True
        return False


# --------------------------------------------------------------------------- CloudFormation rules

def q(tag: str) -> str:
    """A CloudFormation-namespaced XML tag."""
    return f"{{{CFN_NS}}}{tag}"


class CloudFormationRules:
    """Termination protection, UpdateTerminationProtection and the failure path moto lacks."""

    def __init__(self, state: ProxyState):
        self.state = state

    # before forwarding -----------------------------------------------------------
    def before(self, call: Call) -> tuple[Reply, str] | None:
        op, form, rules = call.operation, call.form, self.state.rules
        name_or_id = form_value(call.form, "StackName")
        with self.state.lock:
            name = self.name_of(name_or_id)
            failed = self.state.failed_stacks.get(name) if name else None
            if rules["failing_stacks"]:
                answer = self.failed_stack_answer(call, op, name, failed)
                if answer:
                    return answer, "failing_stack"
                if op in ("CreateStack", "UpdateStack") and name:
                    marked = self.marked_resource(form_value(form, "TemplateBody", ""))
                    if marked:
                        return self.fail(call, op, name, marked), "failing_stack"
            if op == "UpdateTerminationProtection" and name and rules["termination_protection"]:
                enabled = form_value(form, "EnableTerminationProtection", "false").lower() == "true"
                stack_id = (failed or {}).get("StackId") or self.state.stack_ids.get(name)
                if stack_id is None:
                    return query_error("cloudformation", 400, "ValidationError",
                                       f"Stack [{name_or_id}] does not exist"), "termination_protection"
                if failed:
                    failed["EnableTerminationProtection"] = enabled
                self.state.protected[name] = enabled
                return query_result(op, f"<StackId>{xml_escape(stack_id)}</StackId>"), "termination_protection"
            if op == "DeleteStack" and name and rules["termination_protection"] and self.state.protected.get(name):
                return query_error("cloudformation", 400, "ValidationError",
                                   f"Stack [{name}] cannot be deleted while TerminationProtection is enabled"), \
                    "termination_protection"
            busy = self.busy_answer(op, name) if name else None
            if busy:
                return busy, "stack_busy"
        return None

    # waiting states ------------------------------------------------------------------
    def mark_stack_busy(self, name: str | None, op: str):
        """CloudFormation works for a while after answering; moto is done at once. Call under the lock."""
        seconds = float(self.state.rules.get("stack_busy_seconds") or 0)
        if name and seconds > 0:
            now = time.monotonic()
            self.state.stack_busy[name] = {"op": op, "start": now, "until": now + seconds}

    def stack_phase(self, name: str | None) -> str | None:
        """The *_IN_PROGRESS status AWS would show now, or None once the window is over."""
        busy = self.state.stack_busy.get(name) if name else None
        now = time.monotonic()
        if busy is None or now >= busy["until"]:
            return None
        if busy["op"] == "CreateStack":
            return "CREATE_IN_PROGRESS"
        if busy["op"] == "DeleteStack":
            return "DELETE_IN_PROGRESS"
        share = (now - busy["start"]) / max(busy["until"] - busy["start"], 1e-9)
        return "UPDATE_IN_PROGRESS" if share < 2 / 3 else "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"

    def busy_answer(self, op: str, name: str) -> Reply | None:
        """AWS's answers while a stack works: no update, no second create of a deleting name, and a
        deleting stack still described by name. Call under the lock."""
        phase = self.stack_phase(name)
        if phase is None:
            return None
        if op == "UpdateStack" and phase != "DELETE_IN_PROGRESS":
            stack_id = self.state.stack_ids.get(name, name)
            return query_error("cloudformation", 400, "ValidationError",
                               f"Stack:{stack_id} is in {phase} state and can not be updated.")
        if phase != "DELETE_IN_PROGRESS":
            return None
        if op == "CreateStack":
            return query_error("cloudformation", 400, "AlreadyExistsException", f"Stack [{name}] already exists")
        member = self.state.stack_members.get(name)
        if member is None:
            return None
        if op == "DescribeStacks":
            text = re.sub(rb"<StackStatus>[^<]*</StackStatus>", b"<StackStatus>DELETE_IN_PROGRESS</StackStatus>",
                          member).decode()
            return query_result(op, f"<Stacks>{text}</Stacks>")
        if op == "DescribeStackEvents":
            found = re.search(rb"<StackId>([^<]+)</StackId>", member)
            stack = {"StackId": found.group(1).decode() if found else name, "StackName": name}
            event = self.event(stack, name, stack["StackId"], "AWS::CloudFormation::Stack", "DELETE_IN_PROGRESS",
                               "User Initiated")
            return query_result(op, f"<StackEvents>{self.events_xml([event])}</StackEvents>")
        if op in ("ListStackResources", "DescribeStackResources"):
            tag = "StackResourceSummaries" if op == "ListStackResources" else "StackResources"
            return query_result(op, f"<{tag}/>")
        if op == "DeleteStack":
            return query_empty_result(op)  # AWS accepts a repeated delete of a deleting stack
        return None

    def name_of(self, name_or_id: str | None) -> str | None:
        if not name_or_id or not name_or_id.startswith("arn:"):
            return name_or_id
        for name, stack_id in self.state.stack_ids.items():
            if stack_id == name_or_id:
                return name
        for name, stack in self.state.failed_stacks.items():
            if stack["StackId"] == name_or_id:
                return name
        return name_or_id.split(":stack/", 1)[-1].split("/", 1)[0]

    def marked_resource(self, template_body: str) -> tuple[str, str] | None:
        """(logical id, type) of a resource whose Metadata carries the failure marker."""
        marker = self.state.rules["fail_marker"]
        if marker["key"] not in template_body:
            return None
        try:
            template = json.loads(template_body)
        except ValueError:
            # YAML templates: find the marker textually; logical id is the nearest resource key above.
            match = re.search(rf"{re.escape(marker['key'])}['\"]?\s*:\s*['\"]?{re.escape(marker['value'])}",
                              template_body)
            if not match:
                return None
            keys = re.findall(r"^  ([A-Za-z0-9]+):\s*$", template_body[:match.start()], re.M)
            return (keys[-1] if keys else "MarkedResource"), "AWS::CloudFormation::WaitConditionHandle"
        resources = template.get("Resources") if isinstance(template, dict) else None
        for logical_id, resource in (resources or {}).items():
            metadata = resource.get("Metadata") if isinstance(resource, dict) else None
            if isinstance(metadata, dict) and metadata.get(marker["key"]) == marker["value"]:
                return logical_id, str(resource.get("Type", "AWS::CloudFormation::WaitConditionHandle"))
        return None

    def fail(self, call: Call, op: str, name: str, marked: tuple[str, str]) -> Reply:
        logical_id, resource_type = marked
        reason = 'Resource handler returned message: "Invalid request provided: reconcile-test failure"'
        form = call.form
        if op == "CreateStack":
            if name in self.state.failed_stacks or name in self.state.stack_ids:
                return query_error("cloudformation", 400, "AlreadyExistsException", f"Stack [{name}] already exists")
            stack_id = f"arn:aws:cloudformation:{call.region}:{ACCOUNT_ID}:stack/{name}/{uuid.uuid4()}"
            created = now_iso()
            stack = {
                "StackId": stack_id, "StackName": name, "CreationTime": created,
                "Description": self.template_description(form_value(form, "TemplateBody", "")),
                "TemplateBody": form_value(form, "TemplateBody", ""),
                "Tags": form_members(form, "Tags", ("Key", "Value")),
                "Parameters": form_members(form, "Parameters", ("ParameterKey", "ParameterValue")),
                "Capabilities": form_list(form, "Capabilities"),
                "EnableTerminationProtection":
                    form_value(form, "EnableTerminationProtection", "false").lower() == "true",
                "StackStatus": "ROLLBACK_COMPLETE",
                "Events": [],
            }
            stack["Events"] = [
                self.event(stack, name, stack_id, "AWS::CloudFormation::Stack", "CREATE_IN_PROGRESS", "User Initiated"),
                self.event(stack, logical_id, "", resource_type, "CREATE_IN_PROGRESS", None),
                self.event(stack, logical_id, "", resource_type, "CREATE_FAILED", reason),
                self.event(stack, name, stack_id, "AWS::CloudFormation::Stack", "ROLLBACK_IN_PROGRESS",
                           f"The following resource(s) failed to create: [{logical_id}]. Rollback requested by user."),
                self.event(stack, logical_id, "", resource_type, "DELETE_COMPLETE", None),
                self.event(stack, name, stack_id, "AWS::CloudFormation::Stack", "ROLLBACK_COMPLETE", None),
            ]
            self.state.failed_stacks[name] = stack
            self.state.protected[name] = stack["EnableTerminationProtection"]
            return query_result(op, f"<StackId>{xml_escape(stack_id)}</StackId>")
        # UpdateStack: nothing is forwarded, so moto keeps the previous template.
        stack_id = self.state.stack_ids.get(name) or \
            f"arn:aws:cloudformation:{call.region}:{ACCOUNT_ID}:stack/{name}/{uuid.uuid4()}"
        update = {"StackId": stack_id, "StackName": name, "LastUpdatedTime": now_iso(), "Events": []}
        stack_type = "AWS::CloudFormation::Stack"
        update["Events"] = [
            self.event(update, name, stack_id, stack_type, "UPDATE_IN_PROGRESS", "User Initiated"),
            self.event(update, logical_id, "", resource_type, "UPDATE_IN_PROGRESS", None),
            self.event(update, logical_id, "", resource_type, "UPDATE_FAILED", reason),
            self.event(update, name, stack_id, stack_type, "UPDATE_ROLLBACK_IN_PROGRESS",
                       f"The following resource(s) failed to update: [{logical_id}]."),
            self.event(update, name, stack_id, stack_type, "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS", None),
            self.event(update, name, stack_id, stack_type, "UPDATE_ROLLBACK_COMPLETE", None),
        ]
        self.state.failed_updates[name] = update
        return query_result(op, f"<StackId>{xml_escape(stack_id)}</StackId>")

    @staticmethod
    def template_description(template_body: str) -> str | None:
        try:
            template = json.loads(template_body)
            return template.get("Description") if isinstance(template, dict) else None
        except ValueError:
            return None

    @staticmethod
    def event(stack: dict, logical_id: str, physical_id: str, resource_type: str, status: str,
              reason: str | None) -> dict:
        return {"StackId": stack["StackId"], "EventId": str(uuid.uuid4()), "StackName": stack["StackName"],
                "LogicalResourceId": logical_id, "PhysicalResourceId": physical_id,
                "ResourceType": resource_type, "Timestamp": now_iso(), "ResourceStatus": status,
                "ResourceStatusReason": reason}

    def failed_stack_answer(self, call: Call, op: str, name: str | None, failed: dict | None) -> Reply | None:
        """Answers for the stacks that exist only in the proxy (ROLLBACK_COMPLETE)."""
        if failed is None:
            return None
        if op == "DescribeStacks":
            return query_result(op, f"<Stacks>{self.stack_xml(failed)}</Stacks>")
        if op == "DescribeStackEvents":
            return query_result(op, f"<StackEvents>{self.events_xml(failed['Events'])}</StackEvents>")
        if op == "GetTemplate":
            return query_result(op, f"<TemplateBody>{xml_escape(failed['TemplateBody'])}</TemplateBody>"
                                    "<StagesAvailable><member>Original</member><member>Processed</member>"
                                    "</StagesAvailable>")
        if op == "ListStackResources":
            return query_result(op, "<StackResourceSummaries/>")
        if op == "DescribeStackResources":
            return query_result(op, "<StackResources/>")
        if op == "DeleteStack":
            if self.state.rules["termination_protection"] and failed["EnableTerminationProtection"]:
                return query_error("cloudformation", 400, "ValidationError",
                                   f"Stack [{name}] cannot be deleted while TerminationProtection is enabled")
            del self.state.failed_stacks[name]
            self.state.protected.pop(name, None)
            return query_empty_result(op)
        if op == "UpdateStack":
            return query_error("cloudformation", 400, "ValidationError",
                               f"Stack:{failed['StackId']} is in ROLLBACK_COMPLETE state and can not be updated.")
        if op == "CreateStack":
            return query_error("cloudformation", 400, "AlreadyExistsException", f"Stack [{name}] already exists")
        return None

    @staticmethod
    def stack_xml(stack: dict) -> str:
        parts = [f"<StackId>{xml_escape(stack['StackId'])}</StackId>",
                 f"<StackName>{xml_escape(stack['StackName'])}</StackName>"]
        if stack.get("Description"):
            parts.append(f"<Description>{xml_escape(stack['Description'])}</Description>")
        parts.append("<Parameters>" + "".join(
            f"<member><ParameterKey>{xml_escape(p['ParameterKey'])}</ParameterKey>"
            f"<ParameterValue>{xml_escape(p['ParameterValue'] or '')}</ParameterValue></member>"
            for p in stack["Parameters"]) + "</Parameters>")
        parts += [f"<CreationTime>{stack['CreationTime']}</CreationTime>",
                  "<RollbackConfiguration/>",
                  f"<StackStatus>{stack['StackStatus']}</StackStatus>",
                  "<DisableRollback>false</DisableRollback>", "<NotificationARNs/>"]
        parts.append("<Capabilities>" + "".join(f"<member>{xml_escape(c)}</member>"
                                                for c in stack["Capabilities"]) + "</Capabilities>")
        parts.append("<Outputs/>")
        parts.append("<Tags>" + "".join(f"<member><Key>{xml_escape(t['Key'])}</Key>"
                                        f"<Value>{xml_escape(t['Value'] or '')}</Value></member>"
                                        for t in stack["Tags"]) + "</Tags>")
        parts.append(f"<EnableTerminationProtection>{str(stack['EnableTerminationProtection']).lower()}"
                     "</EnableTerminationProtection>")
        parts.append("<DriftInformation><StackDriftStatus>NOT_CHECKED</StackDriftStatus></DriftInformation>")
        return "<member>" + "".join(parts) + "</member>"

    @staticmethod
    def events_xml(events: list[dict]) -> str:
        members = []
        for event in reversed(events):  # newest first, as AWS answers
            fields = "".join(f"<{key}>{xml_escape(value)}</{key}>" for key, value in event.items()
                             if value is not None)
            members.append(f"<member>{fields}</member>")
        return "".join(members)

    # after forwarding --------------------------------------------------------------
    def after(self, call: Call, reply: Reply):
        op, form = call.operation, call.form
        with self.state.lock:
            if reply.status == 200 and op in ("CreateStack", "UpdateStack", "DeleteStack"):
                name = self.name_of(form_value(form, "StackName"))
                if op == "CreateStack":
                    match = re.search(rb"<StackId>([^<]+)</StackId>", reply.body)
                    if match and name:
                        self.state.stack_ids[name] = match.group(1).decode()
                    self.state.protected[name] = \
                        form_value(form, "EnableTerminationProtection", "false").lower() == "true"
                elif op == "DeleteStack":
                    self.state.stack_ids.pop(name, None)
                    self.state.protected.pop(name, None)
                self.state.failed_updates.pop(name, None)
                self.mark_stack_busy(name, op)
                if op == "DeleteStack" or (op == "UpdateStack" and not self.empty_tags_requested(form)):
                    self.state.tag_updates.pop(name, None)
                elif op == "UpdateStack":
                    # moto cannot clear tags (it reads `Tags=` as "keep them"); AWS removes them all.
                    self.state.tag_updates[name] = {"Tags": [], "LastUpdatedTime": now_iso(), "Events": []}
            if reply.status != 200 or op not in ("DescribeStacks", "ListStacks", "DescribeStackEvents"):
                return
            needs_rewrite = (self.state.failed_stacks or self.state.failed_updates or self.state.tag_updates or
                             self.state.stack_busy or
                             any(self.state.protected.values()) or op == "DescribeStacks")
            if not needs_rewrite:
                return
            try:
                root = ET.fromstring(reply.body)
            except ET.ParseError:
                return
            changed = False
            if op == "DescribeStacks":
                changed = self.rewrite_describe_stacks(call, root)
            elif op == "ListStacks":
                changed = self.add_failed_summaries(call, root)
                changed |= self.rewrite_busy_summaries(root)
            elif op == "DescribeStackEvents":
                changed = self.add_update_failure_events(call, root)
        if changed:
            reply.replace_body(ET.tostring(root, encoding="utf-8", xml_declaration=False))

    def rewrite_describe_stacks(self, call: Call, root) -> bool:
        stacks = root.find(f"{q('DescribeStacksResult')}/{q('Stacks')}")
        if stacks is None:
            return False
        changed = False
        for member in stacks.findall(q("member")):
            name = member.findtext(q("StackName"))
            stack_id = member.findtext(q("StackId"))
            if name and stack_id:
                self.state.stack_ids.setdefault(name, stack_id)
            protection = member.find(q("EnableTerminationProtection"))
            if name in self.state.protected:
                wanted = str(self.state.protected[name]).lower()
                if protection is None:
                    protection = ET.SubElement(member, q("EnableTerminationProtection"))
                if protection.text != wanted:
                    protection.text, changed = wanted, True
            elif protection is not None and name:
                self.state.protected[name] = protection.text == "true"
            changed |= self.apply_tag_update(member, self.state.tag_updates.get(name))
            if name and self.state.rules.get("stack_busy_seconds"):
                self.state.stack_members[name] = ET.tostring(member, encoding="utf-8")
            phase = self.stack_phase(name)
            if phase and member.find(q("StackStatus")) is not None:
                member.find(q("StackStatus")).text, changed = phase, True
            update = self.state.failed_updates.get(name)
            status = member.find(q("StackStatus"))
            if update and status is not None:
                status.text, changed = "UPDATE_ROLLBACK_COMPLETE", True
                updated = member.find(q("LastUpdatedTime"))
                if updated is None:
                    updated = ET.SubElement(member, q("LastUpdatedTime"))
                updated.text = update["LastUpdatedTime"]
        asked_all = form_value(call.form, "StackName") is None and form_value(call.form, "NextToken") is None
        if asked_all and self.state.failed_stacks:
            for stack in self.state.failed_stacks.values():
                stacks.append(ET.fromstring(self.stack_xml(stack).replace("<member>", f'<member xmlns="{CFN_NS}">', 1)))
            changed = True
        return changed

    def rewrite_busy_summaries(self, root) -> bool:
        """ListStacks shows the waiting states too; a deleting stack is its own entry (by StackId)."""
        changed = False
        for member in root.iter(q("member")):
            name, status = member.findtext(q("StackName")), member.find(q("StackStatus"))
            phase = self.stack_phase(name)
            if phase is None or status is None:
                continue
            if phase == "DELETE_IN_PROGRESS":
                stored = self.state.stack_members.get(name) or b""
                if (member.findtext(q("StackId")) or "").encode() not in stored:
                    continue
            elif status.text == "DELETE_COMPLETE":
                continue
            status.text, changed = phase, True
        return changed

    def add_failed_summaries(self, call: Call, root) -> bool:
        summaries = root.find(f"{q('ListStacksResult')}/{q('StackSummaries')}")
        if summaries is None or form_value(call.form, "NextToken") or not self.state.failed_stacks:
            return False
        filters = set(form_list(call.form, "StackStatusFilter"))
        added = False
        for stack in self.state.failed_stacks.values():
            if filters and stack["StackStatus"] not in filters:
                continue
            summaries.append(ET.fromstring(
                f'<member xmlns="{CFN_NS}"><StackId>{xml_escape(stack["StackId"])}</StackId>'
                f"<StackName>{xml_escape(stack['StackName'])}</StackName>"
                f"<CreationTime>{stack['CreationTime']}</CreationTime>"
                f"<StackStatus>{stack['StackStatus']}</StackStatus>"
                "<DriftInformation><StackDriftStatus>NOT_CHECKED</StackDriftStatus></DriftInformation>"
                "</member>"))
            added = True
        return added

    @staticmethod
    def empty_tags_requested(form: dict) -> bool:
        return form_value(form, "Tags") == ""

    @staticmethod
    def apply_tag_update(member, update: dict | None) -> bool:
        """A stack a tags-only update changed: its tags, UPDATE_COMPLETE and the update's time."""
        if update is None:
            return False
        tags = member.find(q("Tags"))
        if tags is None:
            tags = ET.SubElement(member, q("Tags"))
        for child in list(tags):
            tags.remove(child)
        for tag in update["Tags"]:
            entry = ET.SubElement(tags, q("member"))
            ET.SubElement(entry, q("Key")).text = tag["Key"]
            ET.SubElement(entry, q("Value")).text = tag["Value"]
        status = member.find(q("StackStatus"))
        if status is not None and update["Events"]:
            status.text = "UPDATE_COMPLETE"
        updated = member.find(q("LastUpdatedTime"))
        if updated is None:
            updated = ET.SubElement(member, q("LastUpdatedTime"))
        updated.text = update["LastUpdatedTime"]
        return True

    def tags_only_update(self, call: Call, reply: Reply, current_tags: list[dict] | None) -> Reply | None:
        """AWS applies an UpdateStack that changes only the tags; moto answers "No updates are to be
        performed". The proxy then keeps the new tags itself (shown by DescribeStacks, with the update's
        events) and answers as AWS does. None when the rule does not apply."""
        form = call.form
        if (not self.state.rules.get("stack_tag_updates") or call.operation != "UpdateStack" or reply.status != 400
                or b"No updates are to be performed" not in reply.body or current_tags is None):
            return None
        if form_value(form, "Tags") is None and form_value(form, "Tags.member.1.Key") is None:
            return None
        wanted = form_members(form, "Tags", ("Key", "Value"))
        if sorted((t["Key"], t["Value"]) for t in wanted) == sorted((t["Key"], t["Value"]) for t in current_tags):
            return None
        name = self.name_of(form_value(form, "StackName"))
        with self.state.lock:
            stack_id = self.state.stack_ids.get(name) or ""
            update = {"StackId": stack_id, "StackName": name, "Tags": wanted, "LastUpdatedTime": now_iso()}
            stack_type = "AWS::CloudFormation::Stack"
            update["Events"] = [
                self.event(update, name, stack_id, stack_type, "UPDATE_IN_PROGRESS", "User Initiated"),
                self.event(update, name, stack_id, stack_type, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", None),
                self.event(update, name, stack_id, stack_type, "UPDATE_COMPLETE", None),
            ]
            self.state.tag_updates[name] = update
            self.mark_stack_busy(name, "UpdateStack")
        return query_result("UpdateStack", f"<StackId>{xml_escape(stack_id)}</StackId>")

    def add_update_failure_events(self, call: Call, root) -> bool:
        name = self.name_of(form_value(call.form, "StackName"))
        update = self.state.failed_updates.get(name) or self.state.tag_updates.get(name)
        if update is not None and not update.get("Events"):
            return False
        events = root.find(f"{q('DescribeStackEventsResult')}/{q('StackEvents')}")
        if update is None or events is None or form_value(call.form, "NextToken"):
            return False
        for position, member_xml in enumerate(re.findall(r"<member>.*?</member>", self.events_xml(update["Events"]))):
            events.insert(position, ET.fromstring(member_xml.replace("<member>", f'<member xmlns="{CFN_NS}">', 1)))
        return True


# --------------------------------------------------------------------------- HTTP server

class ProxyServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address, upstream: str, state: ProxyState):
        super().__init__(address, ProxyHandler)
        parsed = urllib.parse.urlsplit(upstream)
        if parsed.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit(f"upstream must be a loopback address, not {parsed.hostname}")
        self.upstream_host, self.upstream_port = parsed.hostname, parsed.port or 80
        self.state = state
        self.kinesis_rules = KinesisRules(state)
        self.cfn_rules = CloudFormationRules(state)
        self.model_checker = model_check.ModelChecker()
        self.moto_has_tag_index: bool | None = None  # moto runs as moto_tag_index.py (tagging_rule.py); unknown yet


HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "upgrade", "te", "trailer"}


class ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as AWS clients pool connections
    server: ProxyServer

    def setup(self):
        super().setup()
        # Headers and body go out in two writes; with Nagle on, the second waits for the
        # client's delayed ACK (40 ms a request).
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.upstream_connection: http.client.HTTPConnection | None = None

    def finish(self):
        try:
            super().finish()
        finally:
            self.close_upstream()

    def close_upstream(self):
        if self.upstream_connection is not None:
            self.upstream_connection.close()
            self.upstream_connection = None

    def log_message(self, format, *args):  # quiet: the JSON log is the record
        pass

    def do_GET(self):
        self.handle_any()

    do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_OPTIONS = do_GET

    # reading ---------------------------------------------------------------------
    def read_body(self) -> tuple[bytes, bool]:
        """The request body, and whether it came chunked (re-sent chunked to stay faithful)."""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            for _ in range(MAX_CHUNKS):
                size = int(self.rfile.readline(1024).split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks), True
                chunks.append(self.rfile.read(size))
                self.rfile.readline(1024)
            raise ValueError("too many chunks")
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            raise ValueError("body too large")
        return (self.rfile.read(length) if length else b""), False

    # main path ---------------------------------------------------------------------
    def handle_any(self):
        started = time.time()
        try:
            body, chunked = self.read_body()
        except ValueError as error:
            self.close_connection = True
            return self.send_json(400, {"error": f"proxy: unreadable request body: {error}"})
        if self.path.startswith("/__proxy/"):
            return self.control(body)
        state = self.server.state
        call = Call(self.command, self.path, self.headers, body)
        fault, rule, reply = None, None, None
        violation = self.model_violation(call, body) if call.is_aws or self.is_kinesis_misaddressed() else None
        if violation is not None:
            reply, rule = self.violation_reply(call, violation), "model_check"
        elif call.is_aws:
            if state.latency_ms:
                time.sleep(state.latency_ms / 1000)
            fault, fault_latency_ms = state.choose_fault(call)
            if fault == "latency":
                time.sleep(fault_latency_ms / 1000)
            elif fault in ("throttle", "500", "503", "access_denied"):
                reply = error_reply(call.service, fault, call.operation, call.resource)
            elif fault == "reset_before":
                self.log_call(call, started, fault, None, "reset")
                return self.reset_connection()
            if reply is None and state.rate_limited(call.operation):
                reply, rule = error_reply(call.service, "throttle", call.operation, call.resource), "rate_limit"
            if reply is None and state.over_quota(call):
                reply, rule = quota_reply(call), "quota"
            if reply is None:
                self.forget_consumers_moto_lost(call)
                reply, rule = self.apply_rules_before(call)
            if reply is None and call.operation == "UpdateStack" and state.rules.get("stack_stream_modes"):
                self.prepare_stream_modes(call)
        pause_here = False
        self.resigned = {}
        if reply is None:
            body = self.rewrite_request(call, body, chunked)
            pause_here = call.is_aws and state.count_write(call)
            try:
                if call.operation in ATOMIC_CREATES:
                    # AWS checks a new name and creates it atomically; moto's threaded server can
                    # let two racing creates of one name both succeed, so they go one at a time.
                    with state.create_lock:
                        reply = self.forward(call, body, chunked)
                else:
                    reply = self.forward(call, body, chunked)
            except (OSError, http.client.HTTPException) as error:
                reply = Reply(502, [("Content-Type", "text/plain")], f"proxy: upstream failed: {error}".encode())
                reply.replace_body(reply.body)
            if call.is_aws:
                self.apply_create_stream_tags(call, reply)
            if pause_here:
                # Log first, so a test reading the log sees the held write.
                if fault != "reset_after":
                    self.apply_rules_after(call, reply)
                self.log_call(call, started, fault, "pause", None if fault == "reset_after" else reply.status)
                state.hold(call)
                if fault == "reset_after":
                    return self.reset_connection()
                try:
                    self.send_reply(reply)
                except OSError:
                    self.close_connection = True  # the client is gone (killed while held)
                return
            if fault == "reset_after":
                self.log_call(call, started, fault, rule, "reset")
                return self.reset_connection()
            if call.is_aws:
                self.apply_rules_after(call, reply)
                self.learn_credentials(call, reply)
                if reply.status == 200 and state.rules.get("tagging_streams") and tagging_rule.handles(call):
                    reply, rule = self.tagging_answer(call), "tagging_streams"
                if call.service == "cloudformation":
                    reply = self.stack_fidelity(call, reply)
            elif call.path.startswith("/moto-api/reset") and reply.status == 200:
                state.reset_resources()  # moto forgot everything: so does the proxy
        if call.is_aws and state.latency_ms:
            time.sleep(state.latency_ms / 1000)
        # Logged before answering: a client that has its answer must find it in the log.
        self.log_call(call, started, fault, rule, reply.status, str(violation) if violation else None)
        self.send_reply(reply)

    def rewrite_request(self, call: Call, body: bytes, chunked: bool) -> bytes:
        """The body moto gets (fidelity rules may change it), signed again when it changed."""
        if call.service == "tagging" and self.server.state.rules.get("tagging_streams") and tagging_rule.handles(call):
            # moto checks the caller's rights; the answer is the proxy's. Only a later page's token
            # (the proxy's, unknown to moto) is taken out; the first page goes as signed, so callers
            # whose keys the proxy cannot know (temporary credentials from elsewhere) still pass.
            if "PaginationToken" not in call.json_body:
                return body
            rewritten = json.dumps({"ResourceTypeFilters": [tagging_rule.STREAM_TYPE]}).encode()
        elif call.service != "kinesis":
            return body
        else:
            rewritten = self.server.kinesis_rules.rewrite_request(call, body)
        if rewritten != body:
            headers = {key: value for key, value in self.headers.items()}
            if not chunked and any(key.lower() == "content-length" for key in headers):
                headers = {key: (str(len(rewritten)) if key.lower() == "content-length" else value)
                           for key, value in headers.items()}
            authorization = model_check.resign(self.server.model_checker, self.command, self.path, headers,
                                               rewritten, call.service)
            if authorization:
                self.resigned["authorization"] = authorization
        return rewritten

    def tagging_answer(self, call: Call) -> Reply:
        """GetResources of Kinesis streams, from moto's stream tags (tagging_rule.py)."""
        try:
            status, body = tagging_rule.answer(self, call)
        except (OSError, http.client.HTTPException, ValueError, KeyError, RuntimeError) as error:
            status, body = 500, tagging_rule.error("InternalServiceException", f"proxy: {error}")
        return Reply(status, [("Content-Type", tagging_rule.CONTENT_TYPE), ("x-amzn-RequestId", str(uuid.uuid4())),
                              ("Content-Length", str(len(body)))], body)

    def is_kinesis_misaddressed(self) -> bool:
        """A Kinesis target with another API version than the model's (Kinesis_20131202)."""
        target = self.headers.get("X-Amz-Target", "")
        return target.startswith("Kinesis_") and not target.startswith(KINESIS_TARGET_PREFIX)

    def model_violation(self, call: Call, body: bytes) -> model_check.Violation | None:
        """The first rule of AWS's API model or documented limits this request breaks, if any."""
        state = self.server.state
        if not state.rules.get("model_check"):
            return None
        if self.is_kinesis_misaddressed():
            target = self.headers.get("X-Amz-Target", "")
            return model_check.Violation(target.split(".")[-1], "X-Amz-Target",
                                         f"'{target}' is not {KINESIS_TARGET_PREFIX}OPERATION (API version 2013-12-02)")

        def stream_tags(name):
            with state.lock:
                known = state.streams.get(name, {}).get("tags") if name else None
                return set(known) if known is not None else None

        try:
            self.server.model_checker.check(call.service, call.operation, call.method, call.path,
                                            call.headers, body, stream_tags)
        except model_check.Violation as violation:
            print(f"fault_proxy: {violation}", file=sys.stderr, flush=True)
            return violation
        return None

    @staticmethod
    def violation_reply(call: Call, violation: model_check.Violation) -> Reply:
        if call.service == "kinesis" or call.headers.get("X-Amz-Target"):
            return kinesis_error(400, "ValidationException", str(violation))
        return query_error(call.service, 400, "ValidationError", str(violation))

    def forget_consumers_moto_lost(self, call: Call):
        """A consumer deregistered straight in moto (a test's drift) must not keep its name reserved."""
        state, body = self.server.state, call.json_body
        if call.operation != "RegisterStreamConsumer" or not state.rules.get("unique_consumer_names"):
            return
        key = (str(body.get("StreamARN", "")).rsplit("/", 1)[-1], str(body.get("ConsumerName", "")))
        with state.lock:
            if key not in state.consumer_names:
                return
        try:
            status, _ = self.upstream("kinesis", "DescribeStreamConsumer",
                                      {"StreamARN": body.get("StreamARN"), "ConsumerName": body.get("ConsumerName")})
        except (OSError, http.client.HTTPException):
            return
        if status == 400:
            with state.lock:
                state.consumer_names.discard(key)

    # stack fidelity --------------------------------------------------------------------
    def stack_fidelity(self, call: Call, reply: Reply) -> Reply:
        """What CloudFormation does after an update that moto does not: tags-only updates, stream modes."""
        op = call.operation
        if op == "UpdateStack" and reply.status == 400:
            current = self.current_stack_tags(call)
            return self.server.cfn_rules.tags_only_update(call, reply, current) or reply
        if op in ("CreateStack", "UpdateStack") and reply.status in (200, 400) and self.server.state.rules.get(
                "stack_stream_modes"):
            try:
                self.apply_stream_modes(call)
            except (OSError, http.client.HTTPException, ValueError, ET.ParseError) as error:
                print(f"fault_proxy: stack_stream_modes: {error}", file=sys.stderr, flush=True)
        return reply

    def upstream(self, service: str, operation: str, payload: dict) -> tuple[int, bytes]:
        """A call of the proxy's own to moto, with the client's credentials scoped to `service`."""
        headers = {key: value for key, value in self.headers.items()
                   if key.lower() not in HOP_BY_HOP and key.lower() not in ("content-length", "x-amz-target",
                                                                            "content-type")}
        authorization = headers.get("Authorization", "")
        headers["Authorization"] = re.sub(r"(Credential=[^/]+/\d{8}/[^/]+/)[^/]+/", rf"\g<1>{service}/",
                                          authorization)
        if service == "kinesis":
            body = json.dumps(payload).encode()
            headers.update({"X-Amz-Target": KINESIS_TARGET_PREFIX + operation, "Content-Type": KINESIS_CONTENT_TYPE})
        else:
            body = urllib.parse.urlencode({"Action": operation, "Version": "2010-05-15", **payload}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        headers["Content-Length"] = str(len(body))
        signed = {key: value for key, value in headers.items() if key.lower() != "authorization"}
        signed["Authorization"] = headers.get("Authorization", "")
        authorization = model_check.resign(self.server.model_checker, "POST", "/", signed, body, service)
        if authorization:
            headers["Authorization"] = authorization
        connection = http.client.HTTPConnection(self.server.upstream_host, self.server.upstream_port,
                                                timeout=UPSTREAM_TIMEOUT_SECONDS)
        try:
            connection.request("POST", "/", body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def current_stack_tags(self, call: Call) -> list[dict] | None:
        name = self.server.cfn_rules.name_of(form_value(call.form, "StackName"))
        with self.server.state.lock:
            override = self.server.state.tag_updates.get(name)
            if override is not None:
                return list(override["Tags"])
        try:
            status, body = self.upstream("cloudformation", "DescribeStacks", {"StackName": name})
            root = ET.fromstring(body) if status == 200 else None
        except (OSError, http.client.HTTPException, ET.ParseError):
            return None
        if root is None:
            return None
        return [{"Key": tag.findtext(q("Key")), "Value": tag.findtext(q("Value")) or ""}
                for tags in root.iter(q("Tags")) for tag in tags.findall(q("member"))]

    def apply_stream_modes(self, call: Call, only: str | None = None):
        """CloudFormation switches a stream's capacity mode to the template's StreamModeDetails (PROVISIONED
        when absent); moto leaves every stack stream PROVISIONED. Streams are found by logical id.
        `only`: set every stack stream to this mode instead (moto's own stack update needs PROVISIONED)."""
        form = call.form
        template_body = form_value(form, "TemplateBody")
        if not template_body:
            return
        try:
            template = json.loads(template_body)
        except ValueError:
            return  # YAML templates: left to moto
        resources = template.get("Resources") if isinstance(template, dict) else None
        streams = {logical_id: resource.get("Properties") or {} for logical_id, resource in (resources or {}).items()
                   if isinstance(resource, dict) and resource.get("Type") == "AWS::Kinesis::Stream"}
        if not streams:
            return
        name = self.server.cfn_rules.name_of(form_value(form, "StackName"))
        status, body = self.upstream("cloudformation", "DescribeStackResources", {"StackName": name})
        if status != 200:
            return
        physical = {member.findtext(q("LogicalResourceId")): member.findtext(q("PhysicalResourceId"))
                    for member in ET.fromstring(body).iter(q("member"))}
        for logical_id, properties in streams.items():
            details = properties.get("StreamModeDetails")
            mode = only or (details.get("StreamMode") if isinstance(details, dict) else "PROVISIONED")
            stream_name = physical.get(logical_id)
            if mode in ("PROVISIONED", "ON_DEMAND") and stream_name:
                self.switch_stream_mode(stream_name, mode)

    def prepare_stream_modes(self, call: Call):
        """moto updates a stack's streams as if PROVISIONED (UpdateShardCount) and fails on an ON_DEMAND one:
        its streams go back to PROVISIONED for the update; apply_stream_modes sets the template's afterwards."""
        try:
            self.apply_stream_modes(call, only="PROVISIONED")
        except (OSError, http.client.HTTPException, ValueError, ET.ParseError) as error:
            print(f"fault_proxy: stack_stream_modes: {error}", file=sys.stderr, flush=True)

    def switch_stream_mode(self, stream_name: str, mode: str):
        status, body = self.upstream("kinesis", "DescribeStreamSummary", {"StreamName": stream_name})
        if status != 200:
            return
        summary = json.loads(body).get("StreamDescriptionSummary") or {}
        current = (summary.get("StreamModeDetails") or {}).get("StreamMode", "PROVISIONED")
        if current != mode and summary.get("StreamARN"):
            self.upstream("kinesis", "UpdateStreamMode",
                          {"StreamARN": summary["StreamARN"], "StreamModeDetails": {"StreamMode": mode}})

    def learn_credentials(self, call: Call, reply: Reply):
        """Keys STS hands out sign the requests that follow; the model check verifies those too."""
        if call.service != "sts" or reply.status != 200:
            return
        access = re.search(rb"<AccessKeyId>([^<]+)</AccessKeyId>", reply.body)
        secret = re.search(rb"<SecretAccessKey>([^<]+)</SecretAccessKey>", reply.body)
        if access and secret:
            self.server.model_checker.learn_credentials(access.group(1).decode(), secret.group(1).decode())

    def apply_create_stream_tags(self, call: Call, reply: Reply):
        """AWS applies CreateStream's Tags atomically with the create; moto ignores them.
        Emulate AWS by tagging the new stream in moto before the client hears back."""
        state = self.server.state
        tags = call.json_body.get("Tags")
        if (call.service != "kinesis" or call.operation != "CreateStream" or reply.status != 200
                or not state.rules.get("create_stream_tags") or not isinstance(tags, dict) or not tags):
            return
        payload = json.dumps({"StreamName": call.json_body.get("StreamName"), "Tags": tags}).encode()
        connection = http.client.HTTPConnection(self.server.upstream_host, self.server.upstream_port,
                                                timeout=UPSTREAM_TIMEOUT_SECONDS)
        try:
            connection.putrequest("POST", self.path, skip_host=True, skip_accept_encoding=True)
            for key, value in self.headers.items():
                if key.lower() in HOP_BY_HOP or key.lower() in ("content-length", "x-amz-target"):
                    continue
                connection.putheader(key, value)
            connection.putheader("X-Amz-Target", KINESIS_TARGET_PREFIX + "AddTagsToStream")
            connection.putheader("Content-Length", str(len(payload)))
            connection.endheaders(payload)
            connection.getresponse().read()
        except (OSError, http.client.HTTPException):
            pass  # best effort: the plan's AddTagsToStream steps tag it as well
        finally:
            connection.close()

    def apply_rules_before(self, call: Call) -> tuple[Reply | None, str | None]:
        ask_moto = lambda op, body: self.upstream("kinesis", op, body)  # noqa: E731
        refusal = account_limits_rule.before(self.server.state, call, ask_moto)
        if refusal:
            return kinesis_error(400, "LimitExceededException", refusal), "account_limits"
        state = self.server.state
        if call.service == "kinesis" and state.rules.get("resource_policies"):
            answer = state.resource_policies.before(self, call, kinesis_error, kinesis_result)
            if answer:
                return answer, "resource_policies"
        rules = self.server.kinesis_rules if call.service == "kinesis" else \
            self.server.cfn_rules if call.service == "cloudformation" else None
        answer = rules.before(call) if rules else None
        if not answer and call.service == "kinesis":
            local = stream_settings_rule.before(self.server.state, call, self.upstream, lambda: self.ask_moto(call))
            if local:
                status, headers, body = local
                return Reply(status, headers, body), stream_settings_rule.RULE
        return answer if answer else (None, None)

    def stream_arn_of(self, call: Call) -> str | None:
        """The ARN of the stream a Kinesis request names (moto's ARNs carry the account and region)."""
        arn = call.json_body.get("StreamARN")
        if isinstance(arn, str):
            return arn
        name = stream_name_from(call.json_body)
        region = region_from_authorization(self.headers)
        return f"arn:aws:kinesis:{region}:{ACCOUNT_ID}:stream/{name}" if name else None

    def ask_moto(self, call: Call) -> tuple[int, list, bytes]:
        """The request as received, sent to moto; its answer is only looked at (IAM authorization)."""
        self.resigned = {}
        try:
            reply = self.forward(call, call.body, False)
        except (OSError, http.client.HTTPException) as error:
            return 502, [], str(error).encode()
        return reply.status, reply.headers, reply.body

    def apply_rules_after(self, call: Call, reply: Reply):
        stack_rules.after(self.server.state, call, reply)
        stream_settings_rule.after(self.server.state, call, reply)
        if reply.status == 200:
            limits = account_limits_rule.describe_limits_answer(
                self.server.state, call, lambda op, body: self.upstream("kinesis", op, body), reply.body)
            if limits is not None:
                reply.replace_body(limits)
        if call.service == "kinesis":
            self.server.kinesis_rules.after(call, reply)
            if self.server.state.rules.get("resource_policies"):
                self.server.state.resource_policies.after(self, call, reply, self.stream_arn_of(call))
        elif call.service == "cloudformation":
            self.server.cfn_rules.after(call, reply)

    def forward(self, call: Call, body: bytes, chunked: bool) -> Reply:
        """Send the request to moto as received: same method, path, headers (Host and
        Authorization included) and body; hop-by-hop headers belong to each connection.

        One upstream connection is kept per client connection, as a real proxy pools them:
        a new one per request made moto start a thread per call, which the benchmark then
        measured instead of the clients. A kept connection that moto closed while idle fails
        before any answer; that request is sent once more on a fresh connection."""
        reused = self.upstream_connection is not None
        try:
            return self.forward_once(body, chunked)
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            self.close_upstream()
            if not reused:
                raise
            return self.forward_once(body, chunked)
        except BaseException:
            self.close_upstream()
            raise

    def forward_once(self, body: bytes, chunked: bool) -> Reply:
        if self.upstream_connection is None:
            self.upstream_connection = http.client.HTTPConnection(
                self.server.upstream_host, self.server.upstream_port, timeout=UPSTREAM_TIMEOUT_SECONDS)
        connection = self.upstream_connection
        connection.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
        for key, value in self.headers.items():
            if key.lower() not in HOP_BY_HOP and key.lower() != "content-length":
                connection.putheader(key, self.resigned.get(key.lower(), value))
        if chunked:
            connection.putheader("Transfer-Encoding", "chunked")
            connection.endheaders()
            if body:
                connection.send(f"{len(body):x}\r\n".encode() + body + b"\r\n")
            connection.send(b"0\r\n\r\n")
        else:
            # Its own Content-Length: a fidelity rule may have rewritten the body (consumer ARNs).
            if body or "Content-Length" in self.headers:
                connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body if body else None)
        response = connection.getresponse()
        payload = response.read()
        if response.will_close:
            self.close_upstream()
        headers = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP]
        if not any(k.lower() == "content-length" for k, _ in headers):
            headers.append(("Content-Length", str(len(payload))))
        return Reply(response.status, headers, payload, response.reason)

    def send_reply(self, reply: Reply):
        self.send_response_only(reply.status, reply.reason or None)
        for key, value in reply.headers:
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)
        self.wfile.flush()

    def reset_connection(self):
        """Abort with a TCP RST (SO_LINGER 0), as a dropped connection looks to a client."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.rfile.close()
            self.wfile.close()
            self.connection.close()
        except OSError:
            pass

    def log_call(self, call: Call, started: float, fault, rule, status, detail: str | None = None):
        entry = {
            "time": round(started, 6), "duration_ms": round((time.time() - started) * 1000, 3),
            "method": call.method, "path": call.path.split("?", 1)[0],
            "service": call.service, "operation": call.operation, "resource": call.resource,
            "region": call.region, "fault": fault, "rule": rule, "status": status, "client": aws_quotas.client_of(call.headers),
        }
        if detail:
            entry["detail"] = detail
        self.server.state.record(entry)

    # control API -------------------------------------------------------------------
    def control(self, body: bytes):
        state, route = self.server.state, (self.command, self.path.split("?", 1)[0])
        try:
            if route == ("POST", "/__proxy/config"):
                state.apply_config(json.loads(body or b"{}"))
                return self.send_json(200, {"ok": True})
            if route == ("GET", "/__proxy/config"):
                return self.send_json(200, state.config)
            if route == ("GET", "/__proxy/log"):
                with state.lock:
                    lines = "".join(json.dumps(entry, sort_keys=True) + "\n" for entry in state.log_entries)
                return self.send_bytes(200, lines.encode(), "application/x-ndjson")
            if route == ("POST", "/__proxy/reset-log"):
                state.reset_log()
                return self.send_json(200, {"ok": True})
            if route == ("POST", "/__proxy/reset-state"):
                state.reset_resources()
                return self.send_json(200, {"ok": True})
            if route == ("GET", "/__proxy/pause"):
                return self.send_json(200, state.pause_status())
            if route == ("POST", "/__proxy/release"):
                state.release()
                return self.send_json(200, {"ok": True})
            if route == ("POST", "/__proxy/credentials"):
                keys = json.loads(body or b"{}")
                self.server.model_checker.learn_credentials(str(keys["access_key_id"]), str(keys["secret_access_key"]))
                return self.send_json(200, {"ok": True})
            if route == ("GET", "/__proxy/quotas"):
                return self.send_json(200, state.quota_status())
            if route == ("GET", "/__proxy/stats"):
                return self.send_json(200, state.stats())
            return self.send_json(404, {"error": f"no control route {route[0]} {route[1]}"})
        except (ValueError, KeyError, TypeError) as error:
            return self.send_json(400, {"error": str(error)})

    def send_json(self, status: int, value):
        self.send_bytes(status, json.dumps(value).encode(), "application/json")

    def send_bytes(self, status: int, payload: bytes, content_type: str):
        self.send_response_only(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--upstream", required=True, help="moto's URL, e.g. http://127.0.0.1:5000")
    parser.add_argument("--port", type=int, default=0, help="listening port on 127.0.0.1 (0: pick a free one)")
    parser.add_argument("--port-file", help="write the chosen port here once listening")
    parser.add_argument("--config", help="JSON config file (see module docs)")
    parser.add_argument("--log", help="append one JSON line per request here")
    args = parser.parse_args(argv)
    config = {}
    if args.config:
        with open(args.config, encoding="utf-8") as handle:
            config = json.load(handle)
    state = ProxyState(config, args.log)
    server = ProxyServer(("127.0.0.1", args.port), args.upstream, state)
    port = server.server_address[1]
    if args.port_file:
        # Write then rename, so a reader never sees a half-written port.
        temporary = f"{args.port_file}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(str(port))
        os.replace(temporary, args.port_file)
    print(f"fault_proxy listening on 127.0.0.1:{port} -> {args.upstream}", file=sys.stderr, flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
