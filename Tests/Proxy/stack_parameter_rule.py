"""Fidelity rule ``stack_parameters`` for the fault proxy (test code only).

DescribeStacks reports a stack's parameters as its current template declares them. moto gets
two things wrong. It keeps reporting a parameter that an update's template no longer declares
(CDK's ``BootstrapVersion`` after ``export --drop-cdk-metadata``). And a stack parameter of
type ``AWS::SSM::Parameter::Value<…>`` (CDK's ``BootstrapVersion``)
holds the *name* of an SSM parameter. AWS's DescribeStacks reports that name as
``ParameterValue`` and the value read from SSM as ``ResolvedValue``; moto reports the resolved
value as ``ParameterValue``, so a client that sends the parameters back (an UpdateStack that
only adds a tag) makes moto look up an SSM parameter named "6" and fail. This rule learns
each stack's declared and SSM-typed parameters from the CreateStack / UpdateStack requests
passing through and rewrites DescribeStacks answers as AWS gives them.

On by default; turn off with ``{"rules": {"stack_parameters": false}}``.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

CFN_NS = "http://cloudformation.amazonaws.com/doc/2010-05-15/"
ET.register_namespace("", CFN_NS)
SSM_TYPE_PREFIX = "AWS::SSM::Parameter::Value"
PARAMETER_FIELD = re.compile(r"^Parameters\.member\.(\d+)\.(ParameterKey|ParameterValue)$")


def q(tag: str) -> str:
    return f"{{{CFN_NS}}}{tag}"


def passed_parameters(form: dict) -> dict[str, str]:
    """ParameterKey -> ParameterValue of a query request's Parameters.member.N list."""
    members: dict[str, dict[str, str]] = {}
    for key, values in form.items():
        match = PARAMETER_FIELD.match(key)
        if match:
            members.setdefault(match.group(1), {})[match.group(2)] = values[0]
    return {member["ParameterKey"]: member.get("ParameterValue", "") for member in members.values()
            if "ParameterKey" in member and "ParameterValue" in member}


def declared_parameters(template_body: str, passed: dict[str, str]) -> dict[str, str | None] | None:
    """Parameter key -> SSM parameter name (None: not SSM-typed) for each parameter of a JSON template."""
    try:
        template = json.loads(template_body)
    except ValueError:
        return None
    declared: dict[str, str | None] = {}
    for key, declaration in (template.get("Parameters") or {}).items():
        declared[key] = None
        if isinstance(declaration, dict) and str(declaration.get("Type", "")).startswith(SSM_TYPE_PREFIX):
            name = passed.get(key, declaration.get("Default"))
            declared[key] = name if isinstance(name, str) else None
    return declared


class StackParameters:
    def __init__(self, learned_with: dict):
        self.learned_with = learned_with
        self.stacks: dict[str, dict[str, str | None]] = {}   # stack name -> parameter key -> SSM name

    def learn(self, call) -> None:
        op, form = call.operation, call.form
        stack = (form.get("StackName") or [""])[0]
        if op == "DeleteStack":
            self.stacks.pop(stack, None)
        elif op in ("CreateStack", "UpdateStack"):
            declared = declared_parameters((form.get("TemplateBody") or [""])[0], passed_parameters(form))
            if declared is not None:
                self.stacks[stack] = declared

    def rewrite(self, reply) -> None:
        try:
            root = ET.fromstring(reply.body)
        except ET.ParseError:
            return
        changed = False
        for stack in root.iter(q("Stacks")):
            for member in stack.findall(q("member")):
                declared = self.stacks.get(member.findtext(q("StackName")) or "")
                parameters = member.find(q("Parameters"))
                if declared is not None and parameters is not None:
                    changed |= self.rewrite_parameters(parameters, declared)
                    if len(parameters) == 0:
                        member.remove(parameters)  # AWS leaves out an empty list
        if changed:
            reply.replace_body(ET.tostring(root, encoding="utf-8", xml_declaration=False))

    @staticmethod
    def rewrite_parameters(parameters, declared: dict[str, str | None]) -> bool:
        changed = False
        for parameter in list(parameters):
            key = parameter.findtext(q("ParameterKey")) or ""
            if key not in declared:
                parameters.remove(parameter)
                changed = True
                continue
            name, value = declared[key], parameter.find(q("ParameterValue"))
            if name is None or value is None or value.text == name or parameter.find(q("ResolvedValue")) is not None:
                continue
            resolved = ET.SubElement(parameter, q("ResolvedValue"))
            resolved.text, value.text = value.text, name
            changed = True
        return changed


def after(state, call, reply) -> None:
    """The hook stack_rules.after calls with every answer from moto."""
    if call.service != "cloudformation" or not state.rules.get("stack_parameters", True) or reply.status != 200:
        return
    with state.lock:
        rule = getattr(state, "stack_parameters", None)
        # reset_resources (reset-state, a moto reset) replaces state.streams: forget with it.
        if rule is None or rule.learned_with is not state.streams:
            rule = state.stack_parameters = StackParameters(state.streams)
        rule.learn(call)
        if call.operation == "DescribeStacks":
            rule.rewrite(reply)
