/// The Kinesis error codes reconcile acts on; any other code is kept as `.other`.
public enum KinesisErrorCode: RawRepresentable, Sendable, Hashable {
    case resourceInUse
    case resourceNotFound
    case other(String)

    /// From the code on the wire (`ResourceInUseException`, ...).
    public init(rawValue: String) {
        switch rawValue {
        case "ResourceInUseException": self = .resourceInUse
        case "ResourceNotFoundException": self = .resourceNotFound
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .resourceInUse: "ResourceInUseException"
        case .resourceNotFound: "ResourceNotFoundException"
        case .other(let code): code
        }
    }
}

/// The CloudFormation error codes reconcile acts on; any other code is kept as `.other`.
public enum CloudFormationErrorCode: RawRepresentable, Sendable, Hashable {
    case validationError
    case alreadyExists
    case other(String)

    /// From the code on the wire (`ValidationError`, `AlreadyExistsException`, ...).
    public init(rawValue: String) {
        switch rawValue {
        case "ValidationError": self = .validationError
        case "AlreadyExistsException": self = .alreadyExists
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .validationError: "ValidationError"
        case .alreadyExists: "AlreadyExistsException"
        case .other(let code): code
        }
    }
}

extension AWSError {
    /// The code as a Kinesis code; nil for an answer of another service.
    public var kinesisCode: KinesisErrorCode? { service == .kinesis ? KinesisErrorCode(rawValue: code) : nil }

    /// The code as a CloudFormation code; nil for an answer of another service.
    public var cloudFormationCode: CloudFormationErrorCode? {
        service == .cloudformation ? CloudFormationErrorCode(rawValue: code) : nil
    }

    /// CloudFormation answers a missing stack with `ValidationError` "Stack with id X does not exist".
    public var isMissingStack: Bool { cloudFormationCode == .validationError && message.contains("does not exist") }

    /// CloudFormation's answer to an UpdateStack that would change nothing.
    public var isNoStackUpdate: Bool {
        cloudFormationCode == .validationError && message.contains("No updates are to be performed")
    }
}
