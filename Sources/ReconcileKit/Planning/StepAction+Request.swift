import AWSClient
import Formats

/// The typed request each action sends. Its own encoding (botocore's shape) is both what AWS
/// receives and what the plan document shows as the step's `parameters`.
extension StepAction {
    /// The parameters as the plan document shows them: a reference written as `${…}`.
    public var documentParameters: JSONValue {
        request { $0.documentText }.parameters
    }

    /// The request AWS receives, with the reference (if any) replaced by `resolve`'s value.
    func request(resolving resolve: (StepReference) -> String) -> StepRequest {
        func arn(_ target: StreamTarget) -> String {
            switch target {
            case .arn(let arn, _): arn
            case .created(let stream): resolve(.streamARN(stream: stream))
            }
        }
        func resourceARN(_ target: PolicyTarget) -> String {
            switch target {
            case .stream(let stream): arn(stream)
            case .consumer(.arn(let arn, _, _)): arn
            case .consumer(.created(let stream, let consumer)):
                resolve(.consumerARN(stream: stream, consumer: consumer))
            }
        }
        switch self {
        case .createStream(let stream, let mode, let shardCount, let tags, let maxRecordSize, let warmThroughput):
            return .kinesis(
                CreateStreamInput(
                    streamName: stream, streamMode: mode.rawValue, shardCount: shardCount, tags: tags,
                    maxRecordSizeKiB: maxRecordSize, warmThroughputMiBps: warmThroughput))
        case .deleteStream(let stream):
            return .kinesis(DeleteStreamInput(streamName: stream))
        case .updateShardCount(let stream, let target):
            return .kinesis(UpdateShardCountInput(streamName: stream, targetShardCount: target))
        case .increaseRetention(let stream, let hours):
            return .kinesis(
                StreamRetentionPeriodInput(streamName: stream, retentionPeriodHours: hours, direction: .increase))
        case .decreaseRetention(let stream, let hours):
            return .kinesis(
                StreamRetentionPeriodInput(streamName: stream, retentionPeriodHours: hours, direction: .decrease))
        case .startEncryption(let stream, let key):
            return .kinesis(StreamEncryptionInput(streamName: stream, keyId: key, toggle: .on))
        case .stopEncryption(let stream, let key):
            return .kinesis(StreamEncryptionInput(streamName: stream, keyId: key, toggle: .off))
        case .updateStreamMode(let target, let mode):
            return .kinesis(UpdateStreamModeInput(streamARN: arn(target), streamMode: mode.rawValue))
        case .enableMonitoring(let stream, let metrics):
            return .kinesis(EnhancedMonitoringInput(streamName: stream, shardLevelMetrics: metrics, toggle: .on))
        case .disableMonitoring(let stream, let metrics):
            return .kinesis(EnhancedMonitoringInput(streamName: stream, shardLevelMetrics: metrics, toggle: .off))
        case .addTags(let stream, let tags):
            return .kinesis(AddTagsToStreamInput(streamName: stream, tags: tags))
        case .removeTags(let stream, let keys):
            return .kinesis(RemoveTagsFromStreamInput(streamName: stream, tagKeys: keys))
        case .registerConsumer(let target, let consumer, let tags):
            return .kinesis(RegisterStreamConsumerInput(streamARN: arn(target), consumerName: consumer, tags: tags))
        case .updateMaxRecordSize(let target, let kibibytes):
            return .kinesis(UpdateMaxRecordSizeInput(streamARN: arn(target), maxRecordSizeKiB: kibibytes))
        case .updateWarmThroughput(let target, let mebibytesPerSecond):
            return .kinesis(
                UpdateStreamWarmThroughputInput(streamARN: arn(target), warmThroughputMiBps: mebibytesPerSecond))
        case .tagConsumer(let consumerARN, let tags):
            return .kinesis(TagResourceInput(resourceARN: consumerARN, tags: tags))
        case .untagConsumer(let consumerARN, let keys):
            return .kinesis(UntagResourceInput(resourceARN: consumerARN, tagKeys: keys))
        case .deregisterConsumer(let consumerARN):
            return .kinesis(DeregisterStreamConsumerInput(consumerARN: consumerARN))
        case .putResourcePolicy(let target, let policy):
            return .kinesis(PutResourcePolicyInput(resourceARN: resourceARN(target), policy: policy.policyText))
        case .deleteResourcePolicy(let target):
            return .kinesis(DeleteResourcePolicyInput(resourceARN: resourceARN(target)))
        case .createStack(let request):
            return .cloudFormation(StackTemplateInput(.create, request))
        case .updateStack(let request):
            return .cloudFormation(StackTemplateInput(.update, request))
        case .deleteStack(let stack):
            return .cloudFormation(DeleteStackInput(stackName: stack))
        case .updateTerminationProtection(let stack, let enabled):
            return .cloudFormation(
                UpdateTerminationProtectionInput(stackName: stack, enableTerminationProtection: enabled))
        }
    }
}

/// A step's typed request, by the service that takes it.
enum StepRequest: Sendable {
    case kinesis(any KinesisRequest)
    case cloudFormation(any CloudFormationRequest)

    var parameters: JSONValue {
        switch self {
        case .kinesis(let request): request.parameters
        case .cloudFormation(let request): request.parameters
        }
    }
}
