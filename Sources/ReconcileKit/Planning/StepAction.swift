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
    case putResourcePolicy(target: PolicyTarget, policy: ResourcePolicy)
    case deleteResourcePolicy(target: PolicyTarget)
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
        case .putResourcePolicy: .putResourcePolicy
        case .deleteResourcePolicy: .deleteResourcePolicy
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
        case .putResourcePolicy(let target, _), .deleteResourcePolicy(let target):
            target.streamName
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
        case .putResourcePolicy(let target, _), .deleteResourcePolicy(let target): target.reference
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

/// The resource a resource-policy call names: a stream or a consumer, either known when the plan is
/// made or created by the same apply (then a reference, resolved when the step runs).
public enum PolicyTarget: Sendable, Hashable {
    case stream(StreamTarget)
    case consumer(ConsumerTarget)

    public var streamName: String {
        switch self {
        case .stream(let target): target.name
        case .consumer(let target): target.stream
        }
    }

    var reference: StepReference? {
        switch self {
        case .stream(let target): target.reference
        case .consumer(.created(let stream, let consumer)): .consumerARN(stream: stream, consumer: consumer)
        case .consumer(.arn): nil
        }
    }
}

/// A consumer a call names by ARN, or one the same apply registers.
public enum ConsumerTarget: Sendable, Hashable {
    case arn(String, stream: String, consumer: String)
    case created(stream: String, consumer: String)

    public var stream: String {
        switch self {
        case .arn(_, let stream, _), .created(let stream, _): stream
        }
    }
}
