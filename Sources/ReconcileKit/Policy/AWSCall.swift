/// One AWS call reconcile makes, with what it acts on: the unit the policy generator
/// turns into IAM statements.
public struct AWSCall: Sendable, Hashable {
    public enum Resource: Sendable, Hashable {
        case stream(String)
        case consumer(stream: String, name: String)
        case stack(String)
        /// Every stream or every stack of the region (discovery of undeclared resources).
        case everyStream, everyStack
        /// An operation with no resource type (listings).
        case account
    }

    /// `service:Operation`, as in `AWSOperationCatalog`.
    public var operation: String
    public var region: String
    public var resource: Resource

    public init(_ operation: String, region: String, _ resource: Resource) {
        self.operation = operation
        self.region = region
        self.resource = resource
    }
}

extension LiveStateReader {
    /// Every call `read(desired:…)` makes for these manifests (kept next to `read`, whose
    /// branches it mirrors): the reads plan, apply and destroy need.
    public static func calls(
        desired: DesiredState, regions: [ResourceAddress: String], discoverUndeclared: Bool, readAllConsumers: Bool
    ) -> [AWSCall] {
        var calls: [AWSCall] = []
        for stack in desired.stacks {
            let region = regions[stack.address] ?? ""
            calls.append(AWSCall("cloudformation:DescribeStacks", region: region, .stack(stack.name)))
            calls.append(AWSCall("cloudformation:GetTemplate", region: region, .stack(stack.name)))
        }
        for stream in desired.streams {
            let region = regions[stream.address] ?? ""
            calls.append(AWSCall("kinesis:DescribeStreamSummary", region: region, .stream(stream.name)))
            calls.append(AWSCall("kinesis:ListTagsForStream", region: region, .stream(stream.name)))
            if stream.stack == nil && (readAllConsumers || !desired.consumers(ofStream: stream.name).isEmpty) {
                calls.append(AWSCall("kinesis:ListStreamConsumers", region: region, .stream(stream.name)))
            }
        }
        if discoverUndeclared {
            for region in Set(regions.values).sorted() {
                calls.append(AWSCall("cloudformation:DescribeStacks", region: region, .account))
                calls.append(AWSCall("kinesis:ListStreams", region: region, .account))
                // Tags of every stream not declared, to find this project's; then the summary
                // of those; and the template of every undeclared stack tagged for the project.
                calls.append(AWSCall("kinesis:ListTagsForStream", region: region, .everyStream))
                calls.append(AWSCall("kinesis:DescribeStreamSummary", region: region, .everyStream))
                calls.append(AWSCall("cloudformation:GetTemplate", region: region, .everyStack))
            }
        }
        return calls
    }
}

extension Applier {
    /// The reads the applier makes around one write step (waits, "already done" checks,
    /// stack events), by the step's operation. Kept next to `StepContext`, whose
    /// branches it mirrors.
    public static func followUpOperations(of operation: String) -> [String] {
        switch operation {
        case "kinesis:CreateStream":
            // ListTagsForStream: a ResourceInUseException from our own earlier attempt.
            ["kinesis:DescribeStreamSummary", "kinesis:ListTagsForStream"]
        case "kinesis:RegisterStreamConsumer", "kinesis:DeregisterStreamConsumer":
            ["kinesis:DescribeStreamConsumer"]
        case "cloudformation:UpdateTerminationProtection":
            []
        case let write where write.hasPrefix("cloudformation:"):
            ["cloudformation:DescribeStacks", "cloudformation:DescribeStackEvents"]
        case let write where write.hasPrefix("kinesis:"):
            // Waits until ACTIVE (or gone), and checks whether a failed call's effect is in place.
            ["kinesis:DescribeStreamSummary"]
        default:
            []
        }
    }

    /// `${Stream/NAME.StreamARN}` parameters are resolved with DescribeStreamSummary.
    public static let referenceResolution = "kinesis:DescribeStreamSummary"
}

extension StreamVerifier {
    /// The calls `verify(stream:region:)` makes, in order.
    public static let operations = [
        "kinesis:DescribeStreamSummary", "kinesis:PutRecord", "kinesis:GetShardIterator", "kinesis:GetRecords",
    ]
}
