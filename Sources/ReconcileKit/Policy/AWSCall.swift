import AWSClient

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

    public var operation: AWSOperation
    public var region: String
    public var resource: Resource

    public init(_ operation: AWSOperation, region: String, _ resource: Resource) {
        self.operation = operation
        self.region = region
        self.resource = resource
    }
}
