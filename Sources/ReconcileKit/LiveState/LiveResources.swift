import AWSClient
import Formats

/// A Kinesis stream as AWS reports it: DescribeStreamSummary's answer, kept whole as the client's
/// own shape (`summary`), plus what other reads add (tags, consumers) and the region it was read
/// in. `name`, `mode`, `encryptionKeyId`, … are views of the summary typed as manifests are.
///
/// One type is not enough: the client may not know the manifest's types (`StreamMode`) or the
/// reads only reconcile combines, so reconcile wraps the client's shape rather than copying it.
/// A field the summary gains is a view here, and a line of `encode(to:)` if it is to count in
/// the fingerprint (`encodeIfPresent` when optional, so plans saved before still match).
public struct LiveStream: Sendable, Hashable {
    public var summary: KinesisStreamSummary
    public var region: String
    public var tags: [String: String]
    /// Enhanced fan-out consumers; nil when they were not read (none declared, no prune).
    public var consumers: [LiveConsumer]?
    /// The stream's resource policy; nil when none is attached or it was not read (see `ResourcePolicyRead`).
    public var resourcePolicy: ResourcePolicy?
    /// Resource policies of `consumers`, by consumer name; nil when they were not read.
    public var consumerPolicies: [String: ResourcePolicy]?

    public init(
        summary: KinesisStreamSummary, region: String, tags: [String: String] = [:], consumers: [LiveConsumer]? = nil
    ) {
        self.summary = summary
        self.region = region
        self.tags = tags
        self.consumers = consumers
    }

    /// `encryptionKeyId` nil means no encryption.
    public init(
        name: String, region: String, arn: String, status: String = "ACTIVE", mode: StreamMode = .provisioned,
        openShardCount: Int = 1, retentionPeriodHours: Int = 24, encryptionKeyId: String? = nil,
        shardLevelMetrics: [String] = [], tags: [String: String] = [:], consumers: [LiveConsumer]? = nil,
        maxRecordSizeKiB: Int? = nil, warmThroughputMiBps: Int? = nil
    ) {
        let summary = KinesisStreamSummary(
            streamName: name, streamARN: arn, streamStatus: status, streamMode: mode.rawValue,
            openShardCount: openShardCount, retentionPeriodHours: retentionPeriodHours,
            encryptionType: encryptionKeyId == nil ? "NONE" : "KMS", keyId: encryptionKeyId,
            enhancedMetrics: shardLevelMetrics.sorted(), consumerCount: nil, maxRecordSizeKiB: maxRecordSizeKiB,
            warmThroughputTargetMiBps: warmThroughputMiBps)
        self.init(summary: summary, region: region, tags: tags, consumers: consumers)
    }

    // Views of the summary; changes go to `summary`, the one place each field is kept.
    public var name: String { summary.streamName }
    public var arn: String { summary.streamARN }
    public var status: String { summary.streamStatus }
    public var mode: StreamMode { StreamMode(rawValue: summary.streamMode) ?? .provisioned }
    public var openShardCount: Int { summary.openShardCount }
    public var retentionPeriodHours: Int { summary.retentionPeriodHours }
    /// The KMS key; nil means no encryption.
    public var encryptionKeyId: String? { summary.encryptionType == "KMS" ? (summary.keyId ?? "") : nil }
    public var shardLevelMetrics: [String] { summary.enhancedMetrics }
    /// `MaxRecordSizeInKiB` as reported; nil when the endpoint does not report it.
    public var maxRecordSizeKiB: Int? {
        get { summary.maxRecordSizeKiB }
        set { summary.maxRecordSizeKiB = newValue }
    }
    /// The warm throughput the stream is set to (`WarmThroughput.TargetMiBps`); nil when not reported.
    public var warmThroughputMiBps: Int? {
        get { summary.warmThroughputTargetMiBps }
        set { summary.warmThroughputTargetMiBps = newValue }
    }

    public var encryption: StreamEncryption { encryptionKeyId.map { .kms(keyId: $0) } ?? .none }

    /// True when reconcile manages resource policies of this stream or its consumers (see `OwnershipTag`).
    public var managesResourcePolicies: Bool { tags[OwnershipTag.resourcePolicyKey] != nil }
}

/// The fingerprint's encoding (`Fingerprint.of(stream:)`): the keys live state has always had.
extension LiveStream: Encodable {
    private enum CodingKeys: String, CodingKey {
        case name, region, arn, status, mode, openShardCount, retentionPeriodHours, encryptionKeyId
        case shardLevelMetrics, tags, consumers, maxRecordSizeKiB, warmThroughputMiBps
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(region, forKey: .region)
        try container.encode(arn, forKey: .arn)
        try container.encode(status, forKey: .status)
        try container.encode(mode, forKey: .mode)
        try container.encode(openShardCount, forKey: .openShardCount)
        try container.encode(retentionPeriodHours, forKey: .retentionPeriodHours)
        try container.encodeIfPresent(encryptionKeyId, forKey: .encryptionKeyId)
        try container.encode(shardLevelMetrics, forKey: .shardLevelMetrics)
        try container.encode(tags, forKey: .tags)
        try container.encodeIfPresent(consumers, forKey: .consumers)
        try container.encodeIfPresent(maxRecordSizeKiB, forKey: .maxRecordSizeKiB)
        try container.encodeIfPresent(warmThroughputMiBps, forKey: .warmThroughputMiBps)
    }
}

/// A registered consumer, as live state holds it: the Kinesis client's own type.
public typealias LiveConsumer = KinesisConsumer

/// A CloudFormation stack as AWS reports it, with its current template.
public struct LiveStack: Sendable, Hashable, Codable {
    public var name: String
    public var region: String
    public var stackId: String
    public var status: String
    public var statusReason: String?
    public var tags: [String: String]
    public var parameters: [String: String]
    public var terminationProtection: Bool
    /// The deployed template, parsed; nil when it was not read (e.g. the stack is being deleted).
    public var template: JSONValue?

    public init(
        name: String, region: String, stackId: String, status: String = "CREATE_COMPLETE", statusReason: String? = nil,
        tags: [String: String] = [:], parameters: [String: String] = [:], terminationProtection: Bool = false,
        template: JSONValue? = nil
    ) {
        self.name = name
        self.region = region
        self.stackId = stackId
        self.status = status
        self.statusReason = statusReason
        self.tags = tags
        self.parameters = parameters
        self.terminationProtection = terminationProtection
        self.template = template
    }

    public var isInProgress: Bool { status.hasSuffix("_IN_PROGRESS") }

    /// Statuses of a stack whose creation failed and rolled back: CloudFormation can only delete it.
    public static let failedCreationStatuses: Set<String> = ["ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "CREATE_FAILED"]

    /// Statuses an operator must recover from before reconcile changes the stack.
    public static let needsRecoveryStatuses: Set<String> = [
        "UPDATE_ROLLBACK_FAILED", "DELETE_FAILED", "IMPORT_ROLLBACK_FAILED"
    ]

    public var failedCreation: Bool { Self.failedCreationStatuses.contains(status) }

    /// Resources of the deployed template, by logical id.
    public var templateResources: [String: JSONValue] { template?["Resources"]?.objectValue ?? [:] }
}

/// What exists in AWS for the declared resources (by name), plus, when asked for,
/// this project's resources that are no longer declared.
public struct LiveState: Sendable, Hashable {
    public var stacks: [String: LiveStack]
    public var streams: [String: LiveStream]
    /// Project-tagged stacks and direct streams that no manifest declares (read with --prune).
    public var undeclaredStacks: [LiveStack]
    public var undeclaredStreams: [LiveStream]
    /// Declared streams that were busy with an earlier change when first read, and the
    /// status they had then; `streams` holds what they settled in.
    public var settledStreams: [String: String] = [:]

    public init(
        stacks: [String: LiveStack] = [:], streams: [String: LiveStream] = [:], undeclaredStacks: [LiveStack] = [],
        undeclaredStreams: [LiveStream] = []
    ) {
        self.stacks = stacks
        self.streams = streams
        self.undeclaredStacks = undeclaredStacks
        self.undeclaredStreams = undeclaredStreams
    }
}
