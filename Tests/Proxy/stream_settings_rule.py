"""Fidelity rule ``stream_settings`` for the fault proxy (test code only).

moto 5.2.1 knows neither a stream's maximum record size nor its warm throughput, and has no tags on
consumers: it ignores CreateStream's ``MaxRecordSizeInKiB`` / ``WarmThroughputMiBps`` and
RegisterStreamConsumer's ``Tags``, leaves both out of DescribeStreamSummary, and has no
UpdateMaxRecordSize, UpdateStreamWarmThroughput, TagResource, UntagResource or ListTagsForResource.
This rule keeps those values per stream ARN and per consumer ARN and answers as the Kinesis API
reference documents:

* CreateStream: ``MaxRecordSizeInKiB`` (default 1024) and, for ON_DEMAND, ``WarmThroughputMiBps``
  are kept; a warm throughput on a PROVISIONED stream, or above 10 GiBps (10240 MiBps, AWS's
  documented limit), is ``InvalidArgumentException``; a size outside 1024..10240 is
  ``ValidationException`` (a constraint of the API model).
* UpdateMaxRecordSize / UpdateStreamWarmThroughput are answered here (the stream must exist in moto:
  ``ResourceNotFoundException``; warm throughput only on ON_DEMAND: ``InvalidArgumentException``), and
  the stream is UPDATING for the ``busy_seconds`` window as after any other update.
* DescribeStreamSummary gains ``MaxRecordSizeInKiB`` and, for an ON_DEMAND stream whose warm
  throughput was set, ``WarmThroughput`` {TargetMiBps, CurrentMiBps} (reached at once).
* Consumer tags: RegisterStreamConsumer's ``Tags`` are kept; TagResource / UntagResource /
  ListTagsForResource on a consumer ARN are answered here (the consumer must exist in moto), with
  Kinesis's tag rules: keys 1..128 and values 0..256 characters, no ``aws:`` prefix, at most 50 a
  consumer (``InvalidArgumentException``). A stream ARN is passed to moto's stream tag calls.
* UpdateStreamMode to PROVISIONED drops the warm throughput; DeleteStream and DeregisterStreamConsumer
  forget what was kept. A stack's ``AWS::Kinesis::Stream`` with a literal ``Name`` sets both values
  from its ``MaxRecordSizeInKiB`` / ``WarmThroughputMiBps`` (CreateStack, UpdateStack).

On by default; ``{"rules": {"stream_settings": false}}`` hands everything to moto.
"""

from __future__ import annotations

import json
import re
import time
import uuid

RULE = "stream_settings"
ACCOUNT_ID = "123456789012"
KINESIS_CONTENT_TYPE = "application/x-amz-json-1.1"
DEFAULT_MAX_RECORD_SIZE_KIB = 1024
MAX_RECORD_SIZE_KIB = (1024, 10240)
MAX_WARM_THROUGHPUT_MIBPS = 10 * 1024  # "Scale to more than 10 GiBps" is refused by default
MAX_CONSUMER_TAGS = 50
LOCAL_OPERATIONS = {"UpdateMaxRecordSize", "UpdateStreamWarmThroughput", "TagResource", "UntagResource",
                    "ListTagsForResource"}
# The stream tag calls a TagResource / UntagResource / ListTagsForResource on a stream ARN becomes.
STREAM_TAG_CALLS = {"TagResource": "AddTagsToStream", "UntagResource": "RemoveTagsFromStream",
                    "ListTagsForResource": "ListTagsForStream"}
CONSUMER_ARN = re.compile(r"^(arn:[^/]+:stream/([^/]+)/consumer/[^/:]+)(?::\d+)?$")


class Refusal(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


class StreamSettings:
    """What the proxy keeps, reset with the proxy's other state."""

    def __init__(self, learned_with: dict):
        self.learned_with = learned_with
        self.streams: dict[str, dict] = {}                 # stream ARN -> {"max_record_size", "warm"}
        self.consumer_tags: dict[str, dict[str, str]] = {}  # consumer ARN (no timestamp) -> tags

    def stream(self, arn: str) -> dict:
        return self.streams.setdefault(arn, {"max_record_size": DEFAULT_MAX_RECORD_SIZE_KIB, "warm": None})


def settings_of(state) -> StreamSettings:
    """The rule's state; reset_resources (reset-state, a moto reset) replaces state.streams: forget with it."""
    settings = getattr(state, "stream_settings", None)
    if settings is None or settings.learned_with is not state.streams:
        settings = state.stream_settings = StreamSettings(state.streams)
    return settings


def stream_arn(region: str, name: str) -> str:
    return f"arn:aws:kinesis:{region}:{ACCOUNT_ID}:stream/{name}"


def consumer_key(arn) -> str | None:
    match = CONSUMER_ARN.match(arn) if isinstance(arn, str) else None
    return match.group(1) if match else None


def kinesis_answer(status: int, payload: dict):
    """(status, headers, body) of a Kinesis JSON answer."""
    body = json.dumps(payload).encode()
    return status, [("Content-Type", KINESIS_CONTENT_TYPE), ("x-amzn-RequestId", str(uuid.uuid4())),
                    ("Content-Length", str(len(body)))], body


def error_answer(refusal: Refusal):
    return kinesis_answer(400, {"__type": refusal.code, "message": refusal.message})


# --------------------------------------------------------------------------- checks

def check_max_record_size(value) -> None:
    low, high = MAX_RECORD_SIZE_KIB
    if isinstance(value, int) and not low <= value <= high:
        bound = f"greater than or equal to {low}" if value < low else f"less than or equal to {high}"
        raise Refusal("ValidationException", f"1 validation error detected: Value '{value}' at "
                                             f"'maxRecordSizeInKiB' failed to satisfy constraint: Member must "
                                             f"have value {bound}")


def check_warm_throughput(value, mode: str, name: str) -> None:
    if mode != "ON_DEMAND":
        raise Refusal("InvalidArgumentException",
                      f"Warm throughput is not supported for stream {name} under account {ACCOUNT_ID}: "
                      "only on-demand streams have warm throughput.")
    if isinstance(value, int) and value > MAX_WARM_THROUGHPUT_MIBPS:
        raise Refusal("InvalidArgumentException",
                      f"Warm throughput {value} MiBps for stream {name} under account {ACCOUNT_ID} exceeds the "
                      f"maximum of {MAX_WARM_THROUGHPUT_MIBPS} MiBps.")


def check_consumer_tags(arn: str, tags: dict, existing: dict) -> None:
    for key, value in tags.items():
        if not 1 <= len(key) <= 128 or len(str(value)) > 256:
            raise Refusal("InvalidArgumentException",
                          f"Tag key must be 1 to 128 characters and value at most 256 characters: {key}")
        if key.lower().startswith("aws:"):
            raise Refusal("InvalidArgumentException",
                          f"Tag key {key} uses the reserved prefix aws:, which only AWS may use.")
    if len(set(existing) | set(tags)) > MAX_CONSUMER_TAGS:
        raise Refusal("InvalidArgumentException",
                      f"Failed to add tags to {arn} because a resource cannot have more than "
                      f"{MAX_CONSUMER_TAGS} tags associated with it.")


# --------------------------------------------------------------------------- before forwarding

def before(state, call, upstream, authorize=None):
    """(status, headers, body) answered here instead of moto, or None to forward. ``upstream(service,
    operation, payload)`` asks moto, returning (status, body). ``authorize()`` sends moto the request as
    received and returns its (status, headers, body): moto checks IAM before it looks the operation up, so
    with IAM authentication on, a caller not allowed the operation gets moto's AccessDenied (HTTP 403)."""
    if call.service != "kinesis" or not state.rules.get(RULE, True):
        return None
    op, body = call.operation, call.json_body
    try:
        if op == "CreateStream":
            check_create(body)
            return None
        if op == "RegisterStreamConsumer" and isinstance(body.get("Tags"), dict):
            check_consumer_tags(str(body.get("ConsumerName")), body["Tags"], {})
            return None
        if op not in LOCAL_OPERATIONS:
            return None
        if authorize is not None:
            status, headers, answer = authorize()
            if status == 403:
                return status, headers, answer
        if op in STREAM_TAG_CALLS and consumer_key(body.get("ResourceARN")) is None:
            return stream_tag_call(op, body, upstream)
        if op in STREAM_TAG_CALLS:
            return consumer_tag_call(state, op, body, upstream)
        return stream_update(state, call, upstream)
    except Refusal as refusal:
        return error_answer(refusal)


def check_create(body: dict) -> None:
    check_max_record_size(body.get("MaxRecordSizeInKiB"))
    if "WarmThroughputMiBps" in body:
        mode = (body.get("StreamModeDetails") or {}).get("StreamMode", "PROVISIONED")
        check_warm_throughput(body["WarmThroughputMiBps"], mode, str(body.get("StreamName")))


def describe(upstream, body: dict) -> dict:
    """moto's summary of the stream the request names, or ResourceNotFoundException."""
    target = {key: body[key] for key in ("StreamARN", "StreamName") if isinstance(body.get(key), str)}
    status, answer = upstream("kinesis", "DescribeStreamSummary", target)
    if status != 200:
        named = target.get("StreamName") or target.get("StreamARN")
        raise Refusal("ResourceNotFoundException", f"Stream {named} under account {ACCOUNT_ID} not found.")
    return json.loads(answer).get("StreamDescriptionSummary") or {}


def stream_update(state, call, upstream):
    op, body = call.operation, call.json_body
    summary = describe(upstream, body)
    name, arn = summary.get("StreamName"), summary.get("StreamARN")
    mode = (summary.get("StreamModeDetails") or {}).get("StreamMode", "PROVISIONED")
    with state.lock:
        tracked = state.streams.get(name) or {}
        if time.monotonic() < tracked.get("busy_until", 0.0):
            raise Refusal("ResourceInUseException", f"Stream {name} under account {ACCOUNT_ID} not ACTIVE, "
                                                    f"instead in state {tracked.get('busy_status')}")
        settings = settings_of(state).stream(arn)
        if op == "UpdateMaxRecordSize":
            check_max_record_size(body.get("MaxRecordSizeInKiB"))
            settings["max_record_size"] = body.get("MaxRecordSizeInKiB")
            answer = {}
        else:
            check_warm_throughput(body.get("WarmThroughputMiBps"), mode, name)
            settings["warm"] = body.get("WarmThroughputMiBps")
            answer = {"StreamARN": arn, "StreamName": name,
                      "WarmThroughput": {"TargetMiBps": settings["warm"], "CurrentMiBps": settings["warm"]}}
        mark_updating(state, name)
    return kinesis_answer(200, answer)


def mark_updating(state, name: str) -> None:
    """As after any other stream update: UPDATING for the busy_seconds window. Call under the lock."""
    seconds = float(state.rules.get("busy_seconds") or 0)
    if seconds > 0:
        stream = state.stream(name)
        stream["busy_until"], stream["busy_status"] = time.monotonic() + seconds, "UPDATING"


def consumer_tag_call(state, op: str, body: dict, upstream):
    arn = consumer_key(body.get("ResourceARN"))
    status, _ = upstream("kinesis", "DescribeStreamConsumer", {"ConsumerARN": arn})
    # Only moto's "not found" says so: a caller without DescribeStreamConsumer (moto's IAM on) may tag.
    if status == 400:
        raise Refusal("ResourceNotFoundException", f"Consumer {arn} under account {ACCOUNT_ID} not found.")
    with state.lock:
        tags = settings_of(state).consumer_tags.setdefault(arn, {})
        if op == "TagResource":
            check_consumer_tags(arn, body.get("Tags") or {}, tags)
            tags.update(body.get("Tags") or {})
        elif op == "UntagResource":
            for key in body.get("TagKeys") or []:
                tags.pop(key, None)
        else:
            return kinesis_answer(200, {"Tags": [{"Key": key, "Value": value} for key, value in sorted(tags.items())]})
    return kinesis_answer(200, {})


def stream_tag_call(op: str, body: dict, upstream):
    """A stream ARN: moto's own stream tag calls, answered in the shape of the by-ARN operation."""
    payload = {"StreamARN": body.get("ResourceARN")}
    if op == "TagResource":
        payload["Tags"] = body.get("Tags") or {}
    elif op == "UntagResource":
        payload["TagKeys"] = body.get("TagKeys") or []
    status, answer = upstream("kinesis", STREAM_TAG_CALLS[op], payload)
    if status != 200:
        return status, [("Content-Type", KINESIS_CONTENT_TYPE), ("Content-Length", str(len(answer)))], answer
    if op == "ListTagsForResource":
        return kinesis_answer(200, {"Tags": json.loads(answer).get("Tags") or []})
    return kinesis_answer(200, {})


# --------------------------------------------------------------------------- after moto answered

def after(state, call, reply) -> None:
    """Learns from a successful answer and adds the kept values to DescribeStreamSummary."""
    if not state.rules.get(RULE, True) or reply.status != 200:
        return
    with state.lock:
        settings = settings_of(state)
        if call.service == "cloudformation":
            learn_stack(settings, call)
        elif call.service == "kinesis":
            learn_kinesis(settings, call, reply)
            if call.operation == "DescribeStreamSummary":
                add_to_summary(settings, reply)


def learn_kinesis(settings: StreamSettings, call, reply) -> None:
    op, body = call.operation, call.json_body
    name = body.get("StreamName")
    arn = body.get("StreamARN") or (stream_arn(call.region, name) if isinstance(name, str) else None)
    if op == "CreateStream" and arn:
        settings.streams.pop(arn, None)
        stream = settings.stream(arn)
        stream["max_record_size"] = body.get("MaxRecordSizeInKiB", DEFAULT_MAX_RECORD_SIZE_KIB)
        stream["warm"] = body.get("WarmThroughputMiBps")
    elif op == "DeleteStream" and arn:
        settings.streams.pop(arn, None)
        settings.consumer_tags = {key: tags for key, tags in settings.consumer_tags.items()
                                  if not key.startswith(arn + "/consumer/")}
    elif op == "UpdateStreamMode" and arn:
        if (body.get("StreamModeDetails") or {}).get("StreamMode") == "PROVISIONED":
            settings.stream(arn)["warm"] = None
    elif op == "RegisterStreamConsumer":
        try:
            consumer = json.loads(reply.body or b"{}").get("Consumer") or {}
        except ValueError:
            return
        key = consumer_key(consumer.get("ConsumerARN"))
        if key:
            settings.consumer_tags[key] = dict(body.get("Tags") or {})
    elif op == "DeregisterStreamConsumer":
        key = consumer_key(body.get("ConsumerARN"))
        if key is None and body.get("ConsumerName") and body.get("StreamARN"):
            key = f"{body['StreamARN']}/consumer/{body['ConsumerName']}"
        settings.consumer_tags.pop(key, None)


def add_to_summary(settings: StreamSettings, reply) -> None:
    try:
        answer = json.loads(reply.body or b"{}")
    except ValueError:
        return
    summary = answer.get("StreamDescriptionSummary") or {}
    if not summary.get("StreamARN"):
        return
    kept = settings.streams.get(summary["StreamARN"]) or {}
    summary["MaxRecordSizeInKiB"] = kept.get("max_record_size") or DEFAULT_MAX_RECORD_SIZE_KIB
    on_demand = (summary.get("StreamModeDetails") or {}).get("StreamMode") == "ON_DEMAND"
    if on_demand and kept.get("warm") is not None:
        summary["WarmThroughput"] = {"TargetMiBps": kept["warm"], "CurrentMiBps": kept["warm"]}
    reply.replace_body(json.dumps(answer).encode())


def learn_stack(settings: StreamSettings, call) -> None:
    """A stack's streams with a literal Name get the template's values, as CloudFormation sets them."""
    if call.operation not in ("CreateStack", "UpdateStack"):
        return
    try:
        template = json.loads((call.form.get("TemplateBody") or ["{}"])[0])
    except ValueError:
        return  # YAML templates: left to moto
    resources = template.get("Resources") if isinstance(template, dict) else None
    for resource in (resources or {}).values():
        if not isinstance(resource, dict) or resource.get("Type") != "AWS::Kinesis::Stream":
            continue
        properties = resource.get("Properties") or {}
        name = properties.get("Name")
        if not isinstance(name, str):
            continue
        stream = settings.stream(stream_arn(call.region, name))
        size = properties.get("MaxRecordSizeInKiB")
        stream["max_record_size"] = size if isinstance(size, int) else DEFAULT_MAX_RECORD_SIZE_KIB
        warm = properties.get("WarmThroughputMiBps")
        on_demand = (properties.get("StreamModeDetails") or {}).get("StreamMode") == "ON_DEMAND"
        stream["warm"] = warm if isinstance(warm, int) and on_demand else None
