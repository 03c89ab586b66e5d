import AWSSigV4
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The entry point to AWS: one per run, holding the credentials, the retry and rate policies
/// and one shared HTTP client (pooled, kept-alive connections).
///
/// Call `shutdown()` once when done; service clients made from it stop working after that.
public final class AWSClient: Sendable {
    /// Signs every request; nil sends requests unsigned (STS AssumeRoleWithWebIdentity).
    let credentialProvider: RefreshingCredentials?
    let environment: AWSEnvironment
    let endpointOverride: String?
    let retryPolicy: RetryPolicy
    let rateLimiter: RateLimiter?
    let requestTimeout: Duration
    let observer: (@Sendable (AWSRequestEvent) -> Void)?
    let signingClock: @Sendable () -> Date
    let transport: HTTPTransport
    /// Which profile the credentials were read from (nil for the environment and the machine's role).
    public let credentialProfile: String?
    /// Only the client that made the transport shuts it down; clients made for credential calls share it.
    private let ownsTransport: Bool
    private let lifecycle = Lifecycle()
    let endpointTargets = EndpointTargetCache()

    /// Largest response body accepted (GetRecords answers up to 10 MB).
    static let maximumResponseBytes = 32 * 1024 * 1024

    /// Where the credentials come from, for `whoami` (never a secret).
    public var credentialSource: String { credentialProvider?.sourceDescription ?? "none (unsigned)" }

    /// A client that signs with known keys.
    ///
    /// - Parameters:
    ///   - endpointOverride: `--endpoint-url`; wins over the `AWS_ENDPOINT_URL*` variables.
    ///   - rateLimits: client-side rates per operation family; nil disables rate limiting.
    ///   - requestTimeout: the limit for one attempt (connect, send and receive); connecting alone
    ///     is limited to the smaller of this and 10 s.
    ///   - observer: sees every attempt; never given headers, bodies or secrets.
    ///   - signingClock: the time requests are signed with (tests inject a fixed one).
    public convenience init(
        credentials: Credentials, environment: AWSEnvironment, endpointOverride: String? = nil,
        retryPolicy: RetryPolicy,
        rateLimits: RateLimits? = nil, requestTimeout: Duration = .seconds(30),
        observer: (@Sendable (AWSRequestEvent) -> Void)? = nil,
        signingClock: @escaping @Sendable () -> Date = { Date() }
    ) {
        let provider = RefreshingCredentials(StaticCredentialProvider(credentials, sourceDescription: "static keys"))
        let settings = (try? NetworkSettings(environment: environment)) ?? NetworkSettings()
        self.init(
            provider: provider, profile: nil, environment: environment, network: settings,
            endpointOverride: endpointOverride, retryPolicy: retryPolicy, rateLimits: rateLimits,
            requestTimeout: requestTimeout, observer: observer, signingClock: signingClock)
    }

    /// A client whose credentials come from `provider` (refreshed before they expire).
    public convenience init(
        provider: RefreshingCredentials?, profile: String?, environment: AWSEnvironment, network: NetworkSettings,
        endpointOverride: String? = nil, retryPolicy: RetryPolicy, rateLimits: RateLimits? = nil,
        requestTimeout: Duration = .seconds(30), observer: (@Sendable (AWSRequestEvent) -> Void)? = nil,
        signingClock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.init(
            provider: provider, profile: profile, environment: environment,
            transport: HTTPTransport(settings: network, connectTimeout: min(requestTimeout, .seconds(10))),
            ownsTransport: true, endpointOverride: endpointOverride, retryPolicy: retryPolicy, rateLimits: rateLimits,
            requestTimeout: requestTimeout, observer: observer, signingClock: signingClock)
    }

    init(
        provider: RefreshingCredentials?, profile: String?, environment: AWSEnvironment, transport: HTTPTransport,
        ownsTransport: Bool, endpointOverride: String?, retryPolicy: RetryPolicy, rateLimits: RateLimits?,
        requestTimeout: Duration, observer: (@Sendable (AWSRequestEvent) -> Void)?,
        signingClock: @escaping @Sendable () -> Date
    ) {
        self.credentialProvider = provider
        self.credentialProfile = profile
        self.environment = environment
        self.endpointOverride = endpointOverride
        self.retryPolicy = retryPolicy
        self.rateLimiter = rateLimits.map(RateLimiter.init(limits:))
        self.requestTimeout = requestTimeout
        self.observer = observer
        self.signingClock = signingClock
        self.transport = transport
        self.ownsTransport = ownsTransport
    }

    public func kinesis(region: String) throws -> KinesisClient {
        try serviceClient(.kinesis, region: region)
    }

    public func cloudFormation(region: String) throws -> CloudFormationClient {
        try serviceClient(.cloudformation, region: region)
    }

    public func sts(region: String) throws -> STSClient {
        try serviceClient(.sts, region: region)
    }

    public func tagging(region: String) throws -> TaggingClient {
        try serviceClient(.tagging, region: region)
    }

    /// Closes pooled connections; call once at the end of the run. Calling it again does nothing.
    public func shutdown() async throws {
        guard ownsTransport, lifecycle.markShutDown() else { return }
        try await transport.shutdown()
    }

    /// A safety net for early exits (a thrown error before `shutdown()`): AsyncHTTPClient traps
    /// when a client is released without being shut down, so start its shutdown here instead.
    deinit {
        if ownsTransport, lifecycle.markShutDown() {
            transport.shutdownInBackground()
        }
    }

    func endpoint(_ service: AWSService, region: String) throws -> URL {
        try EndpointResolver.endpoint(
            for: service, region: region, cliEndpoint: endpointOverride, environment: environment)
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

/// Whether `shutdown()` has run; guarded by a lock because the client is shared across tasks.
private final class Lifecycle: @unchecked Sendable {
    private let lock = NSLock()
    private var isShutDown = false

    /// Marks the client shut down; true only for the first caller.
    func markShutDown() -> Bool {
        lock.withLock {
            defer { isShutDown = true }
            return !isShutDown
        }
    }
}

/// A successful HTTP answer, before protocol decoding.
struct HTTPAnswer: Sendable {
    var statusCode: Int
    var headers: [(String, String)]
    var body: [UInt8]
}

extension AWSClient {
    /// Sends one signed POST with retries; returns the first 2xx answer or throws the decoded error.
    ///
    /// Errors are decoded inside the loop so the retry decision sees typed AWS error codes.
    func post(
        service: AWSService, operation: String, region: String, endpoint target: EndpointTarget,
        headers extraHeaders: [(String, String)], body: Data
    ) async throws -> HTTPAnswer {
        let endpoint = target.url
        var attempt = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            if let rateLimiter { try await rateLimiter.acquire(service: service, operation: operation, region: region) }
            let request = try await signedRequest(
                service: service, region: region, endpoint: target, headers: extraHeaders, body: body)
            let started = ContinuousClock.now
            let failure: Error
            let statusCode: Int?
            let errorCode: String?
            let retryable: Bool
            do {
                let response = try await transport.client(for: endpoint).execute(
                    request, timeout: Self.timeAmount(requestTimeout))
                let bytes = try await response.body.collect(upTo: Self.maximumResponseBytes)
                let succeeded = (200..<300).contains(Int(response.status.code))
                // Only an error's decoding reads the headers: a success skips copying them.
                let answer = HTTPAnswer(
                    statusCode: Int(response.status.code),
                    headers: succeeded ? [] : response.headers.map { ($0.name, $0.value) }, body: Array(buffer: bytes))
                if succeeded {
                    await rateLimiter?.record(service: service, operation: operation, region: region, throttled: false)
                    report(service, operation, region, attempt, answer.statusCode, started, nil, false, nil)
                    return answer
                }
                failure = ErrorDecoding.decode(
                    service: service, operation: operation, statusCode: answer.statusCode, headers: answer.headers,
                    body: answer.body)
                statusCode = answer.statusCode
                switch failure {
                case let awsError as AWSError:
                    errorCode = awsError.code
                    retryable = awsError.isRetryable
                default:
                    errorCode = nil
                    retryable = AWSError.retryableStatusCodes.contains(answer.statusCode)
                }
            } catch {
                if error is CancellationError || Task.isCancelled { throw CancellationError() }
                if let clientError = error as? HTTPClientError, clientError == .alreadyShutdown {
                    throw AWSClientError.shutDown
                }
                // Retrying cannot fix a certificate or a proxy that wants a password: fail at once.
                if let permanent = TransportFailure.permanentError(
                    error, service: service, operation: operation, endpoint: endpoint)
                {
                    report(service, operation, region, attempt, nil, started, "TLSOrProxyError", false, nil)
                    throw permanent
                }
                let timedOut = Self.isTimeout(error)
                statusCode = nil
                errorCode = timedOut ? "Timeout" : "ConnectionError"
                retryable = true
                failure =
                    timedOut
                    ? AWSClientError.timeout(service: service, operation: operation, attempts: attempt)
                    : AWSClientError.transport(
                        service: service, operation: operation, attempts: attempt,
                        reason: TransportFailure.reason(error, endpoint: endpoint))
            }
            let throttled = (failure as? AWSError)?.isThrottling ?? false
            await rateLimiter?.record(service: service, operation: operation, region: region, throttled: throttled)
            let willRetry = retryable && attempt < retryPolicy.maxAttempts
            let delay = willRetry ? retryPolicy.delay(afterAttempt: attempt) : nil
            report(service, operation, region, attempt, statusCode, started, errorCode, willRetry, delay)
            guard let delay else { throw failure }
            try await Task.sleep(for: delay)
        }
    }

    private func report(
        _ service: AWSService, _ operation: String, _ region: String, _ attempt: Int, _ statusCode: Int?,
        _ started: ContinuousClock.Instant, _ errorCode: String?, _ willRetry: Bool, _ retryDelay: Duration?
    ) {
        observer?(
            AWSRequestEvent(
                service: service, operation: operation, region: region, attempt: attempt, statusCode: statusCode,
                duration: ContinuousClock.now - started, errorCode: errorCode, willRetry: willRetry,
                retryDelay: retryDelay))
    }

    private func signedRequest(
        service: AWSService, region: String, endpoint: EndpointTarget, headers extraHeaders: [(String, String)],
        body: Data
    ) async throws -> HTTPClientRequest {
        let path = endpoint.path
        var toSign: [(name: String, value: String)] = [("Host", endpoint.hostHeader)]
        toSign += extraHeaders.map { (name: $0.0, value: $0.1) }
        var request = HTTPClientRequest(url: endpoint.address)
        request.method = .POST
        for header in toSign { request.headers.add(name: header.name, value: header.value) }
        if let credentialProvider {
            let credentials = try await credentialProvider.credentials()
            let signer = SigV4Signer(credentials: credentials, region: region, service: service.rawValue)
            let signature = signer.sign(
                SigV4Request(method: "POST", path: path, headers: toSign, body: body), at: signingClock())
            for header in signature.orderedHeadersToAdd { request.headers.add(name: header.name, value: header.value) }
        }
        request.headers.add(name: "User-Agent", value: "reconcile/1 (swift; aws-sigv4)")
        request.headers.add(name: "Content-Length", value: String(body.count))
        request.body = .bytes(ByteBuffer(bytes: body))
        return request
    }

    static func isTimeout(_ error: Error) -> Bool {
        if let clientError = error as? HTTPClientError {
            return clientError == .deadlineExceeded || clientError == .readTimeout || clientError == .connectTimeout
                || clientError == .writeTimeout
        }
        return String(describing: error).lowercased().contains("timeout")
    }

}
