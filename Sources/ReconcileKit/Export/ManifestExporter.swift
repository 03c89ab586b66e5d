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
        guard var stream = try await reader.readStream(name, region: region, consumers: true, policies: .always) else {
            throw ExportError.streamNotFound(name, region: region)
        }
        try await reader.readConsumerTags(of: &stream)
        var documents = [
            Self.adding(
                stream.resourcePolicy,
                to: Self.streamDocument(
                    name: name, stack: nil, logicalId: nil, region: region, attributes: StreamAttributes(live: stream),
                    deletionPolicy: .delete))
        ]
        for consumer in stream.consumers ?? [] {
            documents.append(
                Self.adding(
                    stream.consumerPolicies?[consumer.name],
                    to: Self.consumerDocument(consumer.name, stream: name, logicalId: nil, tags: consumer.tags ?? [:])))
        }
        let header =
            "# Exported by 'reconcile export' from the live Kinesis stream \(stream.arn)\n"
            + "# (\(region), \(Self.timestamp())). Managed directly with the Kinesis API.\n"
        return ExportedManifest(fileName: "stream-\(name).yaml", yaml: header + Self.join(documents))
    }

    /// A stack: its pass-through template, parameters and tags, and its Kinesis members
    /// as Stream / StreamConsumer documents (their properties evaluated for this stack).
    public func exportStack(
        _ name: String, region: String, options: StackExportOptions = StackExportOptions()
    ) async throws -> ExportedManifest {
        let cloudFormation = try client.cloudFormation(region: region)
        guard let described = try await cloudFormation.describeStack(name: name),
            described.stackStatus != "DELETE_COMPLETE"
        else {
            throw ExportError.stackNotFound(name, region: region)
        }
        if described.stackStatus.hasSuffix("_IN_PROGRESS") {
            throw ExportError.stackBusy(name, status: described.stackStatus)
        }
        let body = try await cloudFormation.getTemplate(stackName: name)
        guard let template = TemplateBody.parse(body), case .object(let root) = template else {
            throw ExportError.unreadableTemplate(name)
        }
        let evaluator = TemplateConditionEvaluator(
            template: template,
            context: TemplateEvaluationContext(
                stackId: described.stackId, region: region, parameters: described.parameters))
        let members = StackMembers(resources: root["Resources"]?.objectValue ?? [:], stack: name, evaluator: evaluator)
        var sections: [String: [String: JSONValue]] = [:]
        for section in ManifestVocabulary.templateSections {
            let entries = section == "Resources" ? members.passThrough : (root[section]?.objectValue ?? [:])
            if !entries.isEmpty { sections[section] = entries }
        }
        var parameters = described.parameters
        var notes = members.notes
        if options.dropCDKMetadata {
            var leftovers = CDKLeftovers(sections: sections, parameters: parameters)
            leftovers.remove()
            (sections, parameters) = (leftovers.sections, leftovers.parameters)
            if !leftovers.removed.isEmpty {
                notes.append("Left out (--drop-cdk-metadata): " + leftovers.removed.joined(separator: ", ") + ".")
            }
        }
        let stackDocument = Self.stackDocument(
            name, region: region, description: root["Description"]?.stringValue, described: described,
            parameters: parameters, sections: sections)
        let header =
            "# Exported by 'reconcile export' from the live CloudFormation stack \(described.stackId)\n"
            + "# (\(region), \(Self.timestamp())). Stream and StreamConsumer documents are the stack's\n"
            + "# AWS::Kinesis resources; everything else is kept in spec.template as it was deployed.\n"
            + notes.map { "# \($0)\n" }.joined()
        return ExportedManifest(
            fileName: "stack-\(name).yaml", yaml: header + Self.join([stackDocument] + members.documents))
    }

    static func stackDocument(
        _ name: String, region: String, description: String?, described: CloudFormationStack,
        parameters: [String: String], sections: [String: [String: JSONValue]]
    ) -> YAMLValue {
        var spec: [(String, YAMLValue)] = []
        if let description { spec.append(("description", .string(description))) }
        let tags = Self.userTags(described.tags)
        if !tags.isEmpty { spec.append(("tags", Self.stringMap(tags))) }
        if described.enableTerminationProtection { spec.append(("terminationProtection", .bool(true))) }
        if !described.capabilities.isEmpty {
            spec.append(("capabilities", .list(described.capabilities.sorted().map(YAMLValue.string))))
        }
        if !parameters.isEmpty { spec.append(("parameters", Self.stringMap(parameters))) }
        let fragment: [(String, YAMLValue)] = ManifestVocabulary.templateSections.compactMap { section in
            sections[section].map { (section, YAMLValue(.object($0))) }
        }
        if !fragment.isEmpty { spec.append(("template", .map(fragment))) }
        var document: [(String, YAMLValue)] = [
            ("apiVersion", "reconcile/v1"), ("kind", "Stack"),
            ("metadata", .map([("name", .string(name)), ("region", .string(region))]))
        ]
        if !spec.isEmpty { document.append(("spec", .map(spec))) }
        return .map(document)
    }

    static func streamDocument(
        name: String, stack: String?, logicalId: String?, region: String?, attributes: StreamAttributes,
        deletionPolicy: DeletionPolicy
    ) -> YAMLValue {
        var metadata: [(String, YAMLValue)] = [("name", .string(name))]
        if let stack { metadata.append(("stack", .string(stack))) }
        if let logicalId, logicalId != LogicalID.derive(from: name) {
            metadata.append(("logicalId", .string(logicalId)))
        }
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
            let metrics = all ? ["ALL"] : attributes.shardLevelMetrics.map(YAMLValue.string)
            spec.append(("shardLevelMetrics", .list(metrics)))
        }
        if attributes.maxRecordSizeKiB != StreamSpec.defaultMaxRecordSizeKiB {
            spec.append(("maxRecordSizeKiB", .int(attributes.maxRecordSizeKiB)))
        }
        if attributes.mode == .onDemand && attributes.warmThroughputMiBps != 0 {
            spec.append(("warmThroughputMiBps", .int(attributes.warmThroughputMiBps)))
        }
        let tags = userTags(attributes.tags)
        if !tags.isEmpty { spec.append(("tags", stringMap(tags))) }
        if deletionPolicy == .retain { spec.append(("deletionPolicy", "Retain")) }
        return .map([
            ("apiVersion", "reconcile/v1"), ("kind", "Stream"), ("metadata", .map(metadata)), ("spec", .map(spec))
        ])
    }

    static func consumerDocument(
        _ name: String, stream: String, logicalId: String?, tags: [String: String] = [:]
    ) -> YAMLValue {
        var metadata: [(String, YAMLValue)] = [("name", .string(name))]
        if let logicalId, logicalId != LogicalID.derive(from: name) {
            metadata.append(("logicalId", .string(logicalId)))
        }
        var spec: [(String, YAMLValue)] = [("stream", .string(stream))]
        let declarable = userTags(tags)
        if !declarable.isEmpty { spec.append(("tags", stringMap(declarable))) }
        return .map([
            ("apiVersion", "reconcile/v1"), ("kind", "StreamConsumer"), ("metadata", .map(metadata)),
            ("spec", .map(spec))
        ])
    }

    /// The document with `spec.resourcePolicy` appended (unchanged when there is none).
    static func adding(_ policy: ResourcePolicy?, to document: YAMLValue) -> YAMLValue {
        guard let policy, case .map(var entries) = document,
            let specIndex = entries.firstIndex(where: { $0.0 == "spec" }), case .map(var spec) = entries[specIndex].1
        else { return document }
        spec.append(("resourcePolicy", YAMLValue(policy.document)))
        entries[specIndex] = ("spec", .map(spec))
        return .map(entries)
    }

    /// Tags a manifest may declare: without the ownership tag and AWS's own `aws:` tags.
    static func userTags(_ tags: [String: String]) -> [String: String] {
        tags.filter { !$0.key.hasPrefix("aws:") && !OwnershipTag.reservedKeys.contains($0.key) }
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

/// Choices for `export --stack`.
public struct StackExportOptions: Sendable, Hashable {
    /// Leave out the CDK's bookkeeping (see `CDKLeftovers`).
    public var dropCDKMetadata: Bool

    public init(dropCDKMetadata: Bool = false) { self.dropCDKMetadata = dropCDKMetadata }
}
