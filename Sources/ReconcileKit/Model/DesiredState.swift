import AWSClient
import Formats

/// Everything the manifests declare, validated. Arrays are sorted by name so that
/// every derived output (templates, plans) is deterministic.
public struct DesiredState: Sendable, Hashable {
    public let stacks: [StackSpec]
    public let streams: [StreamSpec]
    public let consumers: [ConsumerSpec]

    // Indexes so that lookups stay O(1) with thousands of resources.
    private let stackIndex: [String: Int]
    private let streamIndex: [String: Int]
    private let consumerIndex: [String: Int]
    private let streamsByStack: [String: [Int]]
    private let consumersByStream: [String: [Int]]

    public init(stacks: [StackSpec] = [], streams: [StreamSpec] = [], consumers: [ConsumerSpec] = []) {
        self.stacks = stacks.sorted { $0.name < $1.name }
        self.streams = streams.sorted { $0.name < $1.name }
        self.consumers = consumers.sorted { ($0.stream, $0.name) < ($1.stream, $1.name) }
        stackIndex = Dictionary(self.stacks.enumerated().map { ($1.name, $0) }) { first, _ in first }
        streamIndex = Dictionary(self.streams.enumerated().map { ($1.name, $0) }) { first, _ in first }
        consumerIndex = Dictionary(self.consumers.enumerated().map { ($1.name, $0) }) { first, _ in first }
        var byStack: [String: [Int]] = [:]
        for (index, stream) in self.streams.enumerated() {
            if let stack = stream.stack { byStack[stack, default: []].append(index) }
        }
        streamsByStack = byStack
        var byStream: [String: [Int]] = [:]
        for (index, consumer) in self.consumers.enumerated() { byStream[consumer.stream, default: []].append(index) }
        consumersByStream = byStream
    }

    public func stack(named name: String) -> StackSpec? { stackIndex[name].map { stacks[$0] } }
    public func stream(named name: String) -> StreamSpec? { streamIndex[name].map { streams[$0] } }
    public func consumer(named name: String) -> ConsumerSpec? { consumerIndex[name].map { consumers[$0] } }

    /// Streams whose `metadata.stack` names the given stack.
    public func streams(inStack name: String) -> [StreamSpec] { (streamsByStack[name] ?? []).map { streams[$0] } }

    /// Consumers of streams that live in the given stack.
    public func consumers(inStack name: String) -> [ConsumerSpec] {
        streams(inStack: name).flatMap { consumers(ofStream: $0.name) }
    }

    public func consumers(ofStream name: String) -> [ConsumerSpec] {
        (consumersByStream[name] ?? []).map { consumers[$0] }
    }

    /// True when the stream or one of its consumers declares a resource policy.
    public func declaresResourcePolicies(stream name: String) -> Bool {
        stream(named: name)?.resourcePolicy != nil || consumers(ofStream: name).contains { $0.resourcePolicy != nil }
    }

    public var addresses: [ResourceAddress] {
        stacks.map(\.address) + streams.map(\.address) + consumers.map(\.address)
    }
}

/// `kind: Stack`: a CloudFormation stack whose template is synthesized.
public struct StackSpec: Sendable, Hashable {
    public var name: String
    /// `metadata.region` as declared; nil means "resolve from flags, environment, profile".
    public var region: String?
    public var dependsOn: [ResourceAddress]
    public var description: String?
    public var tags: [String: String]
    public var terminationProtection: Bool
    public var capabilities: [String]
    public var parameters: [String: String]
    /// The pass-through fragment: top-level template sections (Parameters, Conditions,
    /// Mappings, Resources, Outputs) as declared.
    public var template: [String: JSONValue]
    public var location: SourceLocation

    public init(
        name: String, region: String? = nil, dependsOn: [ResourceAddress] = [], description: String? = nil,
        tags: [String: String] = [:], terminationProtection: Bool = false, capabilities: [String] = [],
        parameters: [String: String] = [:], template: [String: JSONValue] = [:],
        location: SourceLocation = SourceLocation(file: "<memory>", line: 1, column: 1)
    ) {
        self.name = name
        self.region = region
        self.dependsOn = dependsOn
        self.description = description
        self.tags = tags
        self.terminationProtection = terminationProtection
        self.capabilities = capabilities
        self.parameters = parameters
        self.template = template
        self.location = location
    }

    public var address: ResourceAddress { .stack(name) }
}

public enum StreamMode: String, Sendable, Hashable, Codable {
    case provisioned = "PROVISIONED"
    case onDemand = "ON_DEMAND"
}

public enum StreamEncryption: Sendable, Hashable {
    case none
    case kms(keyId: String)

    public var keyId: String? {
        if case .kms(let keyId) = self { return keyId }
        return nil
    }
}

public enum DeletionPolicy: String, Sendable, Hashable, Codable {
    case delete = "Delete"
    case retain = "Retain"
}

/// `kind: Stream`: a Kinesis data stream, managed directly or through a stack.
public struct StreamSpec: Sendable, Hashable {
    /// Every shard-level metric Kinesis knows; `[ALL]` in a manifest expands to these.
    public static let allShardLevelMetrics: [String] = [
        "IncomingBytes", "IncomingRecords", "IteratorAgeMilliseconds", "OutgoingBytes", "OutgoingRecords",
        "ReadProvisionedThroughputExceeded", "WriteProvisionedThroughputExceeded"
    ]

    public var name: String
    /// `metadata.stack`: nil when managed directly with the Kinesis API.
    public var stack: String?
    /// Resolved logical id (declared or derived from the name); meaningful only in a stack.
    public var logicalId: String
    public var region: String?
    public var dependsOn: [ResourceAddress]
    public var mode: StreamMode
    /// Declared shard count; nil for ON_DEMAND.
    public var shardCount: Int?
    public var retentionPeriodHours: Int
    public var encryption: StreamEncryption
    /// Sorted, `ALL` expanded.
    public var shardLevelMetrics: [String]
    public var tags: [String: String]
    public var deletionPolicy: DeletionPolicy
    /// `spec.resourcePolicy`; nil when not declared.
    public var resourcePolicy: ResourcePolicy?
    /// `spec.maxRecordSizeKiB`; nil leaves AWS's default (`defaultMaxRecordSizeKiB`).
    public var maxRecordSizeKiB: Int?
    /// `spec.warmThroughputMiBps` (ON_DEMAND only); nil means none.
    public var warmThroughputMiBps: Int?
    public var location: SourceLocation

    /// What AWS gives a stream created without `MaxRecordSizeInKiB`.
    public static let defaultMaxRecordSizeKiB = 1024

    public init(
        name: String, stack: String? = nil, logicalId: String? = nil, region: String? = nil,
        dependsOn: [ResourceAddress] = [], mode: StreamMode = .provisioned, shardCount: Int? = 1,
        retentionPeriodHours: Int = 24, encryption: StreamEncryption = .none, shardLevelMetrics: [String] = [],
        tags: [String: String] = [:], deletionPolicy: DeletionPolicy = .delete, maxRecordSizeKiB: Int? = nil,
        warmThroughputMiBps: Int? = nil, location: SourceLocation = SourceLocation(file: "<memory>", line: 1, column: 1)
    ) {
        self.name = name
        self.stack = stack
        self.logicalId = logicalId ?? LogicalID.derive(from: name)
        self.region = region
        self.dependsOn = dependsOn
        self.mode = mode
        self.shardCount = mode == .onDemand ? nil : shardCount
        self.retentionPeriodHours = retentionPeriodHours
        self.encryption = encryption
        self.shardLevelMetrics = shardLevelMetrics.sorted()
        self.tags = tags
        self.deletionPolicy = deletionPolicy
        self.maxRecordSizeKiB = maxRecordSizeKiB
        self.warmThroughputMiBps = mode == .onDemand ? warmThroughputMiBps : nil
        self.location = location
    }

    public var address: ResourceAddress { .stream(name) }
    public var managedBy: ManagedBy { stack.map(ManagedBy.stack) ?? .kinesis }
}

/// `kind: StreamConsumer`: an enhanced fan-out consumer of a declared stream.
public struct ConsumerSpec: Sendable, Hashable {
    public var name: String
    public var stream: String
    public var logicalId: String
    public var dependsOn: [ResourceAddress]
    /// `spec.resourcePolicy`; nil when not declared.
    public var resourcePolicy: ResourcePolicy?
    /// `spec.tags`, set on the consumer's ARN (RegisterStreamConsumer, TagResource).
    public var tags: [String: String]
    public var location: SourceLocation

    public init(
        name: String, stream: String, logicalId: String? = nil, dependsOn: [ResourceAddress] = [],
        tags: [String: String] = [:], location: SourceLocation = SourceLocation(file: "<memory>", line: 1, column: 1)
    ) {
        self.name = name
        self.stream = stream
        self.logicalId = logicalId ?? LogicalID.derive(from: name)
        self.dependsOn = dependsOn
        self.tags = tags
        self.location = location
    }

    public var address: ResourceAddress { .consumer(name) }
}

/// Logical ids derived from names: alphanumerics only, PascalCase
/// (`xyz-kinesis-data-stream` → `XyzKinesisDataStream`), prefixed when they would
/// not start with a letter, cut to CloudFormation's 255 characters.
public enum LogicalID {
    public static func derive(from name: String) -> String {
        name.utf8.allSatisfy({ $0 < 0x80 }) ? deriveFromASCII(name) : deriveByCharacters(name)
    }

    static func deriveByCharacters(_ name: String) -> String {
        var result = ""
        var upperNext = true
        for character in name {
            if character.isASCII && (character.isLetter || character.isNumber) {
                result.append(upperNext ? Character(character.uppercased()) : character)
                upperNext = false
            } else {
                upperNext = true
            }
        }
        if result.first.map({ !$0.isLetter }) ?? true { result = "R" + result }
        return String(result.prefix(255))
    }

    /// The same for names of ASCII only (every valid stream and stack name), by bytes.
    static func deriveFromASCII(_ name: String) -> String {
        var result: [UInt8] = [UInt8(ascii: "R")]
        var upperNext = true
        for byte in name.utf8 {
            if byte.isASCIIAlphanumeric {
                result.append(upperNext && byte.isASCIILowercase ? byte - 32 : byte)
                upperNext = false
            } else {
                upperNext = true
            }
        }
        let startsWithLetter = result.count > 1 && result[1].isASCIILetter
        return String(decoding: result[(startsWithLetter ? 1 : 0)...].prefix(255), as: UTF8.self)
    }
}
