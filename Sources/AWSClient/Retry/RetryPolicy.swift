/// How often and how patiently failed calls are retried (botocore's "standard" mode).
///
/// Attempt `n` (1-based) that failed with a retryable error waits a random time in
/// `0 ... min(maxDelay, baseDelay * 2^(n-1))` ("full jitter") before attempt `n + 1`.
public struct RetryPolicy: Sendable, Hashable {
    /// Total attempts including the first; 1 means never retry.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration

    /// The most a single wait may ever be, as in botocore.
    public static let delayCap: Duration = .seconds(20)

    public init(maxAttempts: Int, baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(20)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = max(.zero, baseDelay)
        self.maxDelay = min(max(.zero, maxDelay), Self.delayCap)
    }

    /// The standard policy; `AWS_MAX_ATTEMPTS` (a positive integer) overrides `defaultMaxAttempts`.
    public static func standard(environment: AWSEnvironment, defaultMaxAttempts: Int = 3) -> RetryPolicy {
        let fromEnvironment = environment["AWS_MAX_ATTEMPTS"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let attempts = fromEnvironment.flatMap { $0 > 0 ? $0 : nil } ?? defaultMaxAttempts
        return RetryPolicy(maxAttempts: attempts)
    }

    /// The upper bound of the wait after failed attempt `attempt` (1-based).
    public func delayCeiling(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let grown = baseDelay * (1 << exponent)
        return min(grown, maxDelay)
    }

    /// A full-jitter wait after failed attempt `attempt`.
    public func delay<Generator: RandomNumberGenerator>(afterAttempt attempt: Int, using generator: inout Generator)
        -> Duration
    {
        let ceiling = delayCeiling(afterAttempt: attempt)
        guard ceiling > .zero else { return .zero }
        let fraction = Double.random(in: 0...1, using: &generator)
        return ceiling * fraction
    }

    public func delay(afterAttempt attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(afterAttempt: attempt, using: &generator)
    }
}
