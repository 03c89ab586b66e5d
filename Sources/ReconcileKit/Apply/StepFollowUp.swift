import AWSClient

/// How the applier makes sure one write has taken effect, and the reads that takes. The applier
/// branches on it (`StepContext`) and the policy generator grants its `reads`, so what is
/// granted is what runs.
public enum StepFollowUp: Sendable, Hashable {
    /// A stream-level change: wait until the stream is ACTIVE again. A busy stream is waited
    /// for and the call retried; after a failed call, a change already in place counts as done.
    case streamChange
    /// CreateStream: as a change, and a ResourceInUse answer is accepted when the stream's tags
    /// say an earlier attempt of ours created it (or it has none).
    case streamCreation
    /// Tag calls: in effect when AWS answers; a busy stream or a failed call as for a change.
    case streamTags
    /// DeleteStream: wait until the stream is gone; "not found" means already done.
    case streamDeletion
    /// RegisterStreamConsumer: wait until the consumer is ACTIVE; "in use" means already registered.
    case consumerRegistration
    /// DeregisterStreamConsumer: wait until the consumer is gone; "not found" means already done.
    case consumerDeregistration
    /// CreateStack and UpdateStack: follow the stack's new events until it settles.
    case stackChange
    /// DeleteStack: follow the stack's new events until it is gone.
    case stackDeletion
    /// In effect when AWS answers, with nothing to wait for or re-check (UpdateTerminationProtection,
    /// PutResourcePolicy: a policy does not change the stream's status).
    case immediate
    /// DeleteResourcePolicy: in effect when AWS answers; "not found" means already gone.
    case policyDeletion

    /// The reads the applier makes around the write.
    public var reads: [AWSOperation] {
        switch self {
        case .streamCreation: [.describeStreamSummary, .listTagsForStream]
        case .streamChange, .streamTags, .streamDeletion: [.describeStreamSummary]
        case .consumerRegistration, .consumerDeregistration: [.describeStreamConsumer]
        case .stackChange, .stackDeletion: [.describeStacks, .describeStackEvents]
        case .immediate, .policyDeletion: []
        }
    }

    /// Whether a busy stream or a failed call is checked against the stream's current state.
    var rechecksStream: Bool {
        switch self {
        case .streamChange, .streamCreation, .streamTags, .streamDeletion: true
        default: false
        }
    }
}

extension StepAction {
    public var followUp: StepFollowUp {
        switch self {
        case .createStream: .streamCreation
        case .deleteStream: .streamDeletion
        case .updateShardCount, .increaseRetention, .decreaseRetention, .startEncryption, .stopEncryption,
            .updateStreamMode, .enableMonitoring, .disableMonitoring, .updateMaxRecordSize, .updateWarmThroughput:
            .streamChange
        case .addTags, .removeTags: .streamTags
        case .registerConsumer: .consumerRegistration
        case .deregisterConsumer: .consumerDeregistration
        case .createStack, .updateStack: .stackChange
        case .deleteStack: .stackDeletion
        // A consumer's tags and a resource policy take effect at once and leave the stream's status alone.
        case .updateTerminationProtection, .putResourcePolicy, .tagConsumer, .untagConsumer: .immediate
        case .deleteResourcePolicy: .policyDeletion
        }
    }
}
