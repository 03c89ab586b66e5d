import AWSClient
import Formats
import Testing

@testable import ReconcileKit

@Suite("export of a stack's members: evaluated into documents, or kept with the reason")
struct StackExportTests {
    static let evaluator = TemplateConditionEvaluator(
        template: ["Conditions": ["InChina": ["Fn::Equals": [["Ref": "AWS::Region"], "cn-north-1"]]]],
        context: TemplateEvaluationContext(region: "eu-central-1", accountId: "123456789012", parameters: [:]))

    static func stream(_ properties: JSONValue, _ extra: [String: JSONValue] = [:]) -> JSONValue {
        var resource: [String: JSONValue] = ["Type": "AWS::Kinesis::Stream", "Properties": properties]
        resource.merge(extra) { _, new in new }
        return .object(resource)
    }

    @Test("a stream whose conditional encryption evaluates becomes a Stream document that keeps the logical ID")
    func converted() {
        let resources: [String: JSONValue] = [
            "CdkStream1234": Self.stream(
                [
                    "Name": "clicks", "ShardCount": 2,
                    "StreamEncryption": [
                        "Fn::If": [
                            "InChina", ["Ref": "AWS::NoValue"], ["EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"]
                        ]
                    ]
                ],
                ["UpdateReplacePolicy": "Retain", "Metadata": ["aws:cdk:path": "x"]])
        ]
        let members = StackMembers(resources: resources, stack: "s", evaluator: Self.evaluator)
        #expect(members.passThrough.isEmpty && members.notes.isEmpty)
        let yaml = members.documents.map(YAMLWriter.render).joined()
        let expected = [
            "logicalId: CdkStream1234", "shardCount: 2", "keyId: alias/aws/kinesis", "deletionPolicy: Retain"
        ]
        for line in expected {
            #expect(yaml.contains(line), "\(yaml)")
        }
    }

    @Test("record size, warm throughput and consumer tags of a stack's members become document fields")
    func limitsAndConsumerTags() {
        let resources: [String: JSONValue] = [
            "Clicks": Self.stream(
                [
                    "Name": "clicks", "StreamModeDetails": ["StreamMode": "ON_DEMAND"], "MaxRecordSizeInKiB": 2048,
                    "WarmThroughputMiBps": 100
                ]),
            "Reader": [
                "Type": "AWS::Kinesis::StreamConsumer",
                "Properties": [
                    "ConsumerName": "reader", "StreamARN": ["Fn::GetAtt": ["Clicks", "Arn"]],
                    "Tags": [["Key": "team", "Value": "data"]]
                ]
            ]
        ]
        let members = StackMembers(resources: resources, stack: "s", evaluator: Self.evaluator)
        #expect(members.passThrough.isEmpty && members.notes.isEmpty)
        let yaml = members.documents.map(YAMLWriter.render).joined()
        for line in ["maxRecordSizeKiB: 2048", "warmThroughputMiBps: 100", "tags:\n    team: data"] {
            #expect(yaml.contains(line), "\(yaml)")
        }
    }

    @Test(
        "a property it cannot evaluate keeps the stream pass-through, with a note naming it and why",
        arguments: [
            (stream(["Name": ["Fn::Sub": "${AWS::StackName}-clicks"]]), "Name: Fn::Sub is not evaluated"),
            (stream(["Name": "c", "ShardCount": ["Ref": "Shards"]]), "ShardCount: Ref Shards cannot be evaluated"),
            (
                stream(["Name": "c", "StreamModeDetails": ["StreamMode": "FAST"]]),
                "StreamModeDetails: StreamMode is not"
            ),
            (stream(["ShardCount": 1]), "Name: CloudFormation generated the stream's name"),
            (stream(["Name": "c"], ["DependsOn": "Other"]), "DependsOn: a Stream document has no field for it"),
            (stream(["Name": "c"], ["Condition": "InChina"]), "Condition: condition InChina is false here")
        ])
    func keptPassThrough(resource: JSONValue, note: String) {
        let members = StackMembers(resources: ["Kept": resource], stack: "s", evaluator: Self.evaluator)
        #expect(members.documents.isEmpty)
        #expect(members.passThrough["Kept"] == resource)
        #expect(members.notes.count == 1)
        #expect(
            members.notes.first?.hasPrefix("Kept (AWS::Kinesis::Stream) stays in spec.template: \(note)") == true,
            "\(members.notes)")
    }

    @Test("--drop-cdk-metadata leaves out the CDK's leftovers and only the conditions nothing uses")
    func cdkLeftovers() throws {
        let template = try CDKFixture.template()
        var sections: [String: [String: JSONValue]] = [:]
        for section in ["Parameters", "Rules", "Conditions"] { sections[section] = template[section]?.objectValue }
        sections["Conditions"]?["Used"] = ["Fn::Not": [["Condition": "UsedToo"]]]
        sections["Conditions"]?["UsedToo"] = ["Fn::Equals": ["a", "b"]]
        sections["Resources"] = [
            "CDKMetadata": template["Resources"]?["CDKMetadata"] ?? .null,
            "Topic": ["Type": "AWS::SNS::Topic", "Condition": "Used"]
        ]
        var leftovers = CDKLeftovers(
            sections: sections, parameters: ["BootstrapVersion": "/cdk-bootstrap/hnb659fds/version"])
        leftovers.remove()
        #expect(
            leftovers.removed == [
                "Resources.CDKMetadata", "Rules.CheckBootstrapVersion", "Parameters.BootstrapVersion",
                "Conditions.AwsCdkKinesisEncryptedStreamsUnsupportedRegions", "Conditions.CDKMetadataAvailable"
            ])
        #expect(leftovers.parameters.isEmpty)
        #expect(Set(leftovers.sections["Conditions"]?.keys.map { $0 } ?? []) == ["Used", "UsedToo"])
        #expect(leftovers.sections["Rules"] == nil && leftovers.sections["Parameters"] == nil)
        #expect(leftovers.sections["Resources"]?.keys.map { $0 } == ["Topic"])
    }
}
