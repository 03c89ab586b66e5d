"""Fidelity rule ``resource_policies`` for the fault proxy (test code only).

moto 5.2.1 implements PutResourcePolicy, GetResourcePolicy and DeleteResourcePolicy for streams only,
and loosely: PutResourcePolicy stores any string (not JSON, no Statement, any size) under any ARN, even
one of a stream that does not exist; Get and Delete take the last ``/`` part of the ARN as a stream name,
so a consumer's ARN is always "not found"; and DeleteStream leaves the stream's policy behind, so a
stream created again under the same name has it at once. AWS attaches policies to streams and
registered consumers, refuses a document that is not a policy with ``InvalidArgumentException``, answers
``ResourceNotFoundException`` for a resource that does not exist, and deletes a stream's policy with the
stream. With this rule the proxy checks the document and the resource, keeps consumers' policies itself
(answering Get and Delete for them), and clears a deleted stream's policy in moto. Stream policies stay in
moto, so a test reading moto directly sees them.

On by default; turn off with ``{"rules": {"resource_policies": false}}``.
"""

from __future__ import annotations

import json
import re

# The size reconcile's validation uses (see ResourcePolicy.maximumBytes): 20 KB as AWS's resource-based
# policies document it; the Kinesis API reference itself names no size.
MAXIMUM_POLICY_BYTES = 20_480
CONSUMER_ARN = re.compile(r"^(arn:[^/]+:stream/([^/]+)/consumer/[^/:]+)(?::\d+)?$")
POLICY_OPERATIONS = {"PutResourcePolicy", "GetResourcePolicy", "DeleteResourcePolicy"}


def policy_problem(text) -> str | None:
    """Why AWS would refuse this Policy string, or None."""
    if not isinstance(text, str):
        return "Policy must be a string"
    if len(text.encode()) > MAXIMUM_POLICY_BYTES:
        return f"Policy size {len(text.encode())} exceeds the maximum of {MAXIMUM_POLICY_BYTES} bytes"
    try:
        document = json.loads(text)
    except ValueError:
        return "Policy is not valid JSON"
    if not isinstance(document, dict):
        return "Policy must be a JSON object"
    statements = document.get("Statement")
    statements = [statements] if isinstance(statements, dict) else statements
    if not isinstance(statements, list) or not statements:
        return "Policy has no Statement"
    for statement in statements:
        if not isinstance(statement, dict):
            return "Policy statement must be an object"
        for required in (("Effect",), ("Principal", "NotPrincipal"), ("Action", "NotAction")):
            if not any(key in statement for key in required):
                return f"Policy statement is missing {required[0]}"
    return None


class ResourcePolicies:
    """Consumers' policies by consumer ARN without its timestamp suffix, as the proxy keeps them."""

    def __init__(self):
        self.consumer_policies: dict[str, str] = {}

    def reset(self):
        self.consumer_policies.clear()

    def before(self, handler, call, kinesis_error, kinesis_result):
        """The proxy's own answer to a policy call, or None to forward it to moto."""
        if call.operation not in POLICY_OPERATIONS:
            return None
        body = call.json_body
        arn = body.get("ResourceARN")
        if not isinstance(arn, str):
            return None  # the model check refuses it
        if call.operation == "PutResourcePolicy":
            problem = policy_problem(body.get("Policy"))
            if problem:
                return kinesis_error(400, "InvalidArgumentException", problem)
        consumer = CONSUMER_ARN.match(arn)
        if not self.exists(handler, arn, consumer):
            return kinesis_error(400, "ResourceNotFoundException", f"Resource {arn} not found.")
        if consumer is None:
            return None
        key = consumer.group(1)
        if call.operation == "PutResourcePolicy":
            self.consumer_policies[key] = body["Policy"]
            return kinesis_result({})
        if call.operation == "GetResourcePolicy":
            return kinesis_result({"Policy": self.consumer_policies.get(key, "{}")})
        if self.consumer_policies.pop(key, None) is None:
            return kinesis_error(400, "ResourceNotFoundException", f"No resource policy found for resource ARN {arn}.")
        return kinesis_result({})

    @staticmethod
    def exists(handler, arn: str, consumer) -> bool:
        if consumer:
            status, _ = handler.upstream("kinesis", "DescribeStreamConsumer", {"ConsumerARN": consumer.group(1)})
        else:
            status, _ = handler.upstream("kinesis", "DescribeStreamSummary", {"StreamARN": arn})
        return status == 200

    def after(self, handler, call, reply, stream_arn: str | None):
        """A deleted stream's policy goes with it (in moto, and the proxy's for its consumers)."""
        if call.operation == "DeleteStream" and reply.status == 200 and stream_arn:
            # moto's DeleteResourcePolicy needs the stream to exist; an empty policy reads as none.
            handler.upstream("kinesis", "PutResourcePolicy", {"ResourceARN": stream_arn, "Policy": "{}"})
            for key in [key for key in self.consumer_policies if key.startswith(stream_arn + "/consumer/")]:
                del self.consumer_policies[key]
        if call.operation == "DeregisterStreamConsumer" and reply.status == 200:
            match = CONSUMER_ARN.match(str(call.json_body.get("ConsumerARN", "")))
            if match:
                self.consumer_policies.pop(match.group(1), None)
