/// The Resource Groups Tagging API error codes reconcile acts on; any other code is kept as `.other`.
public enum TaggingErrorCode: RawRepresentable, Sendable, Hashable {
    /// The caller may not call the operation (IAM said no).
    case accessDenied
    /// A `PaginationToken` older than 15 minutes.
    case paginationTokenExpired
    case other(String)

    /// From the code on the wire (`AccessDeniedException`, ...). `AccessDenied` is the query
    /// protocols' spelling, which some endpoints (moto's IAM check) answer every service with.
    public init(rawValue: String) {
        switch rawValue {
        case "AccessDeniedException", "AccessDenied": self = .accessDenied
        case "PaginationTokenExpiredException": self = .paginationTokenExpired
        default: self = .other(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .accessDenied: "AccessDeniedException"
        case .paginationTokenExpired: "PaginationTokenExpiredException"
        case .other(let code): code
        }
    }
}

extension AWSError {
    /// The code as a Tagging API code; nil for an answer of another service.
    public var taggingCode: TaggingErrorCode? { service == .tagging ? TaggingErrorCode(rawValue: code) : nil }
}
