import AWSClient

/// What CloudFormation calls with the caller's credentials (no service role) for the Kinesis
/// resource types reconcile synthesizes, by handler. From the `handlers.*.permissions` of the
/// AWS::Kinesis::Stream and AWS::Kinesis::StreamConsumer resource-provider schemas
/// (aws-cloudformation-resource-providers-kinesis).
public enum CloudFormationHandler: String, Sendable, CaseIterable {
    case create, read, update, delete

    public var streamOperations: [AWSOperation] {
        switch self {
        case .create:
            [
                .addTagsToStream, .createStream, .describeStreamSummary, .enableEnhancedMonitoring,
                .increaseStreamRetentionPeriod, .listTagsForStream, .startStreamEncryption
            ]
        case .read: [.describeStreamSummary, .listTagsForStream]
        case .update:
            [
                .addTagsToStream, .decreaseStreamRetentionPeriod, .describeStreamSummary, .disableEnhancedMonitoring,
                .enableEnhancedMonitoring, .increaseStreamRetentionPeriod, .listTagsForStream, .removeTagsFromStream,
                .startStreamEncryption, .stopStreamEncryption, .updateShardCount, .updateStreamMode,
                // MaxRecordSizeInKiB and WarmThroughputMiBps change in place with their own calls.
                .updateMaxRecordSize, .updateStreamWarmThroughput
            ]
        case .delete: [.deleteStream, .describeStreamSummary, .removeTagsFromStream]
        }
    }

    public var consumerOperations: [AWSOperation] {
        switch self {
        // Tags: RegisterStreamConsumer's Tags, changed on the consumer's ARN.
        case .create: [.describeStreamConsumer, .listTagsForResource, .registerStreamConsumer, .tagResource]
        case .read: [.describeStreamConsumer, .listTagsForResource]
        case .update: [.listTagsForResource, .tagResource, .untagResource]
        case .delete: [.deregisterStreamConsumer, .describeStreamConsumer]
        }
    }
}
