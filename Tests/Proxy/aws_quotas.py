"""AWS's documented API request rates, enforced per account as AWS does (test and bench code only).

moto answers every call at once; AWS throttles each control-plane operation at a published rate
per account and region (a few per stream). With ``"quotas": "aws"`` in its config, the fault
proxy keeps one token bucket per rate family (and per stream where AWS scopes the rate so) and
answers a call over the rate the way AWS does: Kinesis ``LimitExceededException``, CloudFormation
``Throttling`` (query protocol XML), the tagging API ``ThrottledException``, all HTTP 400.

Each operation has its own bucket, as AWS documents its rate (the client's
``RateLimits.awsDefaults`` is stricter where it groups them). A bucket holds one second's worth of
calls (AWS publishes rates, not bursts). Operations AWS publishes no rate for are not limited:
that holds for CloudFormation's API, whose documented quotas are counts (stacks, resources), not
rates. ``"quota_overrides": {"service:Operation": per_second}`` changes a rate or limits another
operation (tests use it to see CloudFormation's ``Throttling``).
"""

from __future__ import annotations

import collections
import threading
import time
from dataclasses import dataclass

KINESIS_API = "https://docs.aws.amazon.com/kinesis/latest/APIReference/API_{}.html"
TAG_EDITOR_QUOTAS = "https://docs.aws.amazon.com/tag-editor/latest/userguide/reference.html"
TAGGING_TARGET_PREFIX = "ResourceGroupsTaggingAPI_20170126."


@dataclass(frozen=True)
class Quota:
    family: str
    service: str
    operations: frozenset[str]
    per_second: float
    per_stream: bool  # AWS counts this rate per stream rather than per account
    source: str


def kinesis(operation: str, per_second: float, per_stream: bool = False) -> Quota:
    return Quota(f"kinesis:{operation}", "kinesis", frozenset({operation}), per_second, per_stream,
                 KINESIS_API.format(operation))


# "<Operation> has a limit of N transactions per second per account" (or "per stream"), as each
# operation's API reference page states it. AWS states each tag operation's rate on its own; the
# client is stricter and lets the three share one budget.
AWS_QUOTAS: tuple[Quota, ...] = (
    kinesis("DescribeStreamSummary", 20),
    kinesis("DescribeStream", 10),
    kinesis("DescribeStreamConsumer", 20, per_stream=True),
    kinesis("ListStreams", 5),
    kinesis("ListTagsForStream", 5),
    kinesis("AddTagsToStream", 5),
    kinesis("RemoveTagsFromStream", 5),
    kinesis("CreateStream", 5),
    kinesis("DeleteStream", 5),
    kinesis("ListStreamConsumers", 5, per_stream=True),
    kinesis("RegisterStreamConsumer", 5),
    kinesis("DeregisterStreamConsumer", 5),
    Quota("tagging:GetResources", "tagging", frozenset({"GetResources"}), 15, False, TAG_EDITOR_QUOTAS),
)


def override_quota(family: str, per_second) -> Quota:
    service, separator, operation = family.partition(":")
    if not separator or service not in ("kinesis", "cloudformation", "tagging", "sts") or not operation:
        raise ValueError(f"quota override {family!r} is not service:Operation (kinesis, cloudformation, tagging)")
    return Quota(family, service, frozenset({operation}), float(per_second), False, "quota_overrides")


def identify(call) -> tuple[str, str | None]:
    """(service, operation) of a proxied call; the tagging API's JSON target is recognised here
    too, so quotas apply to it whether or not the proxy emulates that API."""
    target = call.headers.get("X-Amz-Target", "") if call.headers is not None else ""
    if target.startswith(TAGGING_TARGET_PREFIX):
        return "tagging", target[len(TAGGING_TARGET_PREFIX):]
    return call.service, call.operation


def client_of(headers) -> str:
    """The client a call came from, by its User-Agent's first product token (`reconcile/1`,
    `Boto3/1.43.11`, `aws-cli/1.45.11`)."""
    agent = (headers.get("User-Agent", "") if headers is not None else "").strip()
    return agent.split(" ", 1)[0] or "unknown"


class TokenBucket:
    """`per_second` tokens a second, holding at most `burst` (at least 1); starts full. Also the
    proxy's configured `rate_limits` (fault_proxy.py)."""

    def __init__(self, per_second: float, now: float, burst: float | None = None):
        self.per_second, self.capacity = per_second, max(per_second if burst is None else burst, 1.0)
        self.tokens, self.updated = self.capacity, now

    def take(self, now: float) -> bool:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.per_second)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class QuotaEnforcer:
    """The buckets of one account, a set per region as AWS counts its quotas, and the throttled
    answers counted per client."""

    def __init__(self, quotas: tuple[Quota, ...] = AWS_QUOTAS, overrides: dict[str, float] | None = None,
                 clock=time.monotonic):
        overrides = dict(overrides or {})
        known = {quota.family for quota in quotas}
        quotas = quotas + tuple(override_quota(family, rate) for family, rate in overrides.items()
                                if family not in known)
        self.by_operation = {(quota.service, operation): quota for quota in quotas for operation in quota.operations}
        self.rates = {quota.family: float(overrides.get(quota.family, quota.per_second)) for quota in quotas}
        self.clock = clock
        self.lock = threading.Lock()
        self.buckets: dict[tuple[str, str, str | None], TokenBucket] = {}
        self.throttled: collections.Counter = collections.Counter()  # (client, operation) -> answers

    def quota_for(self, service: str, operation: str | None) -> Quota | None:
        return self.by_operation.get((service, operation)) if operation else None

    def admits(self, call, resource: str | None) -> bool:
        """Takes a token for the call; False when AWS would throttle it (counted for its client)."""
        service, operation = identify(call)
        quota = self.quota_for(service, operation)
        if quota is None:
            return True
        key = (call.region, quota.family, resource if quota.per_stream else None)
        with self.lock:
            now = self.clock()
            bucket = self.buckets.get(key)
            if bucket is None:
                bucket = self.buckets[key] = TokenBucket(self.rates[quota.family], now)
            if bucket.take(now):
                return True
            self.throttled[(client_of(call.headers), operation)] += 1
            return False

    def throttled_by_client(self) -> dict[str, dict[str, int]]:
        with self.lock:
            counts: dict[str, dict[str, int]] = {}
            for (client, operation), count in sorted(self.throttled.items()):
                counts.setdefault(client, {})[operation] = count
            return counts

    def table(self) -> list[dict]:
        """The enforced rates, for GET /__proxy/quotas and the bench's floor."""
        seen, rows = set(), []
        for quota in self.by_operation.values():
            if quota.family in seen:
                continue
            seen.add(quota.family)
            rows.append({"family": quota.family, "service": quota.service, "operations": sorted(quota.operations),
                         "per_second": self.rates[quota.family], "per_stream": quota.per_stream,
                         "source": quota.source})
        return sorted(rows, key=lambda row: row["family"])
