/// The AWS services reconcile talks to. The raw value is the SigV4 signing name and endpoint prefix.
public enum AWSService: String, Sendable, Hashable, CaseIterable {
    case kinesis
    case cloudformation
    case sts
    /// The Resource Groups Tagging API (`tagging.<region>.amazonaws.com`): tags of many resources at once.
    case tagging

    /// The prefix of its IAM actions (`tag:GetResources`); the signing name for the others.
    public var iamPrefix: String {
        switch self {
        case .tagging: "tag"
        default: rawValue
        }
    }

    /// The service-specific endpoint variable: `AWS_ENDPOINT_URL_` and botocore's service id in
    /// upper snake case (`AWS_ENDPOINT_URL_KINESIS`, `AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API`).
    var endpointVariable: String {
        switch self {
        case .tagging: "AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API"
        default: "AWS_ENDPOINT_URL_\(rawValue.uppercased())"
        }
    }
}
