/// One HTTP attempt, as seen by the observer (e.g. `--verbose` logging).
///
/// Deliberately holds no headers, bodies or credentials, so nothing secret can leak through it.
public struct AWSRequestEvent: Sendable, Hashable, CustomStringConvertible {
    public var service: AWSService
    public var operation: String
    public var region: String
    /// 1 for the first try, 2 for the first retry, ...
    public var attempt: Int
    /// Nil when no answer arrived (connection failure, timeout).
    public var statusCode: Int?
    public var duration: Duration
    /// The AWS error code, or a short transport reason such as `ConnectionError` / `Timeout`.
    public var errorCode: String?
    public var willRetry: Bool
    /// The jittered wait before the next attempt when `willRetry` is true.
    public var retryDelay: Duration?

    public init(
        service: AWSService, operation: String, region: String, attempt: Int, statusCode: Int?, duration: Duration,
        errorCode: String?, willRetry: Bool, retryDelay: Duration? = nil
    ) {
        self.service = service
        self.operation = operation
        self.region = region
        self.attempt = attempt
        self.statusCode = statusCode
        self.duration = duration
        self.errorCode = errorCode
        self.willRetry = willRetry
        self.retryDelay = retryDelay
    }

    public var description: String {
        let status = statusCode.map(String.init) ?? "no response"
        let milliseconds = Self.milliseconds(duration)
        var text = "\(service.rawValue):\(operation) \(region) attempt \(attempt) → \(status) in \(milliseconds) ms"
        if let errorCode { text += " (\(errorCode))" }
        if willRetry { text += retryDelay.map { ", retrying in \(Self.milliseconds($0)) ms" } ?? ", retrying" }
        return text
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        Int((Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18) * 1000)
    }
}
