"""The proxy's ``account_limits`` rule: DescribeLimits answers the configured limits and the usage
moto holds, and writes over a limit are refused with AWS's LimitExceededException."""

from __future__ import annotations

import botocore.exceptions
import pytest

LIMITS = {"rules": {"account_limits": {"shard_limit": 5, "on_demand_stream_limit": 1}}}


def error_code(raised: pytest.ExceptionInfo) -> str:
    return raised.value.response["Error"]["Code"]


def test_off_by_default_moto_answers_its_fixed_limits(proxy):
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="counted", ShardCount=3)
    limits = kinesis.describe_limits()
    assert (limits["ShardLimit"], limits["OpenShardCount"]) == (6000, 0)


def test_describe_limits_answers_the_configured_limits_and_moto_s_usage(proxy):
    proxy.configure(LIMITS)
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="two", ShardCount=2)
    kinesis.create_stream(StreamName="one", ShardCount=1)
    kinesis.create_stream(StreamName="od", StreamModeDetails={"StreamMode": "ON_DEMAND"})
    limits = kinesis.describe_limits()
    # The on-demand stream's shards are not counted against the shard limit.
    assert (limits["ShardLimit"], limits["OpenShardCount"]) == (5, 3)
    assert (limits["OnDemandStreamCountLimit"], limits["OnDemandStreamCount"]) == (1, 1)
    assert [entry["operation"] for entry in proxy.log()].count("DescribeLimits") == 1


def test_create_stream_over_the_shard_limit_is_refused_and_nothing_is_created(proxy, direct):
    proxy.configure(LIMITS)
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="four", ShardCount=4)
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        kinesis.create_stream(StreamName="two-more", ShardCount=2)
    assert error_code(raised) == "LimitExceededException"
    assert "Current shard count for the account: 4. Limit: 5" in raised.value.response["Error"]["Message"]
    assert direct("kinesis").list_streams()["StreamNames"] == ["four"]
    kinesis.create_stream(StreamName="one-more", ShardCount=1)  # exactly at the limit is allowed


def test_update_shard_count_over_the_shard_limit_is_refused(proxy, direct):
    proxy.configure(LIMITS)
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="grows", ShardCount=3)
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        kinesis.update_shard_count(StreamName="grows", TargetShardCount=6, ScalingType="UNIFORM_SCALING")
    assert error_code(raised) == "LimitExceededException"
    summary = direct("kinesis").describe_stream_summary(StreamName="grows")["StreamDescriptionSummary"]
    assert summary["OpenShardCount"] == 3
    kinesis.update_shard_count(StreamName="grows", TargetShardCount=5, ScalingType="UNIFORM_SCALING")


def test_on_demand_streams_over_their_limit_are_refused(proxy, direct):
    proxy.configure(LIMITS)
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="od-1", StreamModeDetails={"StreamMode": "ON_DEMAND"})
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        kinesis.create_stream(StreamName="od-2", StreamModeDetails={"StreamMode": "ON_DEMAND"})
    assert error_code(raised) == "LimitExceededException"
    kinesis.create_stream(StreamName="prov", ShardCount=1)
    arn = kinesis.describe_stream_summary(StreamName="prov")["StreamDescriptionSummary"]["StreamARN"]
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        kinesis.update_stream_mode(StreamARN=arn, StreamModeDetails={"StreamMode": "ON_DEMAND"})
    assert error_code(raised) == "LimitExceededException"
    assert sorted(direct("kinesis").list_streams()["StreamNames"]) == ["od-1", "prov"]
    assert [entry["rule"] for entry in proxy.log()].count("account_limits") == 2
