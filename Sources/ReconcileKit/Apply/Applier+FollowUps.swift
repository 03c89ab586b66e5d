import AWSClient

extension Applier {
    /// The reads the applier makes around one write step (waits, "already done" checks,
    /// stack events), by the step's operation. Kept next to `StepContext`, whose
    /// branches it mirrors.
    public static func followUpOperations(of operation: AWSOperation) -> [AWSOperation] {
        switch operation {
        case .createStream:
            // ListTagsForStream: a ResourceInUseException from our own earlier attempt.
            [.describeStreamSummary, .listTagsForStream]
        case .registerStreamConsumer, .deregisterStreamConsumer:
            [.describeStreamConsumer]
        case .updateTerminationProtection, .tagResource, .untagResource:
            // Tag calls take effect at once; termination protection is answered in the call.
            []
        case let write where write.service == .cloudformation:
            [.describeStacks, .describeStackEvents]
        case let write where write.service == .kinesis:
            // Waits until ACTIVE (or gone), and checks whether a failed call's effect is in place.
            [.describeStreamSummary]
        default:
            []
        }
    }

    /// Step references (a new stream's ARN) are resolved with DescribeStreamSummary.
    public static let referenceResolution = AWSOperation.describeStreamSummary
}
