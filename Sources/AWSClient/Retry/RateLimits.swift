import Foundation

/// Client-side request rates per operation family, so a run stays under AWS's API limits
/// instead of leaning on retries.
///
/// Each family has a token bucket refilled at `rate` requests per second (burst = one second's
/// worth, at least 1). Families not listed use `defaultRate`; a nil `defaultRate` leaves them
/// unlimited. When a throttling error comes back the family's rate halves (down to a floor) and
/// then recovers gradually on successes (adaptive), as botocore's adaptive mode does.
public struct RateLimits: Sendable, Hashable {
    /// Requests per second by family name (see `family(service:operation:)`).
    public var rates: [String: Double]
    public var defaultRate: Double?

    public init(rates: [String: Double], defaultRate: Double? = 50) {
        self.rates = rates
        self.defaultRate = defaultRate
    }

    /// Kinesis' documented control-plane limits per account and region.
    public static let awsDefaults = RateLimits(
        rates: [
            AWSOperation.describeStreamSummary.rateFamily: 20,
            AWSOperation.tagsFamily: 5,
            AWSOperation.createDeleteFamily: 5,
            AWSOperation.updateShardCount.rateFamily: 10,
            AWSOperation.listStreams.rateFamily: 5,
            // GetResources: "Maximum of 15 calls per second" (Tag Editor user guide, Service quotas,
            // https://docs.aws.amazon.com/tag-editor/latest/userguide/reference.html).
            AWSOperation.getResources.rateFamily: 15,
            // "one transaction per second per account" (DescribeLimits' documentation).
            AWSOperation.describeLimits.rateFamily: 1,
            // Documented with UpdateStreamWarmThroughput: 5 transactions per second per account.
            AWSOperation.updateStreamWarmThroughput.rateFamily: 5
        ],
        defaultRate: 50)

    /// Whether every endpoint this run can reach is on this machine (127.0.0.0/8, `localhost`,
    /// `::1`): an emulator such as moto, which has none of AWS's per-account quotas, so
    /// client-side limits would only slow a run down. Looks at `--endpoint-url`, then
    /// each service's `AWS_ENDPOINT_URL_<SERVICE>` (Kinesis, CloudFormation, Tagging API) and
    /// `AWS_ENDPOINT_URL`, the way `EndpointResolver` picks them; any service left on AWS's own
    /// endpoint counts as remote.
    public static func endpointsAreLoopback(cliEndpoint: String?, environment: AWSEnvironment) -> Bool {
        let services: [AWSService] = [.kinesis, .cloudformation, .tagging]
        return services.allSatisfy { service in
            let chosen = [cliEndpoint, environment[service.endpointVariable], environment["AWS_ENDPOINT_URL"]]
                .compactMap { $0 }.first { !$0.isEmpty }
            guard let chosen, let host = URL(string: chosen)?.host?.lowercased() else { return false }
            return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
        }
    }

    /// `awsDefaults` with some families overridden.
    public func overriding(_ changes: [String: Double]) -> RateLimits {
        RateLimits(rates: rates.merging(changes) { _, new in new }, defaultRate: defaultRate)
    }

    /// The bucket an operation draws from: its `AWSOperation.rateFamily` (tag calls share one,
    /// CreateStream/DeleteStream share one); `service:Operation` for a call reconcile never makes.
    public static func family(service: AWSService, operation: String) -> String {
        AWSOperation.of(service, operation)?.rateFamily ?? "\(service.rawValue):\(operation)"
    }

    func rate(forFamily family: String) -> Double? {
        rates[family] ?? defaultRate
    }
}

/// Token buckets for `RateLimits`, shared by every request of one `AWSClient`: one per family and
/// region, since AWS counts its API quotas per account and region.
actor RateLimiter {
    /// A family's bucket in one region.
    struct Scope: Hashable {
        var family: String
        var region: String
    }

    private struct Bucket {
        var configuredRate: Double
        var currentRate: Double
        var tokens: Double
        var lastRefill: ContinuousClock.Instant
    }

    private let limits: RateLimits
    private var buckets: [Scope: Bucket] = [:]
    /// Scopes whose turn is taken: a waiter is taking a token or sleeping until one is due.
    private var waiting: Set<Scope> = []
    /// Waiters behind that one, first come first served.
    private var queued: [Scope: [CheckedContinuation<Void, Never>]] = [:]
    private let clock = ContinuousClock()
    /// Never slow a family below this, so a storm of throttles cannot stall a run forever.
    private static let minimumRate = 0.5

    init(limits: RateLimits) {
        self.limits = limits
    }

    /// Waits until the family has a token, then takes it.
    ///
    /// Only the first waiter of a family sleeps on the clock; the others queue behind it and are
    /// handed the turn in arrival order. (When every waiter polled, each new token woke all of
    /// them and all but one slept again: at 16 concurrent reads that cost more CPU than the calls.)
    func acquire(service: AWSService, operation: String, region: String) async throws {
        let family = RateLimits.family(service: service, operation: operation)
        guard let rate = limits.rate(forFamily: family), rate > 0 else { return }
        let scope = Scope(family: family, region: region)
        if waiting.contains(scope) {
            await withCheckedContinuation { queued[scope, default: []].append($0) }
        }
        waiting.insert(scope)
        defer { handOverTurn(scope) }
        while let wait = takeToken(scope, rate: rate) {
            try await Task.sleep(for: .seconds(wait))
        }
    }

    /// Takes a token if the scope has one (nil); otherwise the seconds until it will.
    private func takeToken(_ scope: Scope, rate: Double) -> Double? {
        let now = clock.now
        var bucket =
            buckets[scope] ?? Bucket(configuredRate: rate, currentRate: rate, tokens: max(1, rate), lastRefill: now)
        let elapsed = now - bucket.lastRefill
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        bucket.tokens = min(max(1, bucket.currentRate), bucket.tokens + seconds * bucket.currentRate)
        bucket.lastRefill = now
        defer { buckets[scope] = bucket }
        guard bucket.tokens < 1 else {
            bucket.tokens -= 1
            return nil
        }
        return (1 - bucket.tokens) / bucket.currentRate
    }

    /// The next queued waiter's turn, or no waiter left.
    private func handOverTurn(_ scope: Scope) {
        guard var queue = queued[scope], !queue.isEmpty else {
            waiting.remove(scope)
            return
        }
        let next = queue.removeFirst()
        queued[scope] = queue
        next.resume()
    }

    /// Adapts the family's rate to the answer: halve on throttling, recover 10% per success.
    func record(service: AWSService, operation: String, region: String, throttled: Bool) {
        let scope = Scope(family: RateLimits.family(service: service, operation: operation), region: region)
        guard var bucket = buckets[scope] else { return }
        if throttled {
            bucket.currentRate = max(Self.minimumRate, bucket.currentRate / 2)
            bucket.tokens = min(bucket.tokens, 0)
        } else if bucket.currentRate < bucket.configuredRate {
            bucket.currentRate = min(bucket.configuredRate, bucket.currentRate * 1.1)
        }
        buckets[scope] = bucket
    }

    /// Whether no call of the family is waiting or queued in the region, for tests.
    func isIdle(family: String, region: String) -> Bool {
        let scope = Scope(family: family, region: region)
        return !waiting.contains(scope) && (queued[scope] ?? []).isEmpty
    }

    /// The current (possibly slowed) rate of a family in a region, for tests and diagnostics.
    func currentRate(family: String, region: String) -> Double? {
        buckets[Scope(family: family, region: region)]?.currentRate ?? limits.rate(forFamily: family)
    }
}
