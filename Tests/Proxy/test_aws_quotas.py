"""The proxy's quota mode: AWS's documented per-account API rates, answered as AWS throttles
(status 400, each protocol's error shape), counted per client. Run: python3 -m pytest Tests/Proxy."""

from __future__ import annotations

import json
import time

import botocore.exceptions
import pytest
from botocore.config import Config

import aws_quotas
import fault_proxy

STANDARD_RETRIES = Config(retries={"total_max_attempts": 10, "mode": "standard"})


def attempt(call) -> str:
    """'ok', or the error code of the answer."""
    try:
        call()
        return "ok"
    except botocore.exceptions.ClientError as error:
        return error.response["Error"]["Code"]


def quota_status(proxy) -> dict:
    return json.loads(proxy.control("GET", "/__proxy/quotas"))


class FakeCall:
    def __init__(self, headers: dict, service: str = "unknown", operation: str | None = None,
                 region: str = "eu-central-1"):
        self.headers, self.service, self.operation, self.resource = headers, service, operation, None
        self.region = region


def create_streams(kinesis, *names: str) -> None:
    for name in names:
        kinesis.create_stream(StreamName=name, ShardCount=1)


# Live tests slow an operation to one call every 20 s, so the second call at once is over its rate
# however busy the machine is; the documented rates themselves are checked on a fake clock below.
SLOW = 0.05


def test_a_call_beyond_its_rate_gets_limit_exceeded(proxy, direct):
    create_streams(direct("kinesis"), "quota-tags")
    proxy.configure({"quotas": "aws", "quota_overrides": {"kinesis:ListTagsForStream": SLOW}})
    kinesis = proxy.client("kinesis")
    assert attempt(lambda: kinesis.list_tags_for_stream(StreamName="quota-tags")) == "ok"
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        kinesis.list_tags_for_stream(StreamName="quota-tags")
    response = raised.value.response
    assert response["Error"]["Code"] == "LimitExceededException"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["Error"]["Message"] == "Rate exceeded for stream quota-tags under account 123456789012."
    assert attempt(lambda: kinesis.describe_stream_summary(StreamName="quota-tags")) == "ok"  # its own budget
    throttled = [entry for entry in proxy.log() if entry["rule"] == "quota"]
    assert [entry["operation"] for entry in throttled] == ["ListTagsForStream"]
    assert throttled[0]["client"].startswith("Boto3/")


def test_documented_rates_hold_one_second_of_calls_and_refill_at_the_rate():
    now = [100.0]
    enforcer = aws_quotas.QuotaEnforcer(clock=lambda: now[0])
    summary = FakeCall({"User-Agent": "Boto3/1.43.11 md/Botocore#1.43.11"}, "kinesis", "DescribeStreamSummary")
    tags = FakeCall({"User-Agent": "Boto3/1.43.11"}, "kinesis", "ListTagsForStream")
    assert [enforcer.admits(summary, "s") for _ in range(21)] == [True] * 20 + [False]
    assert [enforcer.admits(tags, "s") for _ in range(6)] == [True] * 5 + [False]
    now[0] += 0.06  # a little over a twentieth of a second: one DescribeStreamSummary, no tag call yet
    assert enforcer.admits(summary, "s") and not enforcer.admits(tags, "s")
    now[0] += 0.2
    assert enforcer.admits(tags, "s")
    assert enforcer.throttled_by_client() == {"Boto3/1.43.11": {"DescribeStreamSummary": 1, "ListTagsForStream": 2}}
    rates = {row["family"]: row["per_second"] for row in enforcer.table()}
    assert rates["kinesis:ListStreams"] == 5 and rates["tagging:GetResources"] == 15
    assert all(row["source"].startswith("https://docs.aws.amazon.com/") for row in enforcer.table())


def test_per_stream_rates_are_counted_per_stream(proxy, direct):
    kinesis_direct = direct("kinesis")
    create_streams(kinesis_direct, "quota-a", "quota-b")
    arns = {name: kinesis_direct.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]
            for name in ("quota-a", "quota-b")}
    proxy.configure({"quotas": "aws", "quota_overrides": {"kinesis:ListStreamConsumers": SLOW}})
    kinesis = proxy.client("kinesis")
    first = [attempt(lambda: kinesis.list_stream_consumers(StreamARN=arns["quota-a"])) for _ in range(2)]
    assert first == ["ok", "LimitExceededException"]
    assert attempt(lambda: kinesis.list_stream_consumers(StreamARN=arns["quota-b"])) == "ok"


def test_cloudformation_throttling_is_a_query_protocol_error(proxy):
    # AWS publishes no CloudFormation API rate; an override limits one to see the answer's shape.
    proxy.configure({"quotas": "aws", "quota_overrides": {"cloudformation:DescribeStacks": SLOW}})
    cloudformation = proxy.client("cloudformation")
    assert attempt(cloudformation.describe_stacks) == "ok"
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        cloudformation.describe_stacks()
    response = raised.value.response
    assert response["Error"] == {"Type": "Sender", "Code": "Throttling", "Message": "Rate exceeded"}
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert attempt(cloudformation.list_stacks) == "ok"  # not limited: no published rate


def test_a_client_with_standard_retries_reads_through_and_is_counted(proxy, direct):
    create_streams(direct("kinesis"), "quota-retry")
    proxy.configure({"quotas": "aws"})
    kinesis = proxy.client("kinesis", STANDARD_RETRIES)
    for _ in range(12):
        assert kinesis.list_tags_for_stream(StreamName="quota-retry")["Tags"] == []
    status = quota_status(proxy)
    throttled_in_log = sum(1 for entry in proxy.log() if entry["rule"] == "quota")
    assert throttled_in_log > 0
    (client, counts), = status["throttled"].items()
    assert client.startswith("Boto3/") and counts == {"ListTagsForStream": throttled_in_log}
    rates = {row["family"]: row for row in status["rates"]}
    assert rates["kinesis:ListTagsForStream"]["per_second"] == 5
    assert rates["tagging:GetResources"]["per_second"] == 15


def test_quota_mode_is_off_unless_asked_and_bad_values_are_refused(proxy, direct):
    create_streams(direct("kinesis"), "quota-off")
    kinesis = proxy.client("kinesis")
    assert [attempt(lambda: kinesis.list_tags_for_stream(StreamName="quota-off")) for _ in range(8)] == ["ok"] * 8
    assert quota_status(proxy)["enabled"] is False
    for config in ({"quotas": "gcp"}, {"quotas": "aws", "quota_overrides": {"DescribeStacks": 1}}):
        with pytest.raises(Exception) as raised:
            proxy.configure(config)
        assert "400" in str(raised.value)


def test_each_region_has_its_own_buckets_as_aws_counts_quotas_per_account_and_region():
    now = [0.0]
    enforcer = aws_quotas.QuotaEnforcer(clock=lambda: now[0])
    frankfurt = FakeCall({"User-Agent": "Boto3/1.43.11"}, "kinesis", "ListTagsForStream", "eu-central-1")
    ireland = FakeCall({"User-Agent": "Boto3/1.43.11"}, "kinesis", "ListTagsForStream", "eu-west-1")
    assert [enforcer.admits(frankfurt, "s") for _ in range(6)] == [True] * 5 + [False]
    assert [enforcer.admits(ireland, "s") for _ in range(6)] == [True] * 5 + [False]


def test_the_log_names_each_calls_region(proxy, direct):
    create_streams(direct("kinesis"), "region-logged")
    proxy.client("kinesis").describe_stream_summary(StreamName="region-logged")
    entries = [entry for entry in proxy.log() if entry["operation"] == "DescribeStreamSummary"]
    assert entries and all(entry["region"] == proxy.client("kinesis").meta.region_name for entry in entries)


def test_tagging_api_calls_are_recognised_and_throttled_in_their_json_shape():
    now = [0.0]
    enforcer = aws_quotas.QuotaEnforcer(clock=lambda: now[0])
    call = FakeCall({"X-Amz-Target": "ResourceGroupsTaggingAPI_20170126.GetResources",
                     "User-Agent": "reconcile/1 (swift; aws-sigv4)"})
    assert [enforcer.admits(call, None) for _ in range(16)] == [True] * 15 + [False]
    now[0] += 1 / 15
    assert enforcer.admits(call, None)
    assert enforcer.throttled_by_client() == {"reconcile/1": {"GetResources": 1}}
    reply = fault_proxy.quota_reply(call)
    assert reply.status == 400 and reply.header("Content-Type") == "application/x-amz-json-1.1"
    assert json.loads(reply.body) == {"__type": "ThrottledException", "Message": "Rate exceeded"}
