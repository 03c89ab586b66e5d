"""The resource_policies rule (resource_policy_rule.py): moto stores any Policy string under any ARN, cannot read
a consumer's policy and keeps a deleted stream's; through the proxy all three behave as AWS documents.
Run: python3 -m pytest Tests/Proxy."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

POLICY = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
    "Action": ["kinesis:DescribeStreamSummary"], "Resource": "*"}]})


def stream_arn(kinesis, name: str = "s") -> str:
    kinesis.create_stream(StreamName=name, ShardCount=1)
    return kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamARN"]


def error_code(call) -> str:
    with pytest.raises(ClientError) as raised:
        call()
    return raised.value.response["Error"]["Code"]


def test_moto_alone_accepts_anything_and_loses_consumer_policies(proxy, direct):
    proxy.configure({"rules": {"resource_policies": False, "model_check": False}})
    kinesis = proxy.client("kinesis")
    arn = stream_arn(kinesis)
    kinesis.put_resource_policy(ResourceARN=arn, Policy="not json")
    assert kinesis.get_resource_policy(ResourceARN=arn)["Policy"] == "not json"
    consumer = kinesis.register_stream_consumer(StreamARN=arn, ConsumerName="c")["Consumer"]["ConsumerARN"]
    kinesis.put_resource_policy(ResourceARN=consumer, Policy=POLICY)
    assert error_code(lambda: kinesis.get_resource_policy(ResourceARN=consumer)) == "ResourceNotFoundException"
    kinesis.delete_stream(StreamName="s")
    stream_arn(kinesis)
    assert direct("kinesis").get_resource_policy(ResourceARN=arn)["Policy"] == "not json"


def test_a_document_that_is_not_a_policy_is_refused(proxy):
    kinesis = proxy.client("kinesis")
    arn = stream_arn(kinesis)
    for bad in ("not json", "[]", json.dumps({"Version": "2012-10-17"}),
                json.dumps({"Statement": [{"Effect": "Allow", "Action": "kinesis:*"}]}),
                json.dumps({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "kinesis:*",
                                           "Sid": "x" * 20_480}]})):
        assert error_code(lambda: kinesis.put_resource_policy(ResourceARN=arn, Policy=bad)) == \
            "InvalidArgumentException"
    assert kinesis.get_resource_policy(ResourceARN=arn)["Policy"] == "{}"


def test_a_missing_resource_is_not_found(proxy):
    kinesis = proxy.client("kinesis")
    missing = "arn:aws:kinesis:eu-central-1:123456789012:stream/missing"
    assert error_code(lambda: kinesis.put_resource_policy(ResourceARN=missing, Policy=POLICY)) == \
        "ResourceNotFoundException"


def test_a_consumer_policy_is_kept_read_and_deleted(proxy, direct):
    kinesis = proxy.client("kinesis")
    arn = stream_arn(kinesis)
    consumer = kinesis.register_stream_consumer(StreamARN=arn, ConsumerName="c")["Consumer"]["ConsumerARN"]
    assert kinesis.get_resource_policy(ResourceARN=consumer)["Policy"] == "{}"
    kinesis.put_resource_policy(ResourceARN=consumer, Policy=POLICY)
    assert json.loads(kinesis.get_resource_policy(ResourceARN=consumer)["Policy"]) == json.loads(POLICY)
    assert direct("kinesis").get_resource_policy(ResourceARN=arn)["Policy"] == "{}"
    kinesis.delete_resource_policy(ResourceARN=consumer)
    assert kinesis.get_resource_policy(ResourceARN=consumer)["Policy"] == "{}"
    assert error_code(lambda: kinesis.delete_resource_policy(ResourceARN=consumer)) == "ResourceNotFoundException"


def test_a_deleted_streams_policy_goes_with_it(proxy):
    kinesis = proxy.client("kinesis")
    arn = stream_arn(kinesis)
    kinesis.put_resource_policy(ResourceARN=arn, Policy=POLICY)
    assert json.loads(kinesis.get_resource_policy(ResourceARN=arn)["Policy"]) == json.loads(POLICY)
    kinesis.delete_stream(StreamName="s")
    assert stream_arn(kinesis) == arn
    assert kinesis.get_resource_policy(ResourceARN=arn)["Policy"] == "{}"
