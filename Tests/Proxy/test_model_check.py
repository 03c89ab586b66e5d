"""The model check is not vacuous: boto3's own requests for every operation reconcile sends pass it,
and requests AWS would refuse (each signed correctly unless the signature is the subject) are caught
with the operation, the parameter and the rule. Run: python3 -m pytest Tests/Proxy."""

from __future__ import annotations

import http.client
import json
import urllib.parse

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

STACK_TEMPLATE = json.dumps({"Parameters": {"Env": {"Type": "String"}},
                             "Resources": {"Handle": {"Type": "AWS::CloudFormation::WaitConditionHandle"}},
                             "Outputs": {"Env": {"Value": {"Ref": "Env"}}}})
SHARD_ARN = "arn:aws:kinesis:eu-central-1:123456789012:stream/{}"


def model_violations(proxy) -> list[dict]:
    return [entry for entry in proxy.log() if entry["rule"] == "model_check"]


def test_boto3_requests_for_every_operation_reconcile_sends_pass(proxy):
    kinesis, cloudformation = proxy.client("kinesis"), proxy.client("cloudformation")
    proxy.client("sts").get_caller_identity()
    kinesis.create_stream(StreamName="checked", ShardCount=1, Tags={"team": "data", "reconcile:project": "p"})
    kinesis.create_stream(StreamName="on-demand", StreamModeDetails={"StreamMode": "ON_DEMAND"})
    arn = kinesis.describe_stream_summary(StreamName="checked")["StreamDescriptionSummary"]["StreamARN"]
    kinesis.list_streams(Limit=100)
    kinesis.add_tags_to_stream(StreamName="checked", Tags={"cost center": "a/b=c+d-e@f%g_h.i"})
    kinesis.remove_tags_from_stream(StreamName="checked", TagKeys=["team"])
    kinesis.list_tags_for_stream(StreamName="checked")
    kinesis.update_shard_count(StreamName="checked", TargetShardCount=2, ScalingType="UNIFORM_SCALING")
    kinesis.increase_stream_retention_period(StreamName="checked", RetentionPeriodHours=48)
    kinesis.decrease_stream_retention_period(StreamName="checked", RetentionPeriodHours=24)
    kinesis.enable_enhanced_monitoring(StreamName="checked", ShardLevelMetrics=["IncomingBytes"])
    kinesis.disable_enhanced_monitoring(StreamName="checked", ShardLevelMetrics=["IncomingBytes"])
    kinesis.start_stream_encryption(StreamName="checked", EncryptionType="KMS", KeyId="alias/aws/kinesis")
    kinesis.stop_stream_encryption(StreamName="checked", EncryptionType="KMS", KeyId="alias/aws/kinesis")
    kinesis.update_stream_mode(StreamARN=arn, StreamModeDetails={"StreamMode": "ON_DEMAND"})
    consumer = kinesis.register_stream_consumer(StreamARN=arn, ConsumerName="reader")["Consumer"]
    kinesis.describe_stream_consumer(ConsumerARN=consumer["ConsumerARN"])
    kinesis.list_stream_consumers(StreamARN=arn)
    kinesis.deregister_stream_consumer(ConsumerARN=consumer["ConsumerARN"])
    kinesis.delete_stream(StreamName="on-demand", EnforceConsumerDeletion=True)

    tags = [{"Key": "team", "Value": "data"}]
    cloudformation.validate_template(TemplateBody=STACK_TEMPLATE)
    cloudformation.create_stack(StackName="checked-stack", TemplateBody=STACK_TEMPLATE, Tags=tags,
                                Parameters=[{"ParameterKey": "Env", "ParameterValue": "${env}"}],
                                ClientRequestToken="reconcile-0123abcd", EnableTerminationProtection=False,
                                Capabilities=["CAPABILITY_IAM"])
    cloudformation.describe_stacks(StackName="checked-stack")
    cloudformation.describe_stacks()
    cloudformation.list_stacks(StackStatusFilter=["CREATE_COMPLETE", "UPDATE_COMPLETE"])
    cloudformation.get_template(StackName="checked-stack", TemplateStage="Original")
    cloudformation.describe_stack_events(StackName="checked-stack")
    cloudformation.list_stack_resources(StackName="checked-stack")
    cloudformation.update_stack(StackName="checked-stack", UsePreviousTemplate=True, Tags=[],
                                Parameters=[{"ParameterKey": "Env", "ParameterValue": "prod"}])
    cloudformation.update_termination_protection(StackName="checked-stack", EnableTerminationProtection=False)
    cloudformation.delete_stack(StackName="checked-stack")
    kinesis.delete_stream(StreamName="checked")

    log = proxy.log()
    assert len(log) >= 30
    assert model_violations(proxy) == []
    assert all(entry["status"] == 200 for entry in log), [e for e in log if e["status"] != 200]


# --------------------------------------------------------------------------- known-bad requests

def signed(proxy, service: str, operation: str, params: dict | None = None, *, form: str | None = None,
           region: str = "eu-central-1", scope_service: str | None = None, content_type: str | None = None,
           tamper: bytes | None = None) -> tuple[int, str]:
    """Sends one request signed with botocore's SigV4 and the test key, as a client would."""
    if service == "kinesis":
        body = json.dumps(params or {}).encode()
        headers = {"X-Amz-Target": f"Kinesis_20131202.{operation}",
                   "Content-Type": content_type or "application/x-amz-json-1.1"}
    else:
        body = (form if form is not None else
                urllib.parse.urlencode({"Action": operation, "Version": "2010-05-15", **(params or {})})).encode()
        headers = {"Content-Type": content_type or "application/x-www-form-urlencoded; charset=utf-8"}
    request = AWSRequest(method="POST", url=f"{proxy.endpoint}/", data=body, headers=headers)
    SigV4Auth(Credentials("testing", "testing"), scope_service or service, region).add_auth(request)
    prepared = request.prepare()
    connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
    sent = tamper if tamper is not None else body
    connection.request("POST", "/", body=sent, headers={**dict(prepared.headers), "Content-Length": str(len(sent))})
    response = connection.getresponse()
    return response.status, response.read().decode()


def stream(proxy, name: str = "target", tags: int = 0):
    proxy.client("kinesis").create_stream(StreamName=name, ShardCount=1,
                                          Tags={f"k{i}": "v" for i in range(tags)} or None) \
        if tags else proxy.client("kinesis").create_stream(StreamName=name, ShardCount=1)


KINESIS_BAD = [
    ("CreateStream", {"ShardCount": 1}, "StreamName", "required parameter is missing"),
    ("CreateStream", {"StreamName": "s", "ShardCount": "1"}, "ShardCount", "must be an integer"),
    ("CreateStream", {"StreamName": "s", "StreamModeDetails": {"StreamMode": "FAST"}},
     "StreamModeDetails.StreamMode", "is not one of"),
    ("CreateStream", {"StreamName": "s" * 129}, "StreamName", "at most 128 characters"),
    ("CreateStream", {"StreamName": "bad name!"}, "StreamName", "does not match the pattern"),
    ("CreateStream", {"StreamName": "s", "Bogus": 1}, "Bogus", "unknown parameter"),
    ("UpdateShardCount", {"StreamName": "s", "TargetShardCount": 0, "ScalingType": "UNIFORM_SCALING"},
     "TargetShardCount", "must be at least 1"),
    ("AddTagsToStream", {"StreamName": "s", "Tags": {}}, "Tags", "at least 1 entries"),
    ("AddTagsToStream", {"StreamName": "s", "Tags": {"team#1": "x"}}, "Tags.team#1", "'#' is not allowed"),
    ("AddTagsToStream", {"StreamName": "s", "Tags": {"team": "a&b"}}, "(value)", "'&' is not allowed"),
    ("DescribeStreamConsumer", {"ConsumerARN": SHARD_ARN.format("s") + "/consumer/c"}, "ConsumerARN",
     "does not match the pattern"),
    ("DescribeStreamConsumer", {"ConsumerARN": "arn:aws:kinesis:eu-west-1:123456789012:stream/s/consumer/c:1"},
     "ConsumerARN", "names region 'eu-west-1' but the request is signed for 'eu-central-1'"),
    ("PutRecord", {"StreamName": "s", "Data": "not base64!", "PartitionKey": "k"}, "Data", "must be base64"),
]


@pytest.mark.parametrize("operation, params, parameter, rule", KINESIS_BAD,
                         ids=[f"{case[0]}-{case[2]}-{i}" for i, case in enumerate(KINESIS_BAD)])
def test_bad_kinesis_requests_are_caught(proxy, operation, params, parameter, rule):
    status, body = signed(proxy, "kinesis", operation, params)
    assert status == 400
    answer = json.loads(body)
    assert answer["__type"] == "ValidationException"
    assert answer["message"].startswith(f"model check: {operation}: ")
    assert parameter in answer["message"] and rule in answer["message"], answer["message"]
    [logged] = model_violations(proxy)
    assert logged["operation"] == operation and logged["detail"] == answer["message"]


def query_form(operation: str, **pairs) -> dict:
    return {"StackName": "s", "TemplateBody": STACK_TEMPLATE, **pairs} if operation == "CreateStack" else pairs


CLOUDFORMATION_BAD = [
    ("CreateStack", query_form("CreateStack", **{"Tags.member.1.Key": "empty", "Tags.member.1.Value": ""}),
     "Tags[0].Value", "at least 1 characters"),
    ("CreateStack", query_form("CreateStack", **{f"Tags.member.{i}.{f}": f"t{i}" for i in range(1, 52)
                                                 for f in ("Key", "Value")}), "Tags", "at most 50 items"),
    ("CreateStack", query_form("CreateStack", **{"Tags.member.1.Key": "a*b", "Tags.member.1.Value": "v"}),
     "Tags.member.1.Key", "'*' is not allowed"),
    ("CreateStack", query_form("CreateStack", ClientRequestToken="-starts-with-dash"), "ClientRequestToken",
     "does not match the pattern"),
    ("CreateStack", query_form("CreateStack", OnFailure="EXPLODE"), "OnFailure", "is not one of"),
    ("CreateStack", query_form("CreateStack", TimeoutInMinutes="ten"), "TimeoutInMinutes", "must be an integer"),
    ("CreateStack", query_form("CreateStack", Colour="blue"), "Colour", "unknown parameter"),
    ("UpdateTerminationProtection", {"StackName": "s"}, "EnableTerminationProtection", "required parameter"),
    ("DeleteStack", {}, "StackName", "required parameter is missing"),
]


@pytest.mark.parametrize("operation, params, parameter, rule", CLOUDFORMATION_BAD,
                         ids=[f"{case[0]}-{case[2]}-{i}" for i, case in enumerate(CLOUDFORMATION_BAD)])
def test_bad_cloudformation_requests_are_caught(proxy, operation, params, parameter, rule):
    status, body = signed(proxy, "cloudformation", operation, params)
    assert status == 400
    assert "<Code>ValidationError</Code>" in body
    assert f"model check: {operation}: " in body
    assert parameter in body and rule in body.replace("&#x27;", "'").replace("&quot;", '"'), body
    assert len(model_violations(proxy)) == 1


PROTOCOL_BAD = [
    # (service, operation, keyword arguments of signed(), parameter, rule)
    ("cloudformation", "DescribeStacks", {"form": "Action=DescribeStacks&Version=2011-06-15"}, "Version",
     "must be 2010-05-15"),
    ("kinesis", "ListStreams", {"content_type": "application/json"}, "Content-Type",
     "must be application/x-amz-json-1.1"),
    ("cloudformation", "DescribeStacks", {"content_type": "text/plain"}, "Content-Type",
     "must be application/x-www-form-urlencoded"),
    ("kinesis", "ListStreams", {"region": ""}, "Authorization", "credential scope names region ''"),
    ("kinesis", "ListStreams", {"scope_service": "cloudformation"}, "Authorization",
     "credential scope names service 'cloudformation'"),
    ("kinesis", "ListStreams", {"tamper": b'{"Limit": 5}'}, "Authorization", "signature does not match"),
    ("cloudformation", "DescribeStacks", {"tamper": b"Action=DescribeStacks&Version=2010-05-15&StackName=x"},
     "Authorization", "signature does not match"),
]


@pytest.mark.parametrize("service, operation, options, parameter, rule", PROTOCOL_BAD,
                         ids=[f"{case[1]}-{case[3]}-{i}" for i, case in enumerate(PROTOCOL_BAD)])
def test_bad_protocol_and_signatures_are_caught(proxy, service, operation, options, parameter, rule):
    status, body = signed(proxy, service, operation, {}, **options)
    assert status == 400
    assert f"model check: {operation}: {parameter}: " in body and rule in body, body


def test_tags_a_request_adds_count_with_those_the_stream_has(proxy):
    stream(proxy, "full", tags=50)
    status, body = signed(proxy, "kinesis", "AddTagsToStream", {"StreamName": "full", "Tags": {"k1": "again"}})
    assert status == 200, body  # overwriting a key adds no tag
    status, body = signed(proxy, "kinesis", "AddTagsToStream", {"StreamName": "full",
                                                                "Tags": {"reconcile:project": "p"}})
    assert status == 400
    assert "AddTagsToStream: Tags: a stream can have at most 50 tags; this request would leave it with 51" in body


def test_the_check_can_be_switched_off(proxy):
    proxy.configure({"rules": {"model_check": False}})
    status, _ = signed(proxy, "kinesis", "ListStreams", {"Bogus": True})
    assert status != 400 or model_violations(proxy) == []
    assert model_violations(proxy) == []


def test_keys_sts_hands_out_are_verified_too(proxy):
    credentials = proxy.client("sts").assume_role(RoleArn="arn:aws:iam::123456789012:role/r",
                                                  RoleSessionName="session")["Credentials"]
    import boto3
    session = boto3.Session(aws_access_key_id=credentials["AccessKeyId"],
                            aws_secret_access_key=credentials["SecretAccessKey"],
                            aws_session_token=credentials["SessionToken"], region_name="eu-central-1")
    session.client("kinesis", endpoint_url=proxy.endpoint).list_streams()
    assert model_violations(proxy) == []
    request = AWSRequest(method="POST", url=f"{proxy.endpoint}/", data=b"{}", headers={
        "X-Amz-Target": "Kinesis_20131202.ListStreams", "Content-Type": "application/x-amz-json-1.1"})
    SigV4Auth(Credentials(credentials["AccessKeyId"], "a-wrong-secret"), "kinesis", "eu-central-1").add_auth(request)
    connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
    connection.request("POST", "/", body=b"{}", headers=dict(request.prepare().headers))
    response = connection.getresponse()
    assert response.status == 400 and b"signature does not match" in response.read()


def test_a_kinesis_target_of_another_api_version_is_caught(proxy):
    request = AWSRequest(method="POST", url=f"{proxy.endpoint}/", data=b"{}", headers={
        "X-Amz-Target": "Kinesis_20131201.ListStreams", "Content-Type": "application/x-amz-json-1.1"})
    SigV4Auth(Credentials("testing", "testing"), "kinesis", "eu-central-1").add_auth(request)
    connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
    connection.request("POST", "/", body=b"{}", headers=dict(request.prepare().headers))
    response = connection.getresponse()
    assert response.status == 400
    assert b"model check: ListStreams: X-Amz-Target: 'Kinesis_20131201.ListStreams' is not" in response.read()
