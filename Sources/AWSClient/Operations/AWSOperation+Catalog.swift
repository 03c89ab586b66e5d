/// Every operation reconcile calls.
extension AWSOperation {
    // Kinesis: reads.
    public static let describeStreamSummary = AWSOperation(.kinesis, "DescribeStreamSummary", .read, .stream)
    public static let listTagsForStream = AWSOperation(
        .kinesis, "ListTagsForStream", .read, .stream, rateFamily: tagsFamily)
    public static let listStreamConsumers = AWSOperation(.kinesis, "ListStreamConsumers", .read, .stream)
    public static let describeStreamConsumer = AWSOperation(.kinesis, "DescribeStreamConsumer", .read, .consumer)
    public static let listShards = AWSOperation(.kinesis, "ListShards", .read, .stream)
    public static let listStreams = AWSOperation(.kinesis, "ListStreams", .read, .account)
    /// The account's shard and on-demand stream quotas and usage in a region (plan-time checks).
    public static let describeLimits = AWSOperation(.kinesis, "DescribeLimits", .read, .account)
    /// On a stream or a consumer ARN; the IAM resource of each call says which.
    public static let getResourcePolicy = AWSOperation(.kinesis, "GetResourcePolicy", .read, .stream)
    /// Tags of a consumer, by its ARN.
    public static let listTagsForResource = AWSOperation(
        .kinesis, "ListTagsForResource", .read, .consumer, rateFamily: tagsFamily)

    // Kinesis: writes. CreateStream carries Tags, which AWS authorizes as AddTagsToStream too.
    public static let createStream = AWSOperation(
        .kinesis, "CreateStream", .write, .stream, iamActions: ["kinesis:CreateStream", "kinesis:AddTagsToStream"],
        rateFamily: createDeleteFamily)
    public static let deleteStream = AWSOperation(
        .kinesis, "DeleteStream", .write, .stream, rateFamily: createDeleteFamily)
    public static let updateShardCount = AWSOperation(.kinesis, "UpdateShardCount", .write, .stream)
    public static let increaseStreamRetentionPeriod = AWSOperation(
        .kinesis, "IncreaseStreamRetentionPeriod", .write, .stream)
    public static let decreaseStreamRetentionPeriod = AWSOperation(
        .kinesis, "DecreaseStreamRetentionPeriod", .write, .stream)
    public static let startStreamEncryption = AWSOperation(.kinesis, "StartStreamEncryption", .write, .stream)
    public static let stopStreamEncryption = AWSOperation(.kinesis, "StopStreamEncryption", .write, .stream)
    public static let updateStreamMode = AWSOperation(.kinesis, "UpdateStreamMode", .write, .stream)
    public static let enableEnhancedMonitoring = AWSOperation(.kinesis, "EnableEnhancedMonitoring", .write, .stream)
    public static let disableEnhancedMonitoring = AWSOperation(.kinesis, "DisableEnhancedMonitoring", .write, .stream)
    public static let addTagsToStream = AWSOperation(
        .kinesis, "AddTagsToStream", .write, .stream, rateFamily: tagsFamily)
    public static let removeTagsFromStream = AWSOperation(
        .kinesis, "RemoveTagsFromStream", .write, .stream, rateFamily: tagsFamily)
    public static let registerStreamConsumer = AWSOperation(.kinesis, "RegisterStreamConsumer", .write, .stream)
    public static let deregisterStreamConsumer = AWSOperation(
        .kinesis, "DeregisterStreamConsumer", .write, .consumer)
    public static let putResourcePolicy = AWSOperation(.kinesis, "PutResourcePolicy", .write, .stream)
    public static let deleteResourcePolicy = AWSOperation(.kinesis, "DeleteResourcePolicy", .write, .stream)
    public static let updateMaxRecordSize = AWSOperation(.kinesis, "UpdateMaxRecordSize", .write, .stream)
    public static let updateStreamWarmThroughput = AWSOperation(
        .kinesis, "UpdateStreamWarmThroughput", .write, .stream)
    /// Tag and untag a consumer, by its ARN.
    public static let tagResource = AWSOperation(.kinesis, "TagResource", .write, .consumer, rateFamily: tagsFamily)
    public static let untagResource = AWSOperation(
        .kinesis, "UntagResource", .write, .consumer, rateFamily: tagsFamily)

    // Kinesis: data plane (verify).
    public static let putRecord = AWSOperation(.kinesis, "PutRecord", .write, .stream)
    public static let getShardIterator = AWSOperation(.kinesis, "GetShardIterator", .read, .stream)
    public static let getRecords = AWSOperation(.kinesis, "GetRecords", .read, .stream)

    // CloudFormation.
    public static let describeStacks = AWSOperation(.cloudformation, "DescribeStacks", .read, .stack)
    public static let getTemplate = AWSOperation(.cloudformation, "GetTemplate", .read, .stack)
    public static let describeStackEvents = AWSOperation(.cloudformation, "DescribeStackEvents", .read, .stack)
    public static let listStackResources = AWSOperation(.cloudformation, "ListStackResources", .read, .stack)
    public static let createStack = AWSOperation(.cloudformation, "CreateStack", .write, .stack)
    public static let updateStack = AWSOperation(.cloudformation, "UpdateStack", .write, .stack)
    public static let deleteStack = AWSOperation(.cloudformation, "DeleteStack", .write, .stack)
    public static let updateTerminationProtection = AWSOperation(
        .cloudformation, "UpdateTerminationProtection", .write, .stack)

    // Resource Groups Tagging API (IAM `tag:GetResources`): the tags of a region's streams in
    // pages. No resource-level scope exists for it; it has a quota of its own.
    public static let getResources = AWSOperation(.tagging, "GetResources", .read, .account)

    // STS: who am I (policy's account id); allowed for every principal.
    public static let getCallerIdentity = AWSOperation(.sts, "GetCallerIdentity", .read, .none, iamActions: [])

    /// Tag calls share one Kinesis quota; so do CreateStream and DeleteStream.
    public static let tagsFamily = "kinesis:Tags"
    public static let createDeleteFamily = "kinesis:CreateDeleteStream"

    public static let all: [AWSOperation] = [
        .describeStreamSummary, .listTagsForStream, .listStreamConsumers, .describeStreamConsumer, .listShards,
        .listStreams, .describeLimits, .createStream, .deleteStream, .updateShardCount, .increaseStreamRetentionPeriod,
        .decreaseStreamRetentionPeriod, .startStreamEncryption, .stopStreamEncryption, .updateStreamMode,
        .enableEnhancedMonitoring, .disableEnhancedMonitoring, .addTagsToStream, .removeTagsFromStream,
        .registerStreamConsumer, .deregisterStreamConsumer, .getResourcePolicy, .putResourcePolicy,
        .deleteResourcePolicy, .listTagsForResource, .updateMaxRecordSize, .updateStreamWarmThroughput, .tagResource,
        .untagResource, .putRecord, .getShardIterator, .getRecords,
        .describeStacks, .getTemplate, .describeStackEvents, .listStackResources, .createStack, .updateStack,
        .deleteStack, .updateTerminationProtection, .getResources, .getCallerIdentity
    ]
}
