/// The AWS services reconcile talks to. The raw value is the SigV4 signing name and endpoint prefix.
public enum AWSService: String, Sendable, Hashable, CaseIterable {
    case kinesis
    case cloudformation
    case sts

    /// The suffix of the service-specific endpoint variable, e.g. `AWS_ENDPOINT_URL_KINESIS`.
    var endpointVariable: String { "AWS_ENDPOINT_URL_\(rawValue.uppercased())" }
}
