/// One AWS API call reconcile makes, defined once: the service clients send it, the rate
/// limiter paces it, plan steps name it, and the policy generator grants its IAM actions.
public struct AWSOperation: Sendable, Hashable, CustomStringConvertible {
    /// Whether the call changes anything in AWS.
    public enum Access: Sendable, Hashable {
        case read, write
    }

    /// What an operation's IAM resource is.
    public enum IAMResource: Sendable, Hashable {
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

    public let service: AWSService
    /// The API name, e.g. `UpdateShardCount`.
    public let name: String
    public let access: Access
    public let iamResource: IAMResource
    /// IAM actions the call is authorized against (usually just `iamPrefix:Name`).
    public let iamActions: [String]
    /// The client-side rate bucket it draws from (`RateLimits`).
    public let rateFamily: String

    init(
        _ service: AWSService, _ name: String, _ access: Access, _ iamResource: IAMResource,
        iamActions: [String]? = nil, rateFamily: String? = nil
    ) {
        self.service = service
        self.name = name
        self.access = access
        self.iamResource = iamResource
        self.iamActions = iamActions ?? ["\(service.iamPrefix):\(name)"]
        self.rateFamily = rateFamily ?? "\(service.rawValue):\(name)"
    }

    /// `service:Name`, as plan steps and IAM write it.
    public var description: String { "\(service.rawValue):\(name)" }

    /// The operation a plan step names (`kinesis:UpdateShardCount`); nil for one reconcile never calls.
    public static func named(_ text: String) -> AWSOperation? { byName[text] }

    /// The operation of a service's API name; nil for one reconcile never calls.
    public static func of(_ service: AWSService, _ name: String) -> AWSOperation? {
        byName["\(service.rawValue):\(name)"]
    }

    private static let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.description, $0) })
}
