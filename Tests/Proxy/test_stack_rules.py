"""The stack fidelity rules (stack_rules.py): moto ignores a stack stream's StreamEncryption and reports
SSM-typed parameters resolved; through the proxy both read as AWS. Run: python3 -m pytest Tests/Proxy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import stack_encryption_rule

CDK_TEMPLATE = Path(__file__).parents[1] / "Fixtures" / "cdk" / "xyz-infra-kinesis.template.json"
STREAM = "xyz-kinesis-data-stream"


def deploy_cdk_stack(cloudformation, ssm) -> None:
    ssm.put_parameter(Name="/cdk-bootstrap/hnb659fds/version", Value="6", Type="String")
    cloudformation.create_stack(StackName="xyz-infra-kinesis", TemplateBody=CDK_TEMPLATE.read_text())


def encryption(kinesis) -> tuple[str, str | None]:
    summary = kinesis.describe_stream_summary(StreamName=STREAM)["StreamDescriptionSummary"]
    return summary["EncryptionType"], summary.get("KeyId")


def test_moto_alone_leaves_a_stack_stream_unencrypted(proxy, direct):
    proxy.configure({"rules": {"stack_stream_encryption": False}})
    deploy_cdk_stack(proxy.client("cloudformation"), proxy.client("ssm"))
    assert encryption(direct("kinesis"))[0] == "NONE"
    assert encryption(proxy.client("kinesis"))[0] == "NONE"


def test_the_cdk_stream_reads_as_kms_encrypted_outside_china(proxy):
    deploy_cdk_stack(proxy.client("cloudformation"), proxy.client("ssm"))
    kinesis = proxy.client("kinesis")
    assert encryption(kinesis) == ("KMS", "alias/aws/kinesis")
    description = kinesis.describe_stream(StreamName=STREAM)["StreamDescription"]
    assert (description["EncryptionType"], description["KeyId"]) == ("KMS", "alias/aws/kinesis")


def test_an_update_without_encryption_and_a_direct_stop_hand_back_to_moto(proxy):
    deploy_cdk_stack(proxy.client("cloudformation"), proxy.client("ssm"))
    template = json.loads(CDK_TEMPLATE.read_text())
    del template["Resources"]["xyzkinesisdatastreamAE2EE044"]["Properties"]["StreamEncryption"]
    proxy.client("cloudformation").update_stack(StackName="xyz-infra-kinesis", TemplateBody=json.dumps(template))
    assert encryption(proxy.client("kinesis"))[0] == "NONE"


@pytest.mark.parametrize("region, expected", [("eu-central-1", "KMS"), ("cn-north-1", "NONE")])
def test_the_region_condition_is_evaluated(region, expected):
    declared = stack_encryption_rule.declared_encryption(CDK_TEMPLATE.read_text(), region)
    assert ("KMS" if declared[STREAM] else "NONE") == expected


def test_a_template_it_cannot_evaluate_is_left_to_moto():
    template = {"Resources": {"S": {"Type": "AWS::Kinesis::Stream", "Properties": {
        "Name": "s", "StreamEncryption": {"Fn::If": ["Unknown", {"EncryptionType": "KMS", "KeyId": "k"}, {}]}}}}}
    assert stack_encryption_rule.declared_encryption(json.dumps(template), "eu-central-1") == {}


def test_moto_alone_reports_an_ssm_parameter_resolved(proxy, direct):
    proxy.configure({"rules": {"stack_parameters": False}})
    deploy_cdk_stack(proxy.client("cloudformation"), proxy.client("ssm"))
    parameters = direct("cloudformation").describe_stacks(StackName="xyz-infra-kinesis")["Stacks"][0]["Parameters"]
    assert parameters == [{"ParameterKey": "BootstrapVersion", "ParameterValue": "6"}]


def test_an_ssm_parameter_reads_as_its_name_and_resolved_value(proxy):
    deploy_cdk_stack(proxy.client("cloudformation"), proxy.client("ssm"))
    cloudformation = proxy.client("cloudformation")
    parameters = cloudformation.describe_stacks(StackName="xyz-infra-kinesis")["Stacks"][0]["Parameters"]
    assert parameters == [{"ParameterKey": "BootstrapVersion", "ParameterValue": "/cdk-bootstrap/hnb659fds/version",
                           "ResolvedValue": "6"}]
    # Sending the parameters back as AWS reported them is a valid update (moto fails on "6").
    cloudformation.update_stack(StackName="xyz-infra-kinesis", TemplateBody=CDK_TEMPLATE.read_text(),
                                Parameters=[{"ParameterKey": p["ParameterKey"], "ParameterValue": p["ParameterValue"]}
                                            for p in parameters],
                                Tags=[{"Key": "reconcile:project", "Value": "default"}])
    stack = cloudformation.describe_stacks(StackName="xyz-infra-kinesis")["Stacks"][0]
    assert stack["StackStatus"] == "UPDATE_COMPLETE"
    assert stack["Tags"] == [{"Key": "reconcile:project", "Value": "default"}]


def test_a_parameter_the_template_no_longer_declares_is_gone(proxy, direct):
    deploy_cdk_stack(proxy.client("cloudformation"), proxy.client("ssm"))
    template = json.loads(CDK_TEMPLATE.read_text())
    del template["Parameters"], template["Rules"]
    cloudformation = proxy.client("cloudformation")
    cloudformation.update_stack(StackName="xyz-infra-kinesis", TemplateBody=json.dumps(template))
    moto_says = direct("cloudformation").describe_stacks(StackName="xyz-infra-kinesis")["Stacks"][0]
    assert moto_says["Parameters"] == [{"ParameterKey": "BootstrapVersion", "ParameterValue": "6"}]
    assert "Parameters" not in cloudformation.describe_stacks(StackName="xyz-infra-kinesis")["Stacks"][0]
