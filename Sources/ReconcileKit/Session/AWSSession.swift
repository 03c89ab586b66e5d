import AWSClient

/// Everything a command needs to talk to AWS, built once from the global options: the
/// only place that turns options and environment into a client.
public struct AWSSession: Sendable {
    public let client: AWSClient
    public let settings: AWSSettings
    public let project: String
    /// Where `--verbose` lines go; nil without `--verbose`.
    public var verboseLog: (@Sendable (String) -> Void)? = nil

    /// Builds the client. `log` receives one line per AWS request when `options.verbose`.
    public static func make(
        _ options: SessionOptions, environment variables: [String: String],
        log: @escaping @Sendable (String) -> Void
    ) throws -> AWSSession {
        let environment = AWSEnvironment(variables)
        let observer: (@Sendable (AWSRequestEvent) -> Void)? =
            options.verbose ? { @Sendable event in log(RequestLogLine.format(event)) } : nil
        // Five attempts by default (botocore's standard mode has 3): an apply that dies on a
        // third throttle wastes a pipeline run; AWS_MAX_ATTEMPTS still wins.
        let client = try AWSClient.resolving(
            profile: options.profile, cliRegion: options.region, environment: environment,
            endpointOverride: options.endpointURL,
            retryPolicy: RetryPolicy.standard(environment: environment, defaultMaxAttempts: 5),
            rateLimits: effectiveRateLimits(options, environment: environment), observer: observer)
        return AWSSession(
            client: client, settings: AWSSettings(options, environment: variables),
            project: options.resolvedProject(environment: variables), verboseLog: options.verbose ? log : nil)
    }

    /// `--rate-limits`, else none against a loopback endpoint (moto has no quotas, and AWS's
    /// would make a local 1,000-stream plan take minutes), else AWS's documented quotas.
    static func effectiveRateLimits(_ options: SessionOptions, environment: AWSEnvironment) -> RateLimits? {
        let loopback = RateLimits.endpointsAreLoopback(cliEndpoint: options.endpointURL, environment: environment)
        let mode = options.rateLimits ?? (loopback ? .off : .aws)
        return mode == .aws ? RateLimits.awsDefaults : nil
    }

    public func reconciler(readConcurrency: Int = Reconciler.defaultReadConcurrency) -> Reconciler {
        var reconciler = Reconciler(client: client, settings: settings, readConcurrency: readConcurrency)
        reconciler.note = verboseLog.map { log in { @Sendable note in log("note: \(note)") } }
        return reconciler
    }

    /// The account id of the credentials in use (STS GetCallerIdentity).
    public func callerAccount(region: String) async throws -> String {
        try await client.sts(region: region).getCallerIdentity().account
    }

    /// Runs `body`, then shuts the HTTP client down whatever happened.
    public func run<Result>(_ body: (AWSSession) async throws -> Result) async throws -> Result {
        do {
            let result = try await body(self)
            try? await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}

/// `--verbose`: one line per AWS request. The event carries no secrets.
enum RequestLogLine {
    static func format(_ event: AWSRequestEvent) -> String {
        var line = "aws: \(event.service.rawValue):\(event.operation) [\(event.region)] attempt \(event.attempt)"
        if let status = event.statusCode { line += " → \(status)" }
        if let code = event.errorCode { line += " \(code)" }
        line += " in \(event.duration.formattedSeconds)"
        if event.willRetry { line += " (will retry)" }
        return line
    }
}
