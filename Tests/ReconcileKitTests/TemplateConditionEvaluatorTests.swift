import AWSClient
import Formats
import Foundation
import TestSupport
import Testing

@testable import ReconcileKit

@Suite("template conditions: evaluated for the deployed stack, refused when unknowable")
struct TemplateConditionEvaluatorTests {
    static let context = TemplateEvaluationContext(
        stackId: "arn:aws:cloudformation:eu-central-1:123456789012:stack/s/1", region: "eu-central-1",
        parameters: ["Stage": "prod", "Zones": "a,b"])

    static let template: JSONValue = [
        "Parameters": [
            "Stage": ["Type": "String"],
            "Zones": ["Type": "CommaDelimitedList"],
            "Fallback": ["Type": "String", "Default": "fallback"],
            "Bootstrap": ["Type": "AWS::SSM::Parameter::Value<String>", "Default": "/cdk-bootstrap/version"]
        ],
        "Conditions": [
            "InChina": [
                "Fn::Or": [
                    ["Fn::Equals": [["Ref": "AWS::Region"], "cn-north-1"]],
                    ["Fn::Equals": [["Ref": "AWS::Region"], "cn-northwest-1"]]
                ]
            ],
            "IsProd": ["Fn::Equals": [["Ref": "Stage"], "prod"]],
            "ProdOutsideChina": ["Fn::And": [["Condition": "IsProd"], ["Fn::Not": [["Condition": "InChina"]]]]],
            "Loop": ["Fn::Not": [["Condition": "Around"]]],
            "Around": ["Condition": "Loop"],
            "FromSSM": ["Fn::Equals": [["Ref": "Bootstrap"], "6"]],
            "Broken": ["Fn::Not": [["Condition": "IsProd"], ["Condition": "InChina"]]]
        ]
    ]

    let evaluator = TemplateConditionEvaluator(template: Self.template, context: Self.context)

    @Test("the CDK's encryption Fn::If gives KMS outside China and is absent inside it")
    func cdkEncryption() throws {
        let property: JSONValue = [
            "Fn::If": ["InChina", ["Ref": "AWS::NoValue"], ["EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"]]
        ]
        #expect(try evaluator.evaluate(property) == ["EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"])
        let china = TemplateConditionEvaluator(
            template: Self.template,
            context: TemplateEvaluationContext(region: "cn-north-1", accountId: "1", parameters: [:]))
        #expect(try china.evaluate(property) == nil)
        #expect(try china.evaluate(["Encryption": property, "Name": "s"]) == ["Name": "s"])
    }

    @Test("And, Or, Not and Condition references combine with parameter values")
    func combinations() throws {
        #expect(try evaluator.condition("IsProd"))
        #expect(try !evaluator.condition("InChina"))
        #expect(try evaluator.condition("ProdOutsideChina"))
        #expect(try evaluator.evaluate(["Fn::Not": [["Condition": "IsProd"]]]) == .bool(false))
    }

    @Test("pseudo parameters follow the region and the stack's account")
    func pseudoParameters() throws {
        let value: JSONValue = [["Ref": "AWS::Partition"], ["Ref": "AWS::AccountId"], ["Ref": "AWS::URLSuffix"]]
        #expect(try evaluator.evaluate(value) == ["aws", "123456789012", "amazonaws.com"])
        let china = TemplateEvaluationContext(region: "cn-northwest-1", accountId: "9", parameters: [:])
        #expect(
            try TemplateConditionEvaluator(template: Self.template, context: china).evaluate(value)
                == ["aws-cn", "9", "amazonaws.com.cn"])
    }

    @Test("parameters: the stack's value, else the default; lists split on commas; NoValue leaves lists")
    func parameters() throws {
        #expect(try evaluator.evaluate(["Ref": "Fallback"]) == "fallback")
        #expect(try evaluator.evaluate(["Ref": "Zones"]) == ["a", "b"])
        #expect(try evaluator.evaluate(["x", ["Ref": "AWS::NoValue"], 3]) == ["x", 3])
        #expect(try evaluator.evaluate(["Fn::Equals": [["Ref": "Stage"], "prod"]]) == .bool(true))
    }

    static let refusalCases: [(JSONValue, String)] = [
        (["Fn::GetAtt": ["Stream", "Arn"]], "Fn::GetAtt is not evaluated"),
        (["Fn::Sub": "${AWS::Region}"], "Fn::Sub is not evaluated"),
        (["Ref": "SomeResource"], "Ref SomeResource cannot be evaluated: it names a resource"),
        (["Ref": "AWS::StackId"], "Ref AWS::StackId cannot be evaluated"),
        (["Fn::If": ["FromSSM", 1, 2]], "Ref Bootstrap cannot be evaluated: CloudFormation resolves it from SSM"),
        (["Fn::If": ["Missing", 1, 2]], "condition 'Missing' is not in the template's Conditions"),
        (["Fn::If": ["Loop", 1, 2]], "cycle: Loop → Around → Loop"),
        (["Fn::If": ["Broken", 1, 2]], "Fn::Not must be a list of one condition"),
        (["Fn::If": ["IsProd", 1]], "Fn::If must be a list of a condition name and two values"),
        (["Fn::Or": [["Condition": "IsProd"]]], "Fn::Or must be a list of 2 to 10 conditions")
    ]

    @Test("refuses what only CloudFormation knows, with the reason", arguments: refusalCases)
    func refusals(value: JSONValue, reason: String) {
        let error = #expect(throws: TemplateEvaluationError.self) { _ = try evaluator.evaluate(value) }
        #expect(error.map { "\($0)" }?.contains(reason) == true, "\(String(describing: error))")
    }

    @Test("the seed CDK template's conditions evaluate in every commercial region")
    func cdkTemplate() throws {
        let template = try CDKFixture.template()
        for (region, unsupported) in [("eu-central-1", false), ("us-west-2", false), ("cn-north-1", true)] {
            let context = TemplateEvaluationContext(region: region, accountId: "123456789012", parameters: [:])
            let evaluator = TemplateConditionEvaluator(template: template, context: context)
            #expect(try evaluator.condition("AwsCdkKinesisEncryptedStreamsUnsupportedRegions") == unsupported)
            #expect(try evaluator.condition("CDKMetadataAvailable"))
        }
    }
}

/// The article's CDK template (Tests/Fixtures/cdk).
enum CDKFixture {
    static let path = PackagePaths.root.appendingPathComponent("Tests/Fixtures/cdk/xyz-infra-kinesis.template.json")

    static func template() throws -> JSONValue {
        let text = try String(contentsOf: path, encoding: .utf8)
        return try #require(TemplateBody.parse(text))
    }
}
