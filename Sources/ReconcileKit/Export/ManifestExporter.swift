import AWSClient
import Formats
import Foundation

public enum ExportError: Error, Sendable, CustomStringConvertible {
    case streamNotFound(String, region: String)
    case stackNotFound(String, region: String)
    case stackBusy(String, status: String)
    case unreadableTemplate(String)

    public var description: String {
        switch self {
        case .streamNotFound(let name, let region): "Stream/\(name) does not exist in \(region)"
        case .stackNotFound(let name, let region): "Stack/\(name) does not exist in \(region)"
        case .stackBusy(let name, let status): "Stack/\(name) is \(status): export it once it has settled"
        case .unreadableTemplate(let name): "the template of Stack/\(name) is neither JSON nor YAML reconcile can read"
        }
    }
}

/// One exported manifest file: every document of one live resource.
public struct ExportedManifest: Sendable, Hashable {
    /// `stream-NAME.yaml` or `stack-NAME.yaml`.
    public var fileName: String
    public var yaml: String
}

/// Writes manifests for live resources in the schema `validate` accepts, so that
/// `plan --adopt` on them shows only the ownership tag.
public struct ManifestExporter: Sendable {
    public let client: AWSClient

    public init(client: AWSClient) { self.client = client }

    static let kinesisStreamType = "AWS::Kinesis::Stream"
    static let kinesisConsumerType = "AWS::Kinesis::StreamConsumer"

    /// A directly managed stream and its enhanced fan-out consumers.
    public func exportStream(_ name: String, region: String) async throws -> ExportedManifest {
        let reader = LiveStateReader(client: client)
        guard let stream = try await reader.readStream(name, region: region, consumers: true) else {
            throw ExportError.streamNotFound(name, region: region)
        }
        var documents = [Self.streamDocument(
            name: name, stack: nil, logicalId: nil, region: region, attributes: StreamAttributes(live: stream), deletionPolicy: .delete)]
        for consumer in stream.consumers ?? [] {
            documents.append(Self.consumerDocument(consumer.name, stream: name, logicalId: nil))
        }
        let header = "# Exported by 'reconcile export' from the live Kinesis stream \(stream.arn)\n"
            + "# (\(region), \(Self.timestamp())). Managed directly with the Kinesis API.\n"
        return ExportedManifest(fileName: "stream-\(name).yaml", yaml: header + Self.join(documents))
    }

    /// A stack: its pass-through template, parameters and tags, and its Kinesis members
    /// as Stream / StreamConsumer documents.
    public func exportStack(_ name: String, region: String) async throws -> ExportedManifest {
        let cloudFormation = try client.cloudFormation(region: region)
        guard let described = try await cloudFormation.describeStack(name: name), described.stackStatus != "DELETE_COMPLETE" else {
            throw ExportError.stackNotFound(name, region: region)
        }
        if described.stackStatus.hasSuffix("_IN_PROGRESS") { throw ExportError.stackBusy(name, status: described.stackStatus) }
        let body = try await cloudFormation.getTemplate(stackName: name)
        guard let template = TemplateBody.parse(body), case .object(let root) = template else {
            throw ExportError.unreadableTemplate(name)
        }
        let resources = root["Resources"]?.objectValue ?? [:]
        // Members: streams with a literal configuration, and consumers of those streams.
        var streamNames: [String: String] = [:]
        var memberDocuments: [YAMLValue] = []
        var passThrough: [String: JSONValue] = [:]
        for (logicalId, resource) in resources.sorted(by: { $0.key < $1.key }) {
            if resource["Type"]?.stringValue == Self.kinesisStreamType, let streamName = Self.literalStreamName(resource) {
                streamNames[logicalId] = streamName
                let policy = DeletionPolicy(rawValue: resource["DeletionPolicy"]?.stringValue ?? "Delete") ?? .delete
                memberDocuments.append(Self.streamDocument(
                    name: streamName, stack: name, logicalId: logicalId, region: nil,
                    attributes: StreamAttributes(templateResource: resource), deletionPolicy: policy))
            } else if resource["Type"]?.stringValue != Self.kinesisConsumerType {
                passThrough[logicalId] = resource
            }
        }
        for (logicalId, resource) in resources.sorted(by: { $0.key < $1.key }) where resource["Type"]?.stringValue == Self.kinesisConsumerType {
            let properties = resource["Properties"]
            if let consumerName = properties?["ConsumerName"]?.stringValue,
                let streamLogicalId = properties?["StreamARN"]?["Fn::GetAtt"]?.arrayValue?.first?.stringValue,
                let streamName = streamNames[streamLogicalId]
            {
                memberDocuments.append(Self.consumerDocument(consumerName, stream: streamName, logicalId: logicalId))
            } else {
                passThrough[logicalId] = resource
            }
        }

        var spec: [(String, YAMLValue)] = []
        if let description = root["Description"]?.stringValue { spec.append(("description", .string(description))) }
        let tags = Self.userTags(described.tags)
        if !tags.isEmpty { spec.append(("tags", Self.stringMap(tags))) }
        if described.enableTerminationProtection { spec.append(("terminationProtection", .bool(true))) }
        if !described.capabilities.isEmpty { spec.append(("capabilities", .list(described.capabilities.sorted().map(YAMLValue.string)))) }
        if !described.parameters.isEmpty { spec.append(("parameters", Self.stringMap(described.parameters))) }
        var fragment: [(String, YAMLValue)] = []
        for section in ["Parameters", "Conditions", "Mappings", "Resources", "Outputs"] {
            let entries = section == "Resources" ? passThrough : (root[section]?.objectValue ?? [:])
            if !entries.isEmpty { fragment.append((section, YAMLValue(.object(entries)))) }
        }
        if !fragment.isEmpty { spec.append(("template", .map(fragment))) }

        var stackDocument: [(String, YAMLValue)] = [
            ("apiVersion", "reconcile/v1"), ("kind", "Stack"),
            ("metadata", .map([("name", .string(name)), ("region", .string(region))])),
        ]
        if !spec.isEmpty { stackDocument.append(("spec", .map(spec))) }
        let header = "# Exported by 'reconcile export' from the live CloudFormation stack \(described.stackId)\n"
            + "# (\(region), \(Self.timestamp())). Stream and StreamConsumer documents are the stack's\n"
            + "# AWS::Kinesis resources; everything else is kept in spec.template as it was deployed.\n"
        return ExportedManifest(fileName: "stack-\(name).yaml", yaml: header + Self.join([.map(stackDocument)] + memberDocuments))
    }

    static func literalStreamName(_ resource: JSONValue) -> String? {
        let properties = resource["Properties"]
        guard let name = properties?["Name"]?.stringValue else { return nil }
        // Only literal values can become manifest fields; anything computed stays pass-through.
        for key in ["ShardCount", "RetentionPeriodHours"] {
            if let value = properties?[key], value.intValue == nil { return nil }
        }
        for key in ["StreamModeDetails", "StreamEncryption"] {
            if let value = properties?[key]?.objectValue, value.values.contains(where: { $0.stringValue == nil }) { return nil }
        }
        return name
    }

    static func streamDocument(
        name: String, stack: String?, logicalId: String?, region: String?, attributes: StreamAttributes,
        deletionPolicy: DeletionPolicy
    ) -> YAMLValue {
        var metadata: [(String, YAMLValue)] = [("name", .string(name))]
        if let stack { metadata.append(("stack", .string(stack))) }
        if let logicalId, logicalId != LogicalID.derive(from: name) { metadata.append(("logicalId", .string(logicalId))) }
        if let region { metadata.append(("region", .string(region))) }
        var spec: [(String, YAMLValue)] = []
        if attributes.mode == .onDemand {
            spec.append(("streamMode", "ON_DEMAND"))
        } else {
            spec.append(("shardCount", .int(attributes.shardCount ?? 1)))
        }
        spec.append(("retentionPeriodHours", .int(attributes.retentionPeriodHours)))
        if let key = attributes.encryptionKeyId {
            spec.append(("encryption", .map([("type", "KMS"), ("keyId", .string(key))])))
        }
        if !attributes.shardLevelMetrics.isEmpty {
            let all = Set(attributes.shardLevelMetrics) == Set(StreamSpec.allShardLevelMetrics)
            spec.append(("shardLevelMetrics", .list(all ? ["ALL"] : attributes.shardLevelMetrics.map(YAMLValue.string))))
        }
        let tags = userTags(attributes.tags)
        if !tags.isEmpty { spec.append(("tags", stringMap(tags))) }
        if deletionPolicy == .retain { spec.append(("deletionPolicy", "Retain")) }
        return .map([("apiVersion", "reconcile/v1"), ("kind", "Stream"), ("metadata", .map(metadata)), ("spec", .map(spec))])
    }

    static func consumerDocument(_ name: String, stream: String, logicalId: String?) -> YAMLValue {
        var metadata: [(String, YAMLValue)] = [("name", .string(name))]
        if let logicalId, logicalId != LogicalID.derive(from: name) { metadata.append(("logicalId", .string(logicalId))) }
        return .map([
            ("apiVersion", "reconcile/v1"), ("kind", "StreamConsumer"), ("metadata", .map(metadata)),
            ("spec", .map([("stream", .string(stream))])),
        ])
    }

    /// Tags a manifest may declare: without the ownership tag and AWS's own `aws:` tags.
    static func userTags(_ tags: [String: String]) -> [String: String] {
        tags.filter { !$0.key.hasPrefix("aws:") && $0.key != OwnershipTag.key }
    }

    static func stringMap(_ map: [String: String]) -> YAMLValue {
        .map(map.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
    }

    static func join(_ documents: [YAMLValue]) -> String {
        documents.map(YAMLWriter.render).joined(separator: "---\n")
    }

    static func timestamp() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}

extension YAMLValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}
