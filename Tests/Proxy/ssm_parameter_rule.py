"""Fidelity rule ``ssm_parameter_values`` for the fault proxy (test code only).

A stack parameter of type ``AWS::SSM::Parameter::Value<…>`` (CDK's ``BootstrapVersion``)
holds the *name* of an SSM parameter. AWS's DescribeStacks reports that name as
``ParameterValue`` and the value read from SSM as ``ResolvedValue``; moto reports the resolved
value as ``ParameterValue``, so a client that sends the parameters back (an UpdateStack that
only adds a tag) makes moto look up an SSM parameter named "6" and fail. This rule learns
each stack's SSM-typed parameters from the CreateStack / UpdateStack requests passing through
and rewrites DescribeStacks answers as AWS gives them.

On by default; turn off with ``{"rules": {"ssm_parameter_values": false}}``.
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


def ssm_parameter_names(template_body: str, passed: dict[str, str]) -> dict[str, str] | None:
    """Parameter key -> SSM parameter name, for the SSM-typed parameters of a JSON template."""
    try:
        template = json.loads(template_body)
    except ValueError:
        return None
    names = {}
    for key, declaration in (template.get("Parameters") or {}).items():
        if isinstance(declaration, dict) and str(declaration.get("Type", "")).startswith(SSM_TYPE_PREFIX):
            name = passed.get(key, declaration.get("Default"))
            if isinstance(name, str):
                names[key] = name
    return names


class SSMParameterValues:
    def __init__(self, learned_with: dict):
        self.learned_with = learned_with
        self.stacks: dict[str, dict[str, str]] = {}   # stack name -> parameter key -> SSM name

    def learn(self, call) -> None:
        op, form = call.operation, call.form
        stack = (form.get("StackName") or [""])[0]
        if op == "DeleteStack":
            self.stacks.pop(stack, None)
        elif op in ("CreateStack", "UpdateStack"):
            names = ssm_parameter_names((form.get("TemplateBody") or [""])[0], passed_parameters(form))
            if names is not None:
                self.stacks[stack] = names

    def rewrite(self, reply) -> None:
        try:
            root = ET.fromstring(reply.body)
        except ET.ParseError:
            return
        changed = False
        for stack in root.iter(q("Stacks")):
            for member in stack.findall(q("member")):
                names = self.stacks.get(member.findtext(q("StackName")) or "", {})
                for parameter in member.iterfind(f"{q('Parameters')}/{q('member')}"):
                    changed |= self.rewrite_parameter(parameter, names)
        if changed:
            reply.replace_body(ET.tostring(root, encoding="utf-8", xml_declaration=False))

    @staticmethod
    def rewrite_parameter(parameter, names: dict[str, str]) -> bool:
        name = names.get(parameter.findtext(q("ParameterKey")) or "")
        value = parameter.find(q("ParameterValue"))
        if name is None or value is None or value.text == name or parameter.find(q("ResolvedValue")) is not None:
            return False
        resolved = ET.SubElement(parameter, q("ResolvedValue"))
        resolved.text, value.text = value.text, name
        return True


def after(state, call, reply) -> None:
    """The hook stack_rules.after calls with every answer from moto."""
    if call.service != "cloudformation" or not state.rules.get("ssm_parameter_values", True) or reply.status != 200:
        return
    with state.lock:
        rule = getattr(state, "ssm_parameter_values", None)
        # reset_resources (reset-state, a moto reset) replaces state.streams: forget with it.
        if rule is None or rule.learned_with is not state.streams:
            rule = state.ssm_parameter_values = SSMParameterValues(state.streams)
        rule.learn(call)
        if call.operation == "DescribeStacks":
            rule.rewrite(reply)
