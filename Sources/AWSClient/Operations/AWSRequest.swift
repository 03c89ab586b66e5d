import Formats

/// The typed input of one operation, encoding itself in botocore's JSON shape. That encoding is
/// the only one: the client sends it, and a plan document shows the same parameters.
///
/// A new call is a struct conforming to `KinesisRequest` (or `CloudFormationRequest`) next to
/// its siblings, naming its `AWSOperation` and writing its `parameters`.
public protocol AWSRequest: Sendable, Hashable {
    var operation: AWSOperation { get }

    /// The request's members as botocore's service model names them.
    var parameters: JSONValue { get }
}

/// A request `KinesisClient.send(_:)` takes.
public protocol KinesisRequest: AWSRequest {}

/// A request `CloudFormationClient.send(_:)` takes.
public protocol CloudFormationRequest: AWSRequest {}

/// Which of a pair of calls that take the same members a request is (AWS has one per direction).
public enum Toggle: Sendable, Hashable {
    case on, off
}
