"""Fidelity rule ``stack_stream_encryption`` for the fault proxy (test code only).

AWS encrypts an ``AWS::Kinesis::Stream`` that a stack declares with ``StreamEncryption``;
moto creates the stream and ignores that property, so DescribeStreamSummary says
``EncryptionType: NONE`` (test_stack_encryption_rule.py shows it). This rule watches the
templates of CreateStack / UpdateStack passing through, evaluates each stream's
``StreamEncryption`` as CloudFormation would (``Fn::If`` over conditions on the request's
region, ``Ref: AWS::NoValue``), and makes DescribeStreamSummary / DescribeStream answer with
that encryption while moto says NONE. A direct Start/StopStreamEncryption, DeleteStream or
DeleteStack hands the stream back to moto's own answer.

On by default; turn off with ``{"rules": {"stack_stream_encryption": false}}``. Called from
stack_rules.after, which fault_proxy.py calls with every answer from moto.
"""

from __future__ import annotations

import json
import urllib.parse

KINESIS_STREAM = "AWS::Kinesis::Stream"
PSEUDO_PARAMETERS = {"AWS::Partition": "aws", "AWS::URLSuffix": "amazonaws.com"}


class NotEvaluable(Exception):
    """A value only CloudFormation knows (a parameter, a resource attribute, another function)."""


class Evaluator:
    """Conditions and Fn::If of one template in one region."""

    def __init__(self, template: dict, region: str):
        self.conditions = template.get("Conditions") or {}
        self.region = region

    def value(self, node):
        """The evaluated value; ``None`` stands for absent (AWS::NoValue)."""
        if isinstance(node, dict) and len(node) == 1:
            (name, argument), = node.items()
            if name == "Ref":
                return self.ref(argument)
            if name == "Fn::If":
                condition, when_true, when_false = argument
                return self.value(when_true if self.condition(condition) else when_false)
            if name.startswith("Fn::") or name == "Condition":
                raise NotEvaluable(name)
        if isinstance(node, dict):
            evaluated = {key: self.value(item) for key, item in node.items()}
            return {key: item for key, item in evaluated.items() if item is not None}
        if isinstance(node, list):
            return [item for item in (self.value(entry) for entry in node) if item is not None]
        return node

    def ref(self, name):
        if name == "AWS::NoValue":
            return None
        if name == "AWS::Region":
            return self.region
        if name in PSEUDO_PARAMETERS:
            china = name == "AWS::URLSuffix" and self.region.startswith("cn-")
            return PSEUDO_PARAMETERS[name] + (".cn" if china else "")
        raise NotEvaluable(f"Ref {name}")

    def condition(self, name: str, seen: tuple = ()) -> bool:
        if name in seen or name not in self.conditions:
            raise NotEvaluable(f"Condition {name}")
        return self.truth(self.conditions[name], seen + (name,))

    def truth(self, node, seen: tuple) -> bool:
        (name, argument), = node.items()
        if name == "Condition":
            return self.condition(argument, seen)
        if name == "Fn::Equals":
            left, right = (self.value(item) for item in argument)
            return str(left) == str(right)
        if name == "Fn::Not":
            return not self.truth(argument[0], seen)
        if name in ("Fn::And", "Fn::Or"):
            results = [self.truth(item, seen) for item in argument]
            return all(results) if name == "Fn::And" else any(results)
        raise NotEvaluable(name)


def declared_encryption(template_body: str, region: str) -> dict[str, str | None]:
    """Stream name -> KMS key id (None: not encrypted) for each evaluable stream of a JSON template."""
    try:
        template = json.loads(template_body)
    except ValueError:
        return {}
    evaluator, result = Evaluator(template, region), {}
    for resource in (template.get("Resources") or {}).values():
        if not isinstance(resource, dict) or resource.get("Type") != KINESIS_STREAM:
            continue
        properties = resource.get("Properties") or {}
        try:
            name = evaluator.value(properties.get("Name"))
            encryption = evaluator.value(properties.get("StreamEncryption")) or {}
        except (NotEvaluable, ValueError, TypeError, KeyError):
            continue
        if isinstance(name, str):
            kms = encryption.get("EncryptionType") == "KMS"
            result[name] = encryption.get("KeyId") if kms else None
    return result


class StackStreamEncryption:
    """What each stack asked for, per stream, and the answers rewritten from it."""

    def __init__(self, learned_with: dict):
        self.learned_with = learned_with              # the proxy state's streams when this was made
        self.keys: dict[str, str] = {}             # stream name -> KMS key id a stack declared
        self.stacks: dict[str, set[str]] = {}      # stack name -> its stream names

    def learn(self, call, reply) -> None:
        op, form = call.operation, call.form
        if call.service == "cloudformation" and op in ("CreateStack", "UpdateStack", "DeleteStack"):
            stack = (form.get("StackName") or [""])[0]
            for name in self.stacks.pop(stack, set()):
                self.keys.pop(name, None)
            if op == "DeleteStack":
                return
            declared = declared_encryption((form.get("TemplateBody") or [""])[0], call.region)
            self.stacks[stack] = set(declared)
            self.keys.update({name: key for name, key in declared.items() if key})
        elif call.service == "kinesis" and op in ("StartStreamEncryption", "StopStreamEncryption", "DeleteStream"):
            self.keys.pop(call.json_body.get("StreamName") or stream_name_of_arn(call.json_body), None)

    def rewrite(self, call, reply) -> None:
        shape_key = {"DescribeStreamSummary": "StreamDescriptionSummary", "DescribeStream": "StreamDescription"}
        if call.service != "kinesis" or call.operation not in shape_key:
            return
        try:
            answer = json.loads(reply.body or b"{}")
        except ValueError:
            return
        shape = answer.get(shape_key[call.operation]) or {}
        key = self.keys.get(shape.get("StreamName"))
        if key and shape.get("EncryptionType", "NONE") == "NONE":
            shape["EncryptionType"], shape["KeyId"] = "KMS", key
            reply.replace_body(json.dumps(answer).encode())


def stream_name_of_arn(body: dict) -> str | None:
    arn = body.get("StreamARN") or ""
    return urllib.parse.unquote(arn.rsplit("/", 1)[-1]) if "/" in arn else None


def after(state, call, reply) -> None:
    """The hook stack_rules.after calls with every answer from moto."""
    if not state.rules.get("stack_stream_encryption", True) or reply.status != 200:
        return
    with state.lock:
        rule = getattr(state, "stack_stream_encryption", None)
        # reset_resources (reset-state, a moto reset) replaces state.streams: forget with it.
        if rule is None or rule.learned_with is not state.streams:
            rule = state.stack_stream_encryption = StackStreamEncryption(state.streams)
        rule.learn(call, reply)
        rule.rewrite(call, reply)
