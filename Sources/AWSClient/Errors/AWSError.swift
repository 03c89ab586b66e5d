/// An error answer from an AWS service, decoded from the protocol's error body.
///
/// `code` is the AWS error code (`ValidationError`, `ResourceNotFoundException`, ...), with any
/// JSON `namespace#` prefix removed. The description never contains credentials or signatures:
/// it is built only from the service's answer.
public struct AWSError: Error, Sendable, Hashable, CustomStringConvertible {
    public var service: AWSService
    public var operation: String
    public var statusCode: Int
    public var code: String
    public var message: String
    public var requestId: String?

    public init(
        service: AWSService, operation: String, statusCode: Int, code: String, message: String, requestId: String?
    ) {
        self.service = service
        self.operation = operation
        self.statusCode = statusCode
        self.code = code
        self.message = message
        self.requestId = requestId
    }

    /// Codes AWS uses to say "slow down" (botocore's standard retry mode list, trimmed to our services).
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException"
    ]

    /// Transient codes that botocore's standard mode retries although they are not throttling.
    public static let transientCodes: Set<String> = [
        "RequestTimeout", "RequestTimeoutException", "PriorRequestNotComplete", "InternalError", "InternalFailure",
        "ServiceUnavailable"
    ]

    /// HTTP statuses retried whatever the code says.
    public static let retryableStatusCodes: Set<Int> = [500, 502, 503, 504]

    public var isThrottling: Bool { Self.throttlingCodes.contains(code) }

    /// Throttling, transient codes and 5xx gateway/server errors are retried; validation,
    /// authorization and not-found errors are not.
    public var isRetryable: Bool {
        isThrottling || Self.transientCodes.contains(code) || Self.retryableStatusCodes.contains(statusCode)
    }

    public var description: String {
        var text = "\(service.rawValue):\(operation) failed with \(code) (HTTP \(statusCode))"
        if !message.isEmpty { text += ": \(message)" }
        if let requestId { text += " [request id \(requestId)]" }
        return text
    }
}
