"""Fidelity rule ``account_limits`` for the fault proxy (test code only).

AWS counts a Kinesis account's open provisioned shards and on-demand streams per region and
enforces two quotas. moto's DescribeLimits always answers fixed figures (ShardLimit 6000,
OpenShardCount 0, OnDemandStreamCount 0, OnDemandStreamCountLimit 50) and it enforces neither.
With ``{"rules": {"account_limits": {"shard_limit": 10, "on_demand_stream_limit": 1}}}`` the
proxy

* answers DescribeLimits with those limits and the usage moto really holds in the request's
  region (ListStreams, then DescribeStreamSummary of each stream, asked of moto by the proxy);
* refuses, as AWS does, with ``LimitExceededException``: a CreateStream whose shards would take
  the open shards over the shard limit, a CreateStream in ON_DEMAND mode or an UpdateStreamMode
  to ON_DEMAND over the on-demand stream limit, and an UpdateShardCount whose target would take
  the open shards over the shard limit (AWS: "Scale up to more than the shard limit for your
  account"). Shards of on-demand streams are not counted against the shard limit.

Either key may be left out (moto's figure then stands). Off by default (``account_limits: null``).
"""

from __future__ import annotations

import json
from typing import Callable

# (operation, payload) -> (HTTP status, body) of a request the proxy sends moto itself.
Ask = Callable[[str, dict], "tuple[int, bytes]"]
ACCOUNT_ID = "123456789012"


def limits_of(state) -> dict | None:
    limits = state.rules.get("account_limits")
    return limits if isinstance(limits, dict) else None


def usage(ask: Ask) -> tuple[int, int, dict[str, dict]]:
    """(open provisioned shards, on-demand streams, name -> summary) of every stream moto holds."""
    names: list[str] = []
    payload: dict = {"Limit": 100}
    while True:
        status, body = ask("ListStreams", payload)
        if status != 200:
            break
        answer = json.loads(body or b"{}")
        page = answer.get("StreamNames") or []
        names += page
        if not answer.get("HasMoreStreams") or not page:
            break
        payload = {"Limit": 100, "ExclusiveStartStreamName": page[-1]}
    shards, on_demand, summaries = 0, 0, {}
    for name in names:
        status, body = ask("DescribeStreamSummary", {"StreamName": name})
        if status != 200:
            continue
        summary = json.loads(body or b"{}").get("StreamDescriptionSummary") or {}
        summaries[name] = summary
        if (summary.get("StreamModeDetails") or {}).get("StreamMode") == "ON_DEMAND":
            on_demand += 1
        else:
            shards += int(summary.get("OpenShardCount") or 0)
    return shards, on_demand, summaries


def shard_refusal(region: str, open_shards: int, limit: int, added: int) -> str:
    return (f"This request would exceed the shard limit for the account {ACCOUNT_ID} in {region}. Current shard "
            f"count for the account: {open_shards}. Limit: {limit}. Number of additional shards that would have "
            f"resulted from this request: {added}. Refer to the AWS Service Limits page for current limits and "
            "how to request higher limits.")


def on_demand_refusal(region: str, count: int, limit: int) -> str:
    return (f"This request would exceed the on-demand stream count limit for the account {ACCOUNT_ID} in {region}. "
            f"Current on-demand stream count for the account: {count}. Limit: {limit}.")


def before(state, call, ask: Ask) -> str | None:
    """The LimitExceededException message AWS would answer this request with, or None."""
    limits = limits_of(state)
    if limits is None or call.service != "kinesis":
        return None
    op, body = call.operation, call.json_body
    if op not in ("CreateStream", "UpdateShardCount", "UpdateStreamMode"):
        return None
    shard_limit, on_demand_limit = limits.get("shard_limit"), limits.get("on_demand_stream_limit")
    shards, on_demand, summaries = usage(ask)
    wants_on_demand = (body.get("StreamModeDetails") or {}).get("StreamMode") == "ON_DEMAND"
    if op == "CreateStream" and not wants_on_demand and isinstance(shard_limit, int):
        added = int(body.get("ShardCount") or 1)
        if shards + added > shard_limit:
            return shard_refusal(call.region, shards, shard_limit, added)
    if op in ("CreateStream", "UpdateStreamMode") and wants_on_demand and isinstance(on_demand_limit, int):
        if on_demand + 1 > on_demand_limit:
            return on_demand_refusal(call.region, on_demand, on_demand_limit)
    if op == "UpdateShardCount" and isinstance(shard_limit, int):
        name = body.get("StreamName") or str(body.get("StreamARN", "")).rsplit("/", 1)[-1]
        current = int((summaries.get(name) or {}).get("OpenShardCount") or 0)
        added = int(body.get("TargetShardCount") or 0) - current
        if added > 0 and shards + added > shard_limit:
            return shard_refusal(call.region, shards, shard_limit, added)
    return None


def describe_limits_answer(state, call, ask: Ask, moto_answer: bytes) -> bytes | None:
    """DescribeLimits as AWS would answer it under the configured limits; None to leave moto's."""
    limits = limits_of(state)
    if limits is None or call.service != "kinesis" or call.operation != "DescribeLimits":
        return None
    answer = json.loads(moto_answer or b"{}")
    shards, on_demand, _ = usage(ask)
    answer["OpenShardCount"], answer["OnDemandStreamCount"] = shards, on_demand
    if isinstance(limits.get("shard_limit"), int):
        answer["ShardLimit"] = limits["shard_limit"]
    if isinstance(limits.get("on_demand_stream_limit"), int):
        answer["OnDemandStreamCountLimit"] = limits["on_demand_stream_limit"]
    return json.dumps(answer).encode()
