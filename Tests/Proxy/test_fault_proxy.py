"""The fault proxy itself: exact forwarding, each fault in its protocol's shape, the AWS
rules it adds, the failing-stack path and the log. Run: python3 -m pytest Tests/Proxy."""

from __future__ import annotations

import http.client
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import botocore.exceptions
import botocore.parsers
import pytest
from conftest import RunningProxy

STREAM_TEMPLATE = {"Resources": {"Stream": {"Type": "AWS::Kinesis::Stream",
                                            "Properties": {"Name": "stack-stream", "ShardCount": 1}}}}
FAILING_RESOURCE = {"Type": "AWS::CloudFormation::WaitConditionHandle", "Metadata": {"reconcile-test": "fail"}}


def error_code(raised: pytest.ExceptionInfo) -> str:
    return raised.value.response["Error"]["Code"]


def failing_template() -> str:
    template = json.loads(json.dumps(STREAM_TEMPLATE))
    template["Resources"]["Broken"] = FAILING_RESOURCE
    return json.dumps(template)


# --------------------------------------------------------------------------- forwarding

class RecordingUpstream:
    """A loopback server that records each request exactly and answers a fixed reply."""

    def __init__(self):
        self.requests: list[dict] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                recorder.requests.append({"method": self.command, "path": self.path,
                                          "headers": list(self.headers.items()), "body": body})
                payload = b"\x00binary\xffbody"
                self.send_response_only(418, "I'm a teapot")
                self.send_header("X-Custom", "kept")
                self.send_header("Set-Cookie", "a=1")
                self.send_header("Set-Cookie", "b=2")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recording_proxy():
    upstream = RecordingUpstream()
    # These requests are deliberately not AWS's (a made-up path, a fake signature): no model check.
    proxy = RunningProxy(upstream.endpoint, {"rules": {"model_check": False}})
    yield proxy, upstream
    proxy.stop()
    upstream.close()


def test_forwards_method_path_headers_and_body_unchanged(recording_proxy):
    proxy, upstream = recording_proxy
    body = b'{"StreamName": "s", "bytes": "\\u00e9"}\xff'
    headers = [("Host", "kinesis.eu-central-1.amazonaws.com"), ("X-Amz-Target", "Kinesis_20131202.ListStreams"),
               ("Authorization", "AWS4-HMAC-SHA256 Credential=AK/20240101/eu-central-1/kinesis/aws4_request, "
                                 "SignedHeaders=host;x-amz-date, Signature=abc"),
               ("X-Amz-Date", "20240101T000000Z"), ("X-Repeated", "1"), ("X-Repeated", "2"),
               ("Content-Length", str(len(body)))]
    connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
    connection.putrequest("POST", "/some/path?x=1&y=%2F", skip_host=True, skip_accept_encoding=True)
    for key, value in headers:
        connection.putheader(key, value)
    connection.endheaders(body)
    response = connection.getresponse()

    assert response.status == 418 and response.reason == "I'm a teapot"
    assert response.read() == b"\x00binary\xffbody"
    assert response.getheader("X-Custom") == "kept"
    assert [v for k, v in response.getheaders() if k == "Set-Cookie"] == ["a=1", "b=2"]
    [seen] = upstream.requests
    assert seen["method"] == "POST" and seen["path"] == "/some/path?x=1&y=%2F"
    assert seen["body"] == body
    assert seen["headers"] == headers
    connection.close()


def test_control_paths_never_reach_upstream(recording_proxy):
    proxy, upstream = recording_proxy
    proxy.configure({"latency_ms": 0})
    proxy.log()
    proxy.stats()
    proxy.control("POST", "/__proxy/reset-log")
    assert upstream.requests == []


def test_boto3_works_through_the_proxy_unchanged(proxy, direct):
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="plain", ShardCount=2)
    through_proxy = kinesis.describe_stream_summary(StreamName="plain")["StreamDescriptionSummary"]
    straight = direct("kinesis").describe_stream_summary(StreamName="plain")["StreamDescriptionSummary"]
    # The stream_settings rule adds what AWS reports and moto lacks (stream_settings_rule.py).
    assert through_proxy.pop("MaxRecordSizeInKiB") == 1024
    assert through_proxy == straight
    cloudformation = proxy.client("cloudformation")
    cloudformation.create_stack(StackName="plain-stack", TemplateBody=json.dumps(STREAM_TEMPLATE))
    body = cloudformation.get_template(StackName="plain-stack")["TemplateBody"]
    assert body == STREAM_TEMPLATE


# --------------------------------------------------------------------------- faults

@pytest.mark.parametrize("service,call,kind,status,code", [
    ("kinesis", lambda c: c.list_streams(), "throttle", 400, "LimitExceededException"),
    ("kinesis", lambda c: c.list_streams(), "500", 500, "InternalFailure"),
    ("kinesis", lambda c: c.list_streams(), "503", 503, "ServiceUnavailable"),
    ("cloudformation", lambda c: c.describe_stacks(), "throttle", 400, "Throttling"),
    ("cloudformation", lambda c: c.describe_stacks(), "500", 500, "InternalFailure"),
    ("cloudformation", lambda c: c.describe_stacks(), "503", 503, "ServiceUnavailable"),
])
def test_error_faults_come_in_the_protocols_shape(proxy, service, call, kind, status, code):
    proxy.configure({"faults": {"probability": 1.0, "seed": 1, "kinds": [kind]}})
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        call(proxy.client(service))
    assert error_code(raised) == code
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == status
    headers = raised.value.response["ResponseMetadata"]["HTTPHeaders"]
    expected_type = "application/x-amz-json-1.1" if service == "kinesis" else "text/xml"
    assert headers["content-type"] == expected_type
    assert proxy.log()[-1]["fault"] == kind


def test_kinesis_throttle_body_is_awss(proxy):
    # A hand-written request without a real signature: the model check is off, the fault is the subject.
    proxy.configure({"script": [{"operation": "DescribeStreamSummary", "nth": 1, "fault": "throttle"}],
                     "rules": {"model_check": False}})
    connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
    connection.request("POST", "/", body=b'{"StreamName":"orders"}', headers={
        "X-Amz-Target": "Kinesis_20131202.DescribeStreamSummary", "Authorization": "AWS4-HMAC-SHA256 x"})
    response = connection.getresponse()
    assert response.status == 400
    assert json.loads(response.read()) == {
        "__type": "LimitExceededException",
        "message": "Rate exceeded for stream orders under account 123456789012."}


def test_cloudformation_throttle_body_is_awss(proxy):
    # A hand-written request without a real signature: the model check is off, the fault is the subject.
    proxy.configure({"script": [{"operation": "DescribeStacks", "nth": 1, "fault": "throttle"}],
                     "rules": {"model_check": False}})
    connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
    connection.request("POST", "/", body=b"Action=DescribeStacks&Version=2010-05-15", headers={
        "Content-Type": "application/x-www-form-urlencoded",
        "Authorization": "AWS4-HMAC-SHA256 Credential=AK/20240101/eu-central-1/cloudformation/aws4_request"})
    response = connection.getresponse()
    text = response.read().decode()
    assert response.status == 400
    assert text.startswith('<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">'
                           "<Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message>"
                           "</Error><RequestId>")


def test_reset_before_never_reaches_moto(proxy, direct):
    proxy.configure({"script": [{"operation": "CreateStream", "nth": 1, "fault": "reset_before"}]})
    with pytest.raises(botocore.exceptions.HTTPClientError):
        proxy.client("kinesis").create_stream(StreamName="never", ShardCount=1)
    assert direct("kinesis").list_streams()["StreamNames"] == []
    assert proxy.log()[-1]["status"] == "reset"


def test_reset_after_reaches_moto_but_the_answer_is_lost(proxy, direct):
    proxy.configure({"script": [{"operation": "CreateStream", "nth": 1, "fault": "reset_after"}]})
    with pytest.raises(botocore.exceptions.HTTPClientError):
        proxy.client("kinesis").create_stream(StreamName="made", ShardCount=1)
    assert direct("kinesis").list_streams()["StreamNames"] == ["made"]


def test_latency_is_added_each_way(proxy):
    kinesis = proxy.client("kinesis")
    proxy.configure({"latency_ms": 60})
    started = time.monotonic()
    kinesis.list_streams()
    assert time.monotonic() - started >= 0.12  # 60 ms there and 60 ms back
    assert proxy.log()[-1]["duration_ms"] >= 120


def test_latency_fault_delays_then_answers(proxy):
    proxy.configure({"script": [{"operation": "ListStreams", "nth": 1, "fault": "latency", "latency_ms": 200}]})
    started = time.monotonic()
    proxy.client("kinesis").list_streams()
    assert time.monotonic() - started >= 0.2
    assert proxy.log()[-1]["fault"] == "latency" and proxy.log()[-1]["status"] == 200


def test_scripted_faults_count_each_operation_separately(proxy):
    proxy.configure({"script": [{"operation": "ListStreams", "nth": [2, 4], "fault": "500"}]})
    kinesis = proxy.client("kinesis")
    outcomes = []
    for _ in range(5):
        kinesis.describe_limits()  # another operation: does not move ListStreams' count
        try:
            kinesis.list_streams()
            outcomes.append("ok")
        except botocore.exceptions.ClientError as error:
            outcomes.append(error.response["Error"]["Code"])
    assert outcomes == ["ok", "InternalFailure", "ok", "InternalFailure", "ok"]


def test_seeded_probability_is_reproducible_and_filtered(moto):
    config = {"faults": {"probability": 0.5, "seed": 7, "kinds": ["throttle", "500"],
                         "operations": ["ListStreams"]}}
    runs = []
    for _ in range(2):
        proxy = RunningProxy(moto, config)
        try:
            kinesis = proxy.client("kinesis")
            for _ in range(20):
                kinesis.describe_limits()  # not in "operations": never faulted
                try:
                    kinesis.list_streams()
                except botocore.exceptions.ClientError:
                    pass
            runs.append([(entry["operation"], entry["fault"]) for entry in proxy.log()])
        finally:
            proxy.stop()
    assert runs[0] == runs[1]
    faults = [fault for operation, fault in runs[0] if operation == "ListStreams" and fault]
    assert 3 <= len(faults) <= 17 and set(faults) == {"throttle", "500"}
    assert all(fault is None for operation, fault in runs[0] if operation == "DescribeLimits")


def test_data_plane_reads_are_not_faulted_by_default(proxy):
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="data", ShardCount=1)
    shard = kinesis.list_shards(StreamName="data")["Shards"][0]["ShardId"]
    proxy.configure({"faults": {"probability": 1.0, "seed": 3, "kinds": ["500"]}})
    iterator = kinesis.get_shard_iterator(StreamName="data", ShardId=shard,
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    kinesis.get_records(ShardIterator=iterator)
    with pytest.raises(botocore.exceptions.ClientError):
        kinesis.list_streams()


def test_rate_limits_throttle_beyond_the_bucket(proxy):
    proxy.configure({"rate_limits": [{"operations": ["ListStreams"], "per_second": 0.25, "burst": 2}]})
    kinesis = proxy.client("kinesis")
    codes = []
    for _ in range(4):
        try:
            kinesis.list_streams()
            codes.append("ok")
        except botocore.exceptions.ClientError as error:
            codes.append(error_code_of(error))
    assert codes[:2] == ["ok", "ok"] and "LimitExceededException" in codes[2:]
    assert any(entry["rule"] == "rate_limit" for entry in proxy.log())


def error_code_of(error: botocore.exceptions.ClientError) -> str:
    return error.response["Error"]["Code"]


def test_config_file_is_read_at_start(moto):
    proxy = RunningProxy(moto, {"script": [{"operation": "ListStreams", "nth": 1, "fault": "503"}]})
    try:
        with pytest.raises(botocore.exceptions.ClientError) as raised:
            proxy.client("kinesis").list_streams()
        assert error_code(raised) == "ServiceUnavailable"
    finally:
        proxy.stop()


def test_bad_config_is_refused(proxy):
    with pytest.raises(Exception) as raised:
        proxy.configure({"faults": {"kinds": ["explode"]}})
    assert "400" in str(raised.value)


# --------------------------------------------------------------------------- Kinesis rules

def test_update_shard_count_at_most_doubles_or_halves(proxy):
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="scaled", ShardCount=2)
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        kinesis.update_shard_count(StreamName="scaled", TargetShardCount=5, ScalingType="UNIFORM_SCALING")
    assert error_code(raised) == "ValidationException"
    assert "cannot scale up over double" in str(raised.value).lower()
    kinesis.update_shard_count(StreamName="scaled", TargetShardCount=4, ScalingType="UNIFORM_SCALING")
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        kinesis.update_shard_count(StreamName="scaled", TargetShardCount=1, ScalingType="UNIFORM_SCALING")
    assert "below half" in str(raised.value)
    kinesis.update_shard_count(StreamName="scaled", TargetShardCount=2, ScalingType="UNIFORM_SCALING")


def test_shard_counts_are_learned_from_describe(proxy, direct):
    direct("kinesis").create_stream(StreamName="outside", ShardCount=1)  # the proxy did not see it
    kinesis = proxy.client("kinesis")
    kinesis.describe_stream_summary(StreamName="outside")
    with pytest.raises(botocore.exceptions.ClientError):
        kinesis.update_shard_count(StreamName="outside", TargetShardCount=3, ScalingType="UNIFORM_SCALING")


def test_at_most_ten_shard_updates_a_day(proxy):
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="busy-scaler", ShardCount=1)
    for index in range(10):
        kinesis.update_shard_count(StreamName="busy-scaler", TargetShardCount=2 if index % 2 == 0 else 1,
                                   ScalingType="UNIFORM_SCALING")
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        kinesis.update_shard_count(StreamName="busy-scaler", TargetShardCount=2, ScalingType="UNIFORM_SCALING")
    assert error_code(raised) == "LimitExceededException"


def test_streams_are_creating_then_updating_for_a_while(proxy):
    proxy.configure({"rules": {"busy_seconds": 1.5}})
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="slow", ShardCount=1)
    summary = kinesis.describe_stream_summary(StreamName="slow")["StreamDescriptionSummary"]
    assert summary["StreamStatus"] == "CREATING"
    assert kinesis.describe_stream(StreamName="slow")["StreamDescription"]["StreamStatus"] == "CREATING"
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        kinesis.increase_stream_retention_period(StreamName="slow", RetentionPeriodHours=48)
    assert error_code(raised) == "ResourceInUseException"
    time.sleep(1.6)
    assert kinesis.describe_stream_summary(StreamName="slow")["StreamDescriptionSummary"]["StreamStatus"] == "ACTIVE"
    kinesis.increase_stream_retention_period(StreamName="slow", RetentionPeriodHours=48)
    summary = kinesis.describe_stream_summary(StreamName="slow")["StreamDescriptionSummary"]
    assert summary["StreamStatus"] == "UPDATING"
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        kinesis.update_shard_count(StreamName="slow", TargetShardCount=2, ScalingType="UNIFORM_SCALING")
    assert "instead in state UPDATING" in str(raised.value)


def test_a_resizing_stream_reports_its_old_shard_count_until_active(proxy, direct):
    proxy.configure({"rules": {"busy_seconds": 1.0}})
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="resizing", ShardCount=1)
    time.sleep(1.1)
    kinesis.update_shard_count(StreamName="resizing", TargetShardCount=2, ScalingType="UNIFORM_SCALING")
    summary = kinesis.describe_stream_summary(StreamName="resizing")["StreamDescriptionSummary"]
    assert (summary["StreamStatus"], summary["OpenShardCount"]) == ("UPDATING", 1)
    moto = direct("kinesis").describe_stream_summary(StreamName="resizing")["StreamDescriptionSummary"]
    assert moto["OpenShardCount"] == 2  # moto resizes at once
    time.sleep(1.1)
    summary = kinesis.describe_stream_summary(StreamName="resizing")["StreamDescriptionSummary"]
    assert (summary["StreamStatus"], summary["OpenShardCount"]) == ("ACTIVE", 2)


def test_consumers_are_creating_for_a_while(proxy):
    proxy.configure({"rules": {"consumer_busy_seconds": 1.5}})
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="fanout", ShardCount=1)
    arn = kinesis.describe_stream_summary(StreamName="fanout")["StreamDescriptionSummary"]["StreamARN"]
    consumer = kinesis.register_stream_consumer(StreamARN=arn, ConsumerName="app")["Consumer"]
    assert consumer["ConsumerStatus"] == "CREATING"
    described = kinesis.describe_stream_consumer(ConsumerARN=consumer["ConsumerARN"])["ConsumerDescription"]
    assert described["ConsumerStatus"] == "CREATING"
    assert [c["ConsumerStatus"] for c in kinesis.list_stream_consumers(StreamARN=arn)["Consumers"]] == ["CREATING"]
    time.sleep(1.6)
    described = kinesis.describe_stream_consumer(ConsumerARN=consumer["ConsumerARN"])["ConsumerDescription"]
    assert described["ConsumerStatus"] == "ACTIVE"


def test_stream_names_are_validated(proxy, direct):
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        proxy.client("kinesis").create_stream(StreamName="bad name!", ShardCount=1)
    assert error_code(raised) == "ValidationException"
    assert direct("kinesis").list_streams()["StreamNames"] == []


def test_tag_limits_are_enforced(proxy):
    proxy.configure({"rules": {"model_check": False}})  # it refuses the 51st tag first, in its own words
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="tagged", ShardCount=1)
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        kinesis.add_tags_to_stream(StreamName="tagged", Tags={f"k{i}": "v" for i in range(11)})
    assert error_code(raised) == "InvalidArgumentException"
    for batch in range(5):
        kinesis.add_tags_to_stream(StreamName="tagged", Tags={f"k{batch}-{i}": "v" for i in range(10)})
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        kinesis.add_tags_to_stream(StreamName="tagged", Tags={"one-too-many": "v"})
    assert "more than 50 tags" in str(raised.value)
    kinesis.add_tags_to_stream(StreamName="tagged", Tags={"k0-0": "overwritten"})  # not a new key
    with pytest.raises(botocore.exceptions.ClientError):
        kinesis.create_stream(StreamName="too-many", ShardCount=1, Tags={f"k{i}": "v" for i in range(51)})


def test_rules_can_be_switched_off(proxy):
    proxy.configure({"rules": {"shard_scaling": False, "stream_names": False}})
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="free", ShardCount=1)
    kinesis.update_shard_count(StreamName="free", TargetShardCount=8, ScalingType="UNIFORM_SCALING")


# --------------------------------------------------------------------------- CloudFormation

def test_termination_protection_is_enforced(proxy):
    cloudformation = proxy.client("cloudformation")
    cloudformation.create_stack(StackName="kept", TemplateBody=json.dumps(STREAM_TEMPLATE),
                                EnableTerminationProtection=True)
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        cloudformation.delete_stack(StackName="kept")
    assert error_code(raised) == "ValidationError"
    assert "Stack [kept] cannot be deleted while TerminationProtection is enabled" in str(raised.value)
    cloudformation.update_termination_protection(StackName="kept", EnableTerminationProtection=False)
    assert cloudformation.describe_stacks(StackName="kept")["Stacks"][0]["EnableTerminationProtection"] is False
    cloudformation.delete_stack(StackName="kept")
    cloudformation.create_stack(StackName="later", TemplateBody=json.dumps(STREAM_TEMPLATE))
    cloudformation.update_termination_protection(StackName="later", EnableTerminationProtection=True)
    assert cloudformation.describe_stacks(StackName="later")["Stacks"][0]["EnableTerminationProtection"] is True
    with pytest.raises(botocore.exceptions.ClientError):
        cloudformation.delete_stack(StackName="later")


def test_marked_stack_ends_rollback_complete_with_a_reason(proxy, direct):
    cloudformation = proxy.client("cloudformation")
    stack_id = cloudformation.create_stack(StackName="doomed", TemplateBody=failing_template(),
                                           Tags=[{"Key": "team", "Value": "data"}])["StackId"]
    [stack] = cloudformation.describe_stacks(StackName="doomed")["Stacks"]
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE" and stack["StackId"] == stack_id
    assert stack["Tags"] == [{"Key": "team", "Value": "data"}]
    events = cloudformation.describe_stack_events(StackName="doomed")["StackEvents"]
    failed = [e for e in events if e["ResourceStatus"] == "CREATE_FAILED"]
    assert failed[0]["LogicalResourceId"] == "Broken"
    assert "reconcile-test failure" in failed[0]["ResourceStatusReason"]
    assert events[0]["ResourceStatus"] == "ROLLBACK_COMPLETE"  # newest first
    assert [s["StackName"] for s in cloudformation.describe_stacks()["Stacks"]] == ["doomed"]
    assert [s["StackStatus"] for s in cloudformation.list_stacks()["StackSummaries"]] == ["ROLLBACK_COMPLETE"]
    assert direct("kinesis").list_streams()["StreamNames"] == []  # nothing reached moto
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        cloudformation.update_stack(StackName="doomed", TemplateBody=json.dumps(STREAM_TEMPLATE))
    assert "ROLLBACK_COMPLETE state and can not be updated" in str(raised.value)
    cloudformation.delete_stack(StackName="doomed")
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        cloudformation.describe_stacks(StackName="doomed")
    assert "does not exist" in str(raised.value)
    cloudformation.create_stack(StackName="doomed", TemplateBody=json.dumps(STREAM_TEMPLATE))
    assert cloudformation.describe_stacks(StackName="doomed")["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"


def test_waiter_sees_the_failure(proxy):
    cloudformation = proxy.client("cloudformation")
    cloudformation.create_stack(StackName="waited", TemplateBody=failing_template())
    with pytest.raises(botocore.exceptions.WaiterError):
        cloudformation.get_waiter("stack_create_complete").wait(StackName="waited",
                                                               WaiterConfig={"Delay": 0, "MaxAttempts": 2})


def test_marked_update_rolls_back_and_keeps_the_template(proxy):
    cloudformation = proxy.client("cloudformation")
    cloudformation.create_stack(StackName="steady", TemplateBody=json.dumps(STREAM_TEMPLATE))
    cloudformation.update_stack(StackName="steady", TemplateBody=failing_template())
    [stack] = cloudformation.describe_stacks(StackName="steady")["Stacks"]
    assert stack["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert cloudformation.get_template(StackName="steady")["TemplateBody"] == STREAM_TEMPLATE
    events = cloudformation.describe_stack_events(StackName="steady")["StackEvents"]
    assert events[0]["ResourceStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    assert any(e["ResourceStatus"] == "UPDATE_FAILED" and "reconcile-test failure" in e["ResourceStatusReason"]
               for e in events)
    template = json.loads(json.dumps(STREAM_TEMPLATE))
    template["Resources"]["Stream"]["Properties"]["RetentionPeriodHours"] = 48
    cloudformation.update_stack(StackName="steady", TemplateBody=json.dumps(template))
    assert cloudformation.describe_stacks(StackName="steady")["Stacks"][0]["StackStatus"] == "UPDATE_COMPLETE"


# --------------------------------------------------------------------------- log

def test_log_records_every_request(proxy):
    proxy.configure({"script": [{"operation": "ListStreams", "nth": 1, "fault": "throttle"}]})
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="logged", ShardCount=1)
    with pytest.raises(botocore.exceptions.ClientError):
        kinesis.list_streams()
    proxy.client("cloudformation").describe_stacks()
    entries = proxy.log()
    assert [(e["service"], e["operation"], e["resource"], e["fault"], e["status"]) for e in entries] == [
        ("kinesis", "CreateStream", "logged", None, 200),
        ("kinesis", "ListStreams", None, "throttle", 400),
        ("cloudformation", "DescribeStacks", None, None, 200),
    ]
    assert all(isinstance(e["time"], float) for e in entries)
    with open(proxy.log_path) as handle:
        assert [json.loads(line) for line in handle] == entries
    stats = proxy.stats()
    assert stats["requests"] == 3 and stats["by_fault"] == {"throttle": 1}
    assert stats["by_operation"]["kinesis:CreateStream"] == 1
    proxy.control("POST", "/__proxy/reset-log")
    assert proxy.log() == []


def test_concurrent_requests_are_all_logged(proxy):
    kinesis = proxy.client("kinesis")
    threads = [threading.Thread(target=kinesis.list_streams) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(proxy.log()) == 16


def test_a_moto_reset_through_the_proxy_forgets_learned_state(proxy):
    cloudformation = proxy.client("cloudformation")
    cloudformation.create_stack(StackName="again", TemplateBody=failing_template())
    proxy.control("POST", "/moto-api/reset")
    assert cloudformation.describe_stacks()["Stacks"] == []
    cloudformation.create_stack(StackName="again", TemplateBody=failing_template())
    assert proxy.log()[-1]["status"] == 200


def test_create_stream_tags_are_applied_as_aws_does(proxy, direct):
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="tagged-at-birth", ShardCount=1, Tags={"reconcile:project": "p", "env": "x"})
    tags = direct("kinesis").list_tags_for_stream(StreamName="tagged-at-birth")["Tags"]
    assert {t["Key"]: t["Value"] for t in tags} == {"reconcile:project": "p", "env": "x"}


def test_create_stream_tags_rule_can_be_switched_off(proxy, direct):
    proxy.configure({"rules": {"create_stream_tags": False}})
    proxy.client("kinesis").create_stream(StreamName="moto-way", ShardCount=1, Tags={"env": "x"})
    assert direct("kinesis").list_tags_for_stream(StreamName="moto-way")["Tags"] == []


def test_pause_holds_the_nth_write_after_it_reached_moto(proxy, direct):
    import threading
    proxy.configure({"pause": {"after_write": 2}})
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="first", ShardCount=1)
    kinesis.list_streams()  # reads are not counted
    done = threading.Event()
    worker = threading.Thread(target=lambda: (kinesis.create_stream(StreamName="second", ShardCount=1), done.set()))
    worker.start()
    deadline = time.monotonic() + 10
    while not json.loads(proxy.control("GET", "/__proxy/pause"))["paused"]:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    status = json.loads(proxy.control("GET", "/__proxy/pause"))
    assert status["operation"] == "CreateStream" and status["writes"] == 2 and status["resource"] == "second"
    assert "second" in direct("kinesis").list_streams()["StreamNames"]  # it reached moto
    assert not done.is_set()
    proxy.control("POST", "/__proxy/release")
    worker.join(10)
    assert done.is_set()
    assert [e["rule"] for e in proxy.log() if e["operation"] == "CreateStream"] == [None, "pause"]


def test_a_consumer_name_registers_once_per_stream_as_on_aws(proxy, direct):
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="fan", ShardCount=1)
    arn = kinesis.describe_stream_summary(StreamName="fan")["StreamDescriptionSummary"]["StreamARN"]
    consumer = kinesis.register_stream_consumer(StreamARN=arn, ConsumerName="app")["Consumer"]
    with pytest.raises(botocore.exceptions.ClientError) as refused:
        kinesis.register_stream_consumer(StreamARN=arn, ConsumerName="app")
    assert refused.value.response["Error"]["Code"] == "ResourceInUseException"
    assert len(direct("kinesis").list_stream_consumers(StreamARN=arn)["Consumers"]) == 1
    kinesis.deregister_stream_consumer(ConsumerARN=consumer["ConsumerARN"])
    kinesis.register_stream_consumer(StreamARN=arn, ConsumerName="app")  # free again once deregistered


# --------------------------------------------------------------------------- fidelity: consumer ARNs

def test_consumer_arns_carry_awss_creation_timestamp(proxy, direct):
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="fan", ShardCount=1)
    stream_arn = kinesis.describe_stream_summary(StreamName="fan")["StreamDescriptionSummary"]["StreamARN"]
    registered = kinesis.register_stream_consumer(StreamARN=stream_arn, ConsumerName="reader")["Consumer"]
    moto_arn = direct("kinesis").list_stream_consumers(StreamARN=stream_arn)["Consumers"][0]["ConsumerARN"]
    assert moto_arn == f"{stream_arn}/consumer/reader"  # moto's shape: no timestamp
    created = int(registered["ConsumerCreationTimestamp"].timestamp())
    assert registered["ConsumerARN"] == f"{moto_arn}:{created}"
    described = kinesis.describe_stream_consumer(ConsumerARN=registered["ConsumerARN"])["ConsumerDescription"]
    assert described["ConsumerARN"] == registered["ConsumerARN"]
    listed = kinesis.list_stream_consumers(StreamARN=stream_arn)["Consumers"]
    assert [c["ConsumerARN"] for c in listed] == [registered["ConsumerARN"]]
    kinesis.deregister_stream_consumer(ConsumerARN=registered["ConsumerARN"])
    assert direct("kinesis").list_stream_consumers(StreamARN=stream_arn)["Consumers"] == []


def test_without_the_consumer_arn_rule_moto_arns_fail_awss_model(proxy):
    proxy.configure({"rules": {"consumer_arns": False}})
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="fan", ShardCount=1)
    stream_arn = kinesis.describe_stream_summary(StreamName="fan")["StreamDescriptionSummary"]["StreamARN"]
    arn = kinesis.register_stream_consumer(StreamARN=stream_arn, ConsumerName="reader")["Consumer"]["ConsumerARN"]
    assert arn.endswith("/consumer/reader")
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        kinesis.describe_stream_consumer(ConsumerARN=arn)
    assert "model check: DescribeStreamConsumer: ConsumerARN: " in str(raised.value)


# --------------------------------------------------------------------------- fidelity: stacks

def test_update_termination_protection_is_answered_as_aws_does(proxy, direct):
    cloudformation = proxy.client("cloudformation")
    cloudformation.create_stack(StackName="guarded", TemplateBody=json.dumps(STREAM_TEMPLATE))
    cloudformation.update_termination_protection(StackName="guarded", EnableTerminationProtection=True)
    assert cloudformation.describe_stacks(StackName="guarded")["Stacks"][0]["EnableTerminationProtection"] is True
    with pytest.raises((botocore.exceptions.ClientError, botocore.parsers.ResponseParserError)):
        direct("cloudformation").update_termination_protection(StackName="guarded", EnableTerminationProtection=True)


def test_without_the_rule_moto_lacks_update_termination_protection(proxy):
    proxy.configure({"rules": {"termination_protection": False}})
    cloudformation = proxy.client("cloudformation")
    cloudformation.create_stack(StackName="guarded", TemplateBody=json.dumps(STREAM_TEMPLATE))
    with pytest.raises(botocore.parsers.ResponseParserError) as raised:  # moto: 500, not implemented
        cloudformation.update_termination_protection(StackName="guarded", EnableTerminationProtection=True)
    assert "500 Internal Server Error" in str(raised.value)


PARAMETER_TEMPLATE = json.dumps({"Parameters": {"Env": {"Type": "String"}},
                                 "Resources": {"Stream": {"Type": "AWS::Kinesis::Stream",
                                                          "Properties": {"Name": "tagged-stack-stream",
                                                                         "ShardCount": 1}}},
                                 "Outputs": {"Env": {"Value": {"Ref": "Env"}}}})


def tags_only_update(cloudformation, tags):
    cloudformation.update_stack(StackName="tagged", TemplateBody=PARAMETER_TEMPLATE, Tags=tags,
                                Parameters=[{"ParameterKey": "Env", "ParameterValue": "dev"}])


def stack_tags(cloudformation) -> dict:
    return {t["Key"]: t["Value"] for t in cloudformation.describe_stacks(StackName="tagged")["Stacks"][0]["Tags"]}


def test_a_tags_only_stack_update_is_applied_as_aws_does(proxy):
    cloudformation = proxy.client("cloudformation")
    cloudformation.create_stack(StackName="tagged", TemplateBody=PARAMETER_TEMPLATE, Tags=[{"Key": "a", "Value": "1"}],
                                Parameters=[{"ParameterKey": "Env", "ParameterValue": "dev"}])
    tags_only_update(cloudformation, [{"Key": "a", "Value": "2"}, {"Key": "b", "Value": "3"}])
    stack = cloudformation.describe_stacks(StackName="tagged")["Stacks"][0]
    assert stack_tags(cloudformation) == {"a": "2", "b": "3"}
    assert stack["StackStatus"] == "UPDATE_COMPLETE" and "LastUpdatedTime" in stack
    events = cloudformation.describe_stack_events(StackName="tagged")["StackEvents"]
    assert events[0]["ResourceStatus"] == "UPDATE_COMPLETE"
    with pytest.raises(botocore.exceptions.ClientError) as raised:  # the same tags again: nothing to do
        tags_only_update(cloudformation, [{"Key": "a", "Value": "2"}, {"Key": "b", "Value": "3"}])
    assert "No updates are to be performed" in str(raised.value)
    tags_only_update(cloudformation, [])
    assert stack_tags(cloudformation) == {}


def test_without_the_rule_moto_refuses_a_tags_only_update(proxy):
    proxy.configure({"rules": {"stack_tag_updates": False}})
    cloudformation = proxy.client("cloudformation")
    cloudformation.create_stack(StackName="tagged", TemplateBody=PARAMETER_TEMPLATE, Tags=[{"Key": "a", "Value": "1"}],
                                Parameters=[{"ParameterKey": "Env", "ParameterValue": "dev"}])
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        tags_only_update(cloudformation, [{"Key": "a", "Value": "2"}])
    assert "No updates are to be performed" in str(raised.value)
    assert stack_tags(cloudformation) == {"a": "1"}


def mode_template(mode: str | None) -> str:
    properties = {"Name": "moded", "ShardCount": 1} if mode != "ON_DEMAND" else {"Name": "moded"}
    if mode:
        properties["StreamModeDetails"] = {"StreamMode": mode}
    return json.dumps({"Resources": {"Stream": {"Type": "AWS::Kinesis::Stream", "Properties": properties}}})


def stream_mode(direct) -> str:
    summary = direct("kinesis").describe_stream_summary(StreamName="moded")["StreamDescriptionSummary"]
    return summary["StreamModeDetails"]["StreamMode"]


def test_stack_stream_modes_are_honoured_as_aws_does(proxy, direct):
    cloudformation = proxy.client("cloudformation")
    cloudformation.create_stack(StackName="modes", TemplateBody=mode_template("ON_DEMAND"))
    assert stream_mode(direct) == "ON_DEMAND"
    cloudformation.update_stack(StackName="modes", TemplateBody=mode_template(None))
    assert stream_mode(direct) == "PROVISIONED"
    cloudformation.update_stack(StackName="modes", TemplateBody=mode_template("ON_DEMAND"))
    assert stream_mode(direct) == "ON_DEMAND"


def test_without_the_rule_moto_ignores_a_stacks_stream_mode(proxy, direct):
    proxy.configure({"rules": {"stack_stream_modes": False}})
    proxy.client("cloudformation").create_stack(StackName="modes", TemplateBody=mode_template("ON_DEMAND"))
    assert stream_mode(direct) == "PROVISIONED"


# --------------------------------------------------------------------------- waiting states: stacks

def stack_status(cloudformation, name: str = "slow") -> str:
    return cloudformation.describe_stacks(StackName=name)["Stacks"][0]["StackStatus"]


def wait_for(condition, seconds: float = 10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_stacks_are_in_progress_for_a_while(proxy):
    proxy.configure({"rules": {"stack_busy_seconds": 0.9}})
    cloudformation = proxy.client("cloudformation")
    cloudformation.create_stack(StackName="slow", TemplateBody=json.dumps(STREAM_TEMPLATE))
    assert stack_status(cloudformation) == "CREATE_IN_PROGRESS"
    listed = cloudformation.list_stacks()["StackSummaries"]
    assert [(s["StackName"], s["StackStatus"]) for s in listed] == [("slow", "CREATE_IN_PROGRESS")]
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        cloudformation.update_stack(StackName="slow", TemplateBody=failing_template().replace("fail", "ok"))
    assert "is in CREATE_IN_PROGRESS state and can not be updated" in str(raised.value)
    assert wait_for(lambda: stack_status(cloudformation) == "CREATE_COMPLETE")

    template = json.loads(json.dumps(STREAM_TEMPLATE))
    template["Resources"]["Stream"]["Properties"]["RetentionPeriodHours"] = 48
    cloudformation.update_stack(StackName="slow", TemplateBody=json.dumps(template))
    seen = []
    assert wait_for(lambda: seen.append(stack_status(cloudformation)) or seen[-1] == "UPDATE_COMPLETE")
    assert seen[0] == "UPDATE_IN_PROGRESS" and "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS" in seen

    cloudformation.delete_stack(StackName="slow")
    assert stack_status(cloudformation) == "DELETE_IN_PROGRESS"
    listed = cloudformation.list_stacks()["StackSummaries"]
    assert [(s["StackName"], s["StackStatus"]) for s in listed] == [("slow", "DELETE_IN_PROGRESS")]
    events = cloudformation.describe_stack_events(StackName="slow")["StackEvents"]
    assert events[0]["ResourceStatus"] == "DELETE_IN_PROGRESS"
    cloudformation.delete_stack(StackName="slow")  # again, as AWS allows
    with pytest.raises(botocore.exceptions.ClientError) as raised:
        cloudformation.create_stack(StackName="slow", TemplateBody=json.dumps(STREAM_TEMPLATE))
    assert "AlreadyExists" in str(raised.value)

    def gone():
        try:
            stack_status(cloudformation)
            return False
        except botocore.exceptions.ClientError as error:
            return "does not exist" in str(error)
    assert wait_for(gone)


def test_without_the_window_moto_stacks_complete_at_once(proxy):
    cloudformation = proxy.client("cloudformation")
    cloudformation.create_stack(StackName="slow", TemplateBody=json.dumps(STREAM_TEMPLATE))
    assert stack_status(cloudformation) == "CREATE_COMPLETE"


def test_a_consumer_deregistered_straight_in_moto_can_register_again(proxy, direct):
    kinesis = proxy.client("kinesis")
    kinesis.create_stream(StreamName="fan", ShardCount=1)
    arn = kinesis.describe_stream_summary(StreamName="fan")["StreamDescriptionSummary"]["StreamARN"]
    kinesis.register_stream_consumer(StreamARN=arn, ConsumerName="reader")
    moto_arn = direct("kinesis").list_stream_consumers(StreamARN=arn)["Consumers"][0]["ConsumerARN"]
    direct("kinesis").deregister_stream_consumer(ConsumerARN=moto_arn)
    kinesis.register_stream_consumer(StreamARN=arn, ConsumerName="reader")
    assert len(direct("kinesis").list_stream_consumers(StreamARN=arn)["Consumers"]) == 1
