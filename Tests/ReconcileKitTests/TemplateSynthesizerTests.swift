import AWSClient
import Testing

@testable import ReconcileKit

@Suite("Template synthesis")
struct TemplateSynthesizerTests {
    static let desired: DesiredState = {
        let stack = StackSpec(
            name: "infra", description: "streams",
            template: [
                "Resources": ["Topic": ["Type": "AWS::SNS::Topic"]],
                "Parameters": ["Env": ["Type": "String"]]
            ])
        let provisioned = StreamSpec(
            name: "orders", stack: "infra", shardCount: 2, retentionPeriodHours: 48,
            encryption: .kms(keyId: "alias/aws/kinesis"), shardLevelMetrics: ["OutgoingBytes", "IncomingBytes"],
            tags: ["z": "1", "a": "2"], deletionPolicy: .retain)
        let onDemand = StreamSpec(name: "events", stack: "infra", mode: .onDemand)
        let direct = StreamSpec(name: "direct")
        return DesiredState(
            stacks: [stack], streams: [provisioned, onDemand, direct],
            consumers: [ConsumerSpec(name: "reader", stream: "orders"), ConsumerSpec(name: "other", stream: "direct")])
    }()

    @Test("a provisioned stream becomes AWS::Kinesis::Stream with every declared property")
    func provisionedStream() throws {
        let template = TemplateSynthesizer.template(for: Self.desired.stacks[0], in: Self.desired)
        let orders = try #require(template["Resources"]?["Orders"])
        #expect(orders["Type"] == "AWS::Kinesis::Stream")
        #expect(orders["DeletionPolicy"] == "Retain")
        #expect(orders["UpdateReplacePolicy"] == "Retain")
        let properties = try #require(orders["Properties"])
        #expect(properties["Name"] == "orders")
        #expect(properties["ShardCount"] == 2)
        #expect(properties["RetentionPeriodHours"] == 48)
        #expect(properties["StreamModeDetails"] == ["StreamMode": "PROVISIONED"])
        #expect(properties["StreamEncryption"] == ["EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"])
        #expect(properties["DesiredShardLevelMetrics"] == ["IncomingBytes", "OutgoingBytes"])
        #expect(properties["Tags"] == [["Key": "a", "Value": "2"], ["Key": "z", "Value": "1"]])
    }

    @Test("an on-demand stream has no ShardCount, encryption, metrics or tags")
    func onDemandStream() throws {
        let template = TemplateSynthesizer.template(for: Self.desired.stacks[0], in: Self.desired)
        let properties = try #require(template["Resources"]?["Events"]?["Properties"])
        #expect(properties["ShardCount"] == nil)
        #expect(properties["StreamEncryption"] == nil)
        #expect(properties["DesiredShardLevelMetrics"] == nil)
        #expect(properties["Tags"] == nil)
        #expect(properties["StreamModeDetails"] == ["StreamMode": "ON_DEMAND"])
    }

    @Test("consumers of member streams reference the stream's Arn; others stay out")
    func consumers() throws {
        let template = TemplateSynthesizer.template(for: Self.desired.stacks[0], in: Self.desired)
        let resources = try #require(template["Resources"]?.objectValue)
        #expect(resources["Reader"]?["Properties"]?["StreamARN"] == ["Fn::GetAtt": ["Orders", "Arn"]])
        #expect(resources["Other"] == nil)
        #expect(resources["Direct"] == nil)
        #expect(resources["Topic"] != nil)
        #expect(template["Parameters"]?["Env"] != nil)
        #expect(template["AWSTemplateFormatVersion"] == "2010-09-09")
        #expect(template["Description"] == "streams")
    }

    @Test("shard count overrides replace the declared count")
    func overrides() {
        let template = TemplateSynthesizer.template(
            for: Self.desired.stacks[0], in: Self.desired, shardCountOverrides: ["orders": 4])
        #expect(template["Resources"]?["Orders"]?["Properties"]?["ShardCount"] == 4)
    }

    @Test("rendering is deterministic with sorted keys")
    func deterministicRendering() {
        let first = TemplateSynthesizer.render(
            TemplateSynthesizer.template(for: Self.desired.stacks[0], in: Self.desired))
        let second = TemplateSynthesizer.render(
            TemplateSynthesizer.template(for: Self.desired.stacks[0], in: Self.desired))
        #expect(first == second)
        let version = first.range(of: "AWSTemplateFormatVersion")
        let resources = first.range(of: "\"Resources\"")
        #expect(version != nil && resources != nil && version!.lowerBound < resources!.lowerBound)
    }

    @Test("YAML short-form intrinsics in the fragment become JSON functions")
    func intrinsics() throws {
        let desired = try ManifestLoader.load(
            text: """
                apiVersion: reconcile/v1
                kind: Stack
                metadata: {name: a}
                spec:
                  parameters: {Name: x}
                  template:
                    Parameters:
                      Name: {Type: String}
                    Resources:
                      Topic:
                        Type: AWS::SNS::Topic
                        Properties:
                          TopicName: !Ref Name
                          DisplayName: !Join ["-", [!Ref Name, !GetAtt Other.Arn]]
                """, file: "t.yaml")
        let template = TemplateSynthesizer.template(for: desired.stacks[0], in: desired)
        let properties = try #require(template["Resources"]?["Topic"]?["Properties"])
        #expect(properties["TopicName"] == ["Ref": "Name"])
        #expect(properties["DisplayName"] == ["Fn::Join": ["-", [["Ref": "Name"], ["Fn::GetAtt": ["Other", "Arn"]]]]])
    }
}
