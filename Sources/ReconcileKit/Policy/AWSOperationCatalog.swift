/// Every AWS operation reconcile calls, as `service:Operation` (the plan's step names),
/// with the IAM actions it needs and what it acts on. The policy generator reads only
/// this table; a unit test checks that every operation the planner can emit, every read
/// of the live-state reader, the applier's waits and the verifier, and every operation
/// the service clients send is in it, so the printed policy cannot drift from the code.
public enum AWSOperationCatalog {
    /// What an operation's IAM resource is.
    public enum Target: Sendable, Hashable {
        /// `arn:aws:kinesis:REGION:ACCOUNT:stream/NAME`
        case stream
        /// `arn:aws:kinesis:REGION:ACCOUNT:stream/NAME/consumer/CONSUMER:*`
        case consumer
        /// `arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/*`
        case stack
        /// A listing with no resource type (`*`).
        case account
        /// Needs no permission (sts:GetCallerIdentity).
        case none
    }

    public struct Entry: Sendable, Hashable {
        public var operation: String
        /// IAM actions the call is authorized against.
        public var actions: [String]
        public var target: Target
    }

    static func entry(_ operation: String, _ target: Target, actions: [String]? = nil) -> (String, Entry) {
        (operation, Entry(operation: operation, actions: actions ?? [operation], target: target))
    }

    public static let entries: [String: Entry] = Dictionary(
        uniqueKeysWithValues: [
            // Kinesis: reads
            entry("kinesis:DescribeStreamSummary", .stream),
            entry("kinesis:ListTagsForStream", .stream),
            entry("kinesis:ListStreamConsumers", .stream),
            entry("kinesis:DescribeStreamConsumer", .consumer),
            entry("kinesis:ListShards", .stream),
            entry("kinesis:ListStreams", .account),
            // Kinesis: writes the planner emits. CreateStream carries Tags, which AWS
            // authorizes as AddTagsToStream too (tag on create).
            entry("kinesis:CreateStream", .stream, actions: ["kinesis:CreateStream", "kinesis:AddTagsToStream"]),
            entry("kinesis:DeleteStream", .stream),
            entry("kinesis:UpdateShardCount", .stream),
            entry("kinesis:IncreaseStreamRetentionPeriod", .stream),
            entry("kinesis:DecreaseStreamRetentionPeriod", .stream),
            entry("kinesis:StartStreamEncryption", .stream),
            entry("kinesis:StopStreamEncryption", .stream),
            entry("kinesis:UpdateStreamMode", .stream),
            entry("kinesis:EnableEnhancedMonitoring", .stream),
            entry("kinesis:DisableEnhancedMonitoring", .stream),
            entry("kinesis:AddTagsToStream", .stream),
            entry("kinesis:RemoveTagsFromStream", .stream),
            entry("kinesis:RegisterStreamConsumer", .stream),
            entry("kinesis:DeregisterStreamConsumer", .consumer),
            // Kinesis: data plane (verify)
            entry("kinesis:PutRecord", .stream),
            entry("kinesis:GetShardIterator", .stream),
            entry("kinesis:GetRecords", .stream),
            // CloudFormation
            entry("cloudformation:DescribeStacks", .stack),
            entry("cloudformation:GetTemplate", .stack),
            entry("cloudformation:DescribeStackEvents", .stack),
            entry("cloudformation:ListStackResources", .stack),
            entry("cloudformation:CreateStack", .stack),
            entry("cloudformation:UpdateStack", .stack),
            entry("cloudformation:DeleteStack", .stack),
            entry("cloudformation:UpdateTerminationProtection", .stack),
            // STS: who am I (policy's account id); allowed for every principal.
            entry("sts:GetCallerIdentity", .none, actions: []),
        ])

    public static func entry(for operation: String) -> Entry? { entries[operation] }

    /// What CloudFormation calls with the caller's credentials (no service role) for
    /// the Kinesis resource types reconcile synthesizes, by handler. From the
    /// `handlers.*.permissions` of the AWS::Kinesis::Stream and AWS::Kinesis::StreamConsumer
    /// resource-provider schemas (aws-cloudformation-resource-providers-kinesis).
    public enum Handler: String, Sendable, CaseIterable {
        case create, read, update, delete
    }

    public static let streamHandlerPermissions: [Handler: [String]] = [
        .create: [
            "kinesis:AddTagsToStream", "kinesis:CreateStream", "kinesis:DescribeStreamSummary",
            "kinesis:EnableEnhancedMonitoring", "kinesis:IncreaseStreamRetentionPeriod", "kinesis:ListTagsForStream",
            "kinesis:StartStreamEncryption",
        ],
        .read: ["kinesis:DescribeStreamSummary", "kinesis:ListTagsForStream"],
        .update: [
            "kinesis:AddTagsToStream", "kinesis:DecreaseStreamRetentionPeriod", "kinesis:DescribeStreamSummary",
            "kinesis:DisableEnhancedMonitoring", "kinesis:EnableEnhancedMonitoring", "kinesis:IncreaseStreamRetentionPeriod",
            "kinesis:ListTagsForStream", "kinesis:RemoveTagsFromStream", "kinesis:StartStreamEncryption",
            "kinesis:StopStreamEncryption", "kinesis:UpdateShardCount", "kinesis:UpdateStreamMode",
        ],
        .delete: ["kinesis:DeleteStream", "kinesis:DescribeStreamSummary", "kinesis:RemoveTagsFromStream"],
    ]

    public static let consumerHandlerPermissions: [Handler: [String]] = [
        .create: ["kinesis:DescribeStreamConsumer", "kinesis:RegisterStreamConsumer"],
        .read: ["kinesis:DescribeStreamConsumer"],
        .update: [],
        .delete: ["kinesis:DeregisterStreamConsumer", "kinesis:DescribeStreamConsumer"],
    ]
}
