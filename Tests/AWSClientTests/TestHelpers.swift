import AWSClient
import AWSSigV4
import Foundation
import TestSupport

/// Collects observer events from any thread.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [AWSRequestEvent] = []

    var events: [AWSRequestEvent] { lock.withLock { collected } }

    var observer: @Sendable (AWSRequestEvent) -> Void {
        { [self] event in lock.withLock { collected.append(event) } }
    }
}

/// A client with tiny retry delays aimed at `endpoint`.
func makeClient(
    endpoint: String, maxAttempts: Int = 3,
    credentials: Credentials = Credentials(accessKeyId: "testing", secretAccessKey: "testing"),
    requestTimeout: Duration = .seconds(60), rateLimits: RateLimits? = nil, log: EventLog? = nil
) -> AWSClient {
    AWSClient(
        credentials: credentials, environment: AWSEnvironment([:]), endpointOverride: endpoint,
        retryPolicy: RetryPolicy(maxAttempts: maxAttempts, baseDelay: .milliseconds(5), maxDelay: .milliseconds(40)),
        rateLimits: rateLimits, requestTimeout: requestTimeout, observer: log?.observer)
}

let testRegion = "eu-central-1"

/// Runs blocking work (starting moto, waiting for python) on a Dispatch thread so it does not
/// hold one of the few cooperative threads the other tests' async code needs.
func offPool<Value: Sendable>(_ work: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
    }
}

/// A moto server started without blocking the cooperative pool.
func startMoto(environment: [String: String] = [:]) async throws -> MotoServer {
    try await offPool { try MotoServer(environment: environment) }
}
