"""The stream_settings rule (stream_settings_rule.py): maximum record size, warm throughput and consumer
tags read through the proxy as the Kinesis API reference documents them. Run: python3 -m pytest Tests/Proxy."""

from __future__ import annotations

import json
import urllib.request

import boto3
import botocore.exceptions
import pytest
from botocore.config import Config
from conftest import NO_RETRIES

# botocore checks minimums itself; these tests send what it would refuse to see the proxy's answer.
UNVALIDATED = Config(retries={"total_max_attempts": 1, "mode": "standard"}, parameter_validation=False)


def error_code(call) -> str:
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        call()
    return raised.value.response["Error"]["Code"]


def summary(kinesis, name: str) -> dict:
    return kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]


def test_moto_alone_reports_neither_setting(proxy, direct):
    proxy.configure({"rules": {"stream_settings": False}})
    proxy.client("kinesis").create_stream(StreamName="plain", ShardCount=1, MaxRecordSizeInKiB=2048)
    assert "MaxRecordSizeInKiB" not in summary(direct("kinesis"), "plain")
    assert "MaxRecordSizeInKiB" not in summary(proxy.client("kinesis"), "plain")


def test_a_new_stream_has_the_default_or_the_declared_record_size(proxy):
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="default", ShardCount=1)
    kinesis.create_stream(StreamName="large", ShardCount=1, MaxRecordSizeInKiB=4096)
    assert summary(kinesis, "default")["MaxRecordSizeInKiB"] == 1024
    assert summary(kinesis, "large")["MaxRecordSizeInKiB"] == 4096


def test_update_max_record_size_changes_it_and_checks_the_range(proxy):
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="s", ShardCount=1)
    arn = summary(kinesis, "s")["StreamARN"]
    kinesis.update_max_record_size(StreamARN=arn, MaxRecordSizeInKiB=10240)
    assert summary(kinesis, "s")["MaxRecordSizeInKiB"] == 10240
    proxy.configure({"rules": {"model_check": False}})
    unvalidated = proxy.client("kinesis", UNVALIDATED)
    assert error_code(lambda: unvalidated.update_max_record_size(StreamARN=arn, MaxRecordSizeInKiB=20000)) \
        == "ValidationException"
    assert error_code(lambda: unvalidated.update_max_record_size(StreamARN=arn, MaxRecordSizeInKiB=512)) \
        == "ValidationException"
    assert summary(kinesis, "s")["MaxRecordSizeInKiB"] == 10240
    missing = arn.replace(":stream/s", ":stream/missing")
    assert error_code(lambda: kinesis.update_max_record_size(StreamARN=missing, MaxRecordSizeInKiB=2048)) \
        == "ResourceNotFoundException"


def test_warm_throughput_is_kept_for_on_demand_streams_only(proxy):
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="od", StreamModeDetails={"StreamMode": "ON_DEMAND"}, WarmThroughputMiBps=100)
    assert summary(kinesis, "od")["WarmThroughput"] == {"TargetMiBps": 100, "CurrentMiBps": 100}
    arn = summary(kinesis, "od")["StreamARN"]
    answer = kinesis.update_stream_warm_throughput(StreamARN=arn, WarmThroughputMiBps=200)
    assert answer["WarmThroughput"]["TargetMiBps"] == 200
    assert summary(kinesis, "od")["WarmThroughput"]["TargetMiBps"] == 200
    assert error_code(lambda: kinesis.update_stream_warm_throughput(StreamARN=arn, WarmThroughputMiBps=20000)) \
        == "InvalidArgumentException"
    kinesis.update_stream_mode(StreamARN=arn, StreamModeDetails={"StreamMode": "PROVISIONED"})
    assert "WarmThroughput" not in summary(kinesis, "od")
    assert error_code(lambda: kinesis.update_stream_warm_throughput(StreamARN=arn, WarmThroughputMiBps=10)) \
        == "InvalidArgumentException"
    assert error_code(lambda: kinesis.create_stream(StreamName="p", ShardCount=1, WarmThroughputMiBps=10)) \
        == "InvalidArgumentException"


def test_a_busy_window_follows_an_update(proxy):
    proxy.configure({"rules": {"busy_seconds": 30}})
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="od", StreamModeDetails={"StreamMode": "ON_DEMAND"})
    arn = summary(kinesis, "od")["StreamARN"]
    assert error_code(lambda: kinesis.update_max_record_size(StreamARN=arn, MaxRecordSizeInKiB=2048)) \
        == "ResourceInUseException"


def consumer_arn(kinesis, stream: str, name: str, **extra) -> str:
    kinesis.create_stream(StreamName=stream, ShardCount=1)
    stream_arn = summary(kinesis, stream)["StreamARN"]
    return kinesis.register_stream_consumer(StreamARN=stream_arn, ConsumerName=name, **extra)["Consumer"][
        "ConsumerARN"]


def tags_of(kinesis, arn: str) -> dict:
    return {tag["Key"]: tag["Value"] for tag in kinesis.list_tags_for_resource(ResourceARN=arn)["Tags"]}


def test_consumer_tags_are_set_at_registration_and_changed_by_arn(proxy):
    kinesis = proxy.client("kinesis")
    arn = consumer_arn(kinesis, "s", "app", Tags={"team": "data", "tier": "1"})
    assert tags_of(kinesis, arn) == {"team": "data", "tier": "1"}
    kinesis.tag_resource(ResourceARN=arn, Tags={"tier": "2", "owner": "ops"})
    kinesis.untag_resource(ResourceARN=arn, TagKeys=["team"])
    assert tags_of(kinesis, arn) == {"tier": "2", "owner": "ops"}
    kinesis.deregister_stream_consumer(ConsumerARN=arn)
    assert error_code(lambda: kinesis.list_tags_for_resource(ResourceARN=arn)) == "ResourceNotFoundException"


def test_consumer_tags_follow_kinesis_tag_rules(proxy):
    kinesis = proxy.client("kinesis")
    arn = consumer_arn(kinesis, "s", "app")
    assert tags_of(kinesis, arn) == {}
    assert error_code(lambda: kinesis.tag_resource(ResourceARN=arn, Tags={"aws:owner": "x"})) \
        == "InvalidArgumentException"
    many = {f"k{index}": "v" for index in range(50)}
    kinesis.tag_resource(ResourceARN=arn, Tags=many)
    assert error_code(lambda: kinesis.tag_resource(ResourceARN=arn, Tags={"one-more": "v"})) \
        == "InvalidArgumentException"
    stream_arn = summary(kinesis, "s")["StreamARN"]
    assert error_code(lambda: kinesis.register_stream_consumer(
        StreamARN=stream_arn, ConsumerName="other", Tags={"aws:x": "y"})) == "InvalidArgumentException"


def test_a_stream_arn_reaches_moto_stream_tags(proxy, direct):
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="s", ShardCount=1)
    arn = summary(kinesis, "s")["StreamARN"]
    kinesis.tag_resource(ResourceARN=arn, Tags={"env": "test"})
    assert direct("kinesis").list_tags_for_stream(StreamName="s")["Tags"] == [{"Key": "env", "Value": "test"}]
    assert tags_of(kinesis, arn) == {"env": "test"}


def test_a_stack_stream_gets_its_template_values(proxy):
    template = ('{"Resources": {"S": {"Type": "AWS::Kinesis::Stream", "Properties": {"Name": "stacked", '
                '"ShardCount": 1, "MaxRecordSizeInKiB": 3072}}}}')
    proxy.client("cloudformation").create_stack(StackName="st", TemplateBody=template)
    assert summary(proxy.client("kinesis"), "stacked")["MaxRecordSizeInKiB"] == 3072


def test_moto_iam_authentication_still_decides_who_may_call(proxy, moto):

    def post(path: str, body: bytes = b"") -> None:
        request = urllib.request.Request(moto + path, data=body, method="POST", headers={"Content-Type": "text/plain"})
        urllib.request.urlopen(request, timeout=10).read()

    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="s", ShardCount=1)
    arn = summary(kinesis, "s")["StreamARN"]
    iam = proxy.client("iam")
    # moto's server is shared by the whole session: authentication goes off again (moto's default,
    # an infinite allowance of unauthenticated calls) whatever this test's outcome.
    try:
        post("/moto-api/reset-auth", b"1000000")
        keys = {}
        for name, action in (("allowed", "kinesis:UpdateMaxRecordSize"), ("denied", "kinesis:DescribeStreamSummary")):
            iam.create_user(UserName=name)
            document = json.dumps({"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": [action, "kinesis:DescribeStreamSummary"], "Resource": "*"}]})
            policy = iam.create_policy(PolicyName=name, PolicyDocument=document)["Policy"]["Arn"]
            iam.attach_user_policy(UserName=name, PolicyArn=policy)
            keys[name] = iam.create_access_key(UserName=name)["AccessKey"]
        post("/moto-api/reset-auth", b"0")

        def client(name):
            key = keys[name]
            return boto3.client("kinesis", endpoint_url=proxy.endpoint, config=NO_RETRIES, region_name="eu-central-1",
                                aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])

        for name in keys:
            proxy.control("POST", "/__proxy/credentials", json.dumps(
                {"access_key_id": keys[name]["AccessKeyId"], "secret_access_key": keys[name]["SecretAccessKey"]}).encode())
        client("allowed").update_max_record_size(StreamARN=arn, MaxRecordSizeInKiB=2048)
        with pytest.raises(botocore.exceptions.ClientError) as raised:
            client("denied").update_max_record_size(StreamARN=arn, MaxRecordSizeInKiB=4096)
        # moto's own IAM answer, as for every operation it implements (HTTP 403, AccessDenied).
        assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
        assert "not authorized to perform: kinesis:UpdateMaxRecordSize" in raised.value.response["Error"]["Message"]
        assert summary(client("allowed"), "s")["MaxRecordSizeInKiB"] == 2048
    finally:
        post("/moto-api/reset-auth", b"inf")
