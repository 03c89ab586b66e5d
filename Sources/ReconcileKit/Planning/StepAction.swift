import AWSClient
import Formats

/// What one plan step does, with typed payloads. The plan document still writes each step as
/// `operation` plus botocore-shaped `parameters` (formatVersion 1); `init(operation:parameters:)`
/// reads them back.
public enum StepAction: Sendable, Hashable {
    case createStream(
        stream: String, mode: StreamMode, shardCount: Int?, tags: [String: String], maxRecordSizeKiB: Int? = nil,
        warmThroughputMiBps: Int? = nil)
    case deleteStream(stream: String)
    case updateShardCount(stream: String, target: Int)
    case increaseRetention(stream: String, hours: Int)
    case decreaseRetention(stream: String, hours: Int)
    case startEncryption(stream: String, keyId: String)
    case stopEncryption(stream: String, keyId: String)
    case updateStreamMode(stream: StreamTarget, mode: StreamMode)
    case enableMonitoring(stream: String, metrics: [String])
    case disableMonitoring(stream: String, metrics: [String])
    case addTags(stream: String, tags: [String: String])
    case removeTags(stream: String, keys: [String])
    case registerConsumer(stream: StreamTarget, consumer: String, tags: [String: String] = [:])
    case deregisterConsumer(consumerARN: String)
    case updateMaxRecordSize(stream: StreamTarget, kibibytes: Int)
    case updateWarmThroughput(stream: StreamTarget, mebibytesPerSecond: Int)
    /// Tags of an existing consumer, by ARN (a new one gets its tags with RegisterStreamConsumer).
    case tagConsumer(consumerARN: String, tags: [String: String])
    case untagConsumer(consumerARN: String, keys: [String])
    case createStack(StackRequest)
    case updateStack(StackRequest)
    case deleteStack(stack: String)
    case updateTerminationProtection(stack: String, enabled: Bool)

    public var operation: AWSOperation {
        switch self {
        case .createStream: .createStream
        case .deleteStream: .deleteStream
        case .updateShardCount: .updateShardCount
        case .increaseRetention: .increaseStreamRetentionPeriod
        case .decreaseRetention: .decreaseStreamRetentionPeriod
        case .startEncryption: .startStreamEncryption
        case .stopEncryption: .stopStreamEncryption
        case .updateStreamMode: .updateStreamMode
        case .enableMonitoring: .enableEnhancedMonitoring
        case .disableMonitoring: .disableEnhancedMonitoring
        case .addTags: .addTagsToStream
        case .removeTags: .removeTagsFromStream
        case .registerConsumer: .registerStreamConsumer
        case .deregisterConsumer: .deregisterStreamConsumer
        case .updateMaxRecordSize: .updateMaxRecordSize
        case .updateWarmThroughput: .updateStreamWarmThroughput
        case .tagConsumer: .tagResource
        case .untagConsumer: .untagResource
        case .createStack: .createStack
        case .updateStack: .updateStack
        case .deleteStack: .deleteStack
        case .updateTerminationProtection: .updateTerminationProtection
        }
    }

    /// The stream an action waits on, by name (nil for consumer deregistration and stacks).
    public var streamName: String? {
        switch self {
        case .createStream(let stream, _, _, _, _, _), .deleteStream(let stream), .updateShardCount(let stream, _),
            .increaseRetention(let stream, _), .decreaseRetention(let stream, _), .startEncryption(let stream, _),
            .stopEncryption(let stream, _), .enableMonitoring(let stream, _), .disableMonitoring(let stream, _),
            .addTags(let stream, _), .removeTags(let stream, _):
            stream
        case .updateStreamMode(let target, _), .registerConsumer(let target, _, _),
            .updateMaxRecordSize(let target, _), .updateWarmThroughput(let target, _):
            target.name
        case .tagConsumer(let consumerARN, _), .untagConsumer(let consumerARN, _):
            Self.streamName(ofConsumerARN: consumerARN)
        case .deregisterConsumer, .createStack, .updateStack, .deleteStack, .updateTerminationProtection:
            nil
        }
    }

    /// `arn:aws:kinesis:REGION:ACCOUNT:stream/NAME/consumer/CONSUMER:EPOCH` → NAME.
    static func streamName(ofConsumerARN arn: String) -> String? {
        guard let afterStream = arn.split(separator: ":stream/", maxSplits: 1).last, arn.contains(":stream/") else {
            return nil
        }
        return afterStream.split(separator: "/").first.map(String.init)
    }

    /// The value this action needs from an earlier step, if any.
    public var reference: StepReference? {
        switch self {
        case .updateStreamMode(let target, _), .registerConsumer(let target, _, _), .updateMaxRecordSize(let target, _),
            .updateWarmThroughput(let target, _):
            target.reference
        default: nil
        }
    }
}

/// A stream a call names by ARN: known when the plan is made, or a reference to a stream the
/// same apply creates. References are values of their own, never read out of parameter text.
public enum StreamTarget: Sendable, Hashable {
    case arn(String, stream: String)
    case created(stream: String)

    public var name: String {
        switch self {
        case .arn(_, let stream), .created(let stream): stream
        }
    }

    var reference: StepReference? {
        if case .created(let stream) = self { return .streamARN(stream: stream) }
        return nil
    }
}

/// What CreateStack and UpdateStack send.
public struct StackRequest: Sendable, Hashable {
    public var stack: String
    public var templateBody: String
    /// Sorted by key, as the request lists them.
    public var tags: [String: String]
    public var parameters: [String: String]
    public var capabilities: [String]
    /// Only CreateStack sets it, and only when true.
    public var enableTerminationProtection: Bool
    public var clientRequestToken: String
}
