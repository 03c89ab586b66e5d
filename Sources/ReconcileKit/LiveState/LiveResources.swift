import AWSClient
import Formats

/// A Kinesis stream as AWS reports it.
public struct LiveStream: Sendable, Hashable, Codable {
    public var name: String
    public var region: String
    public var arn: String
    public var status: String
    public var mode: StreamMode
    public var openShardCount: Int
    public var retentionPeriodHours: Int
    /// `nil` key means no encryption.
    public var encryptionKeyId: String?
    public var shardLevelMetrics: [String]
    public var tags: [String: String]
    /// Enhanced fan-out consumers; nil when they were not read (none declared, no prune).
    public var consumers: [LiveConsumer]?
    /// `MaxRecordSizeInKiB` as reported; nil when the endpoint does not report it.
    public var maxRecordSizeKiB: Int?
    /// The warm throughput the stream is set to (`WarmThroughput.TargetMiBps`); nil when not reported.
    public var warmThroughputMiBps: Int?

    public init(
        name: String, region: String, arn: String, status: String = "ACTIVE", mode: StreamMode = .provisioned,
        openShardCount: Int = 1, retentionPeriodHours: Int = 24, encryptionKeyId: String? = nil,
        shardLevelMetrics: [String] = [], tags: [String: String] = [:], consumers: [LiveConsumer]? = nil,
        maxRecordSizeKiB: Int? = nil, warmThroughputMiBps: Int? = nil
    ) {
        self.name = name
        self.region = region
        self.arn = arn
        self.status = status
        self.mode = mode
        self.openShardCount = openShardCount
        self.retentionPeriodHours = retentionPeriodHours
        self.encryptionKeyId = encryptionKeyId
        self.shardLevelMetrics = shardLevelMetrics.sorted()
        self.tags = tags
        self.consumers = consumers
        self.maxRecordSizeKiB = maxRecordSizeKiB
        self.warmThroughputMiBps = warmThroughputMiBps
    }

    public var encryption: StreamEncryption { encryptionKeyId.map { .kms(keyId: $0) } ?? .none }
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
