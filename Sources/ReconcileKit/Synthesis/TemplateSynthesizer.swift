import AWSClient
import Formats

/// Builds a stack's CloudFormation template from the manifests: the pass-through
/// fragment plus one resource per member stream and consumer.
public enum TemplateSynthesizer {
    public static let formatVersion = "2010-09-09"

    /// The template for `stack`. `shardCountOverrides` (keyed by stream name) replaces
    /// declared shard counts, for the intermediate templates of multi-step resharding.
    public static func template(
        for stack: StackSpec, in desired: DesiredState, shardCountOverrides: [String: Int] = [:]
    ) -> JSONValue {
        var template: [String: JSONValue] = stack.template
        template["AWSTemplateFormatVersion"] = .string(formatVersion)
        if let description = stack.description { template["Description"] = .string(description) }
        var resources = stack.template["Resources"]?.objectValue ?? [:]
        let streams = desired.streams(inStack: stack.name)
        let logicalIds = Dictionary(streams.map { ($0.name, $0.logicalId) }, uniquingKeysWith: { first, _ in first })
        for stream in streams {
            resources[stream.logicalId] = streamResource(
                stream, shardCount: shardCountOverrides[stream.name] ?? stream.shardCount)
            if let policy = stream.resourcePolicy {
                resources[policyLogicalId(of: stream.logicalId)] = policyResource(
                    policy, arn: ["Fn::GetAtt": [.string(stream.logicalId), "Arn"]])
            }
        }
        for consumer in desired.consumers(inStack: stack.name) {
            guard let streamLogicalId = logicalIds[consumer.stream] else { continue }
            resources[consumer.logicalId] = consumerResource(consumer, streamLogicalId: streamLogicalId)
            if let policy = consumer.resourcePolicy {
                resources[policyLogicalId(of: consumer.logicalId)] = policyResource(
                    policy, arn: ["Fn::GetAtt": [.string(consumer.logicalId), "ConsumerARN"]])
            }
        }
        template["Resources"] = .object(resources)
        return .object(template)
    }

    /// Deterministic pretty JSON (sorted keys, two-space indent as Foundation writes it)
    /// with a trailing newline.
    public static func render(_ template: JSONValue) -> String {
        template.serializedString(pretty: true) + "\n"
    }

    static func streamResource(_ stream: StreamSpec, shardCount: Int?) -> JSONValue {
        var properties: [String: JSONValue] = [
            "Name": .string(stream.name),
            "RetentionPeriodHours": .int(stream.retentionPeriodHours),
            "StreamModeDetails": ["StreamMode": .string(stream.mode.rawValue)]
        ]
        if stream.mode == .provisioned, let shardCount { properties["ShardCount"] = .int(shardCount) }
        if case .kms(let keyId) = stream.encryption {
            properties["StreamEncryption"] = ["EncryptionType": "KMS", "KeyId": .string(keyId)]
        }
        if !stream.shardLevelMetrics.isEmpty {
            properties["DesiredShardLevelMetrics"] = .array(stream.shardLevelMetrics.sorted().map(JSONValue.string))
        }
        if let maxRecordSize = stream.maxRecordSizeKiB { properties["MaxRecordSizeInKiB"] = .int(maxRecordSize) }
        if stream.mode == .onDemand, let warmThroughput = stream.warmThroughputMiBps {
            properties["WarmThroughputMiBps"] = .int(warmThroughput)
        }
        if !stream.tags.isEmpty { properties["Tags"] = TagEncoding.keyValueList(stream.tags) }
        return [
            "Type": "AWS::Kinesis::Stream",
            "Properties": .object(properties),
            "DeletionPolicy": .string(stream.deletionPolicy.rawValue),
            "UpdateReplacePolicy": .string(stream.deletionPolicy.rawValue)
        ]
    }

    /// `<LogicalId>ResourcePolicy`: the `AWS::Kinesis::ResourcePolicy` of a stack stream or consumer.
    public static func policyLogicalId(of logicalId: String) -> String { logicalId + "ResourcePolicy" }

    static func policyResource(_ policy: ResourcePolicy, arn: JSONValue) -> JSONValue {
        ["Type": "AWS::Kinesis::ResourcePolicy", "Properties": ["ResourceArn": arn, "ResourcePolicy": policy.document]]
    }

    static func consumerResource(_ consumer: ConsumerSpec, streamLogicalId: String) -> JSONValue {
        var properties: [String: JSONValue] = [
            "ConsumerName": .string(consumer.name),
            "StreamARN": ["Fn::GetAtt": [.string(streamLogicalId), "Arn"]]
        ]
        if !consumer.tags.isEmpty { properties["Tags"] = TagEncoding.keyValueList(consumer.tags) }
        return ["Type": "AWS::Kinesis::StreamConsumer", "Properties": .object(properties)]
    }
}
