import AWSClient
import Formats

/// A stack's `AWS::Kinesis::Stream` resource read as a Stream document, or the reason it
/// stays a pass-through template resource. Its properties are evaluated for the deployed
/// stack first, so conditional values (CDK's encryption `Fn::If`) become what CloudFormation
/// deployed.
struct StackStreamConversion {
    struct Converted {
        var name: String
        var attributes: StreamAttributes
        var deletionPolicy: DeletionPolicy
    }

    /// Properties a Stream document has a field for; anything else would be lost.
    static let knownProperties: Set<String> = [
        "Name", "ShardCount", "RetentionPeriodHours", "StreamModeDetails", "StreamEncryption",
        "DesiredShardLevelMetrics", "Tags", "MaxRecordSizeInKiB", "WarmThroughputMiBps"
    ]
    /// Resource attributes a Stream document keeps (Metadata is CDK bookkeeping).
    static let knownAttributes: Set<String> = [
        "Type", "Properties", "DeletionPolicy", "UpdateReplacePolicy", "Metadata", "Condition"
    ]

    let evaluator: TemplateConditionEvaluator

    /// The converted stream, or why it stays pass-through (a sentence naming the property).
    func convert(_ resource: JSONValue) -> Result<Converted, StackMemberRefusal> {
        let attributes = resource.objectValue ?? [:]
        if let unknown = attributes.keys.sorted().first(where: { !Self.knownAttributes.contains($0) }) {
            return .failure(StackMemberRefusal(property: unknown, reason: "a Stream document has no field for it"))
        }
        if let condition = resource["Condition"]?.stringValue {
            do {
                if try !evaluator.condition(condition) {
                    return .failure(
                        StackMemberRefusal(
                            property: "Condition", reason: "condition \(condition) is false here, so it is not deployed"
                        ))
                }
            } catch {
                return .failure(StackMemberRefusal(property: "Condition", reason: "\(error)"))
            }
        }
        var properties: [String: JSONValue] = [:]
        for (key, value) in (resource["Properties"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard Self.knownProperties.contains(key) else {
                return .failure(StackMemberRefusal(property: key, reason: "a Stream document has no field for it"))
            }
            do {
                if let evaluated = try evaluator.evaluate(value) { properties[key] = evaluated }
            } catch {
                return .failure(StackMemberRefusal(property: key, reason: "\(error)"))
            }
        }
        if let refusal = Self.shapeRefusal(properties) { return .failure(refusal) }
        guard let name = properties["Name"]?.stringValue else {
            return .failure(
                StackMemberRefusal(
                    property: "Name",
                    reason: "CloudFormation generated the stream's name; declaring one would replace the stream"))
        }
        let retained = [resource["DeletionPolicy"], resource["UpdateReplacePolicy"]].contains(.string("Retain"))
        return .success(
            Converted(
                name: name, attributes: StreamAttributes(templateResource: ["Properties": .object(properties)]),
                deletionPolicy: retained ? .retain : .delete))
    }

    /// Evaluated values must be literals of the shape a Stream document holds.
    static func shapeRefusal(_ properties: [String: JSONValue]) -> StackMemberRefusal? {
        for key in ["ShardCount", "RetentionPeriodHours", "MaxRecordSizeInKiB", "WarmThroughputMiBps"]
        where properties[key].map({ $0.intValue == nil }) ?? false {
            return StackMemberRefusal(property: key, reason: "it is not a whole number")
        }
        if let mode = properties["StreamModeDetails"],
            StreamMode(rawValue: mode["StreamMode"]?.stringValue ?? "") == nil
        {
            return StackMemberRefusal(
                property: "StreamModeDetails", reason: "StreamMode is not PROVISIONED or ON_DEMAND")
        }
        if let encryption = properties["StreamEncryption"] {
            let type = encryption["EncryptionType"]?.stringValue
            if !(type == "KMS" && encryption["KeyId"]?.stringValue != nil) && type != "NONE" {
                return StackMemberRefusal(property: "StreamEncryption", reason: "it is not KMS with a KeyId, nor NONE")
            }
        }
        let tags = properties["Tags"]?.arrayValue ?? []
        if tags.contains(where: { $0["Key"]?.stringValue == nil || $0["Value"]?.stringValue == nil }) {
            return StackMemberRefusal(property: "Tags", reason: "a tag's Key or Value is not text")
        }
        let metrics = properties["DesiredShardLevelMetrics"]?.arrayValue ?? []
        if metrics.contains(where: { $0.stringValue == nil }) {
            return StackMemberRefusal(property: "DesiredShardLevelMetrics", reason: "a metric is not text")
        }
        return nil
    }
}

/// Why a stack's Kinesis resource stays in the pass-through template.
struct StackMemberRefusal: Error, Sendable, Hashable {
    var property: String
    var reason: String
}
