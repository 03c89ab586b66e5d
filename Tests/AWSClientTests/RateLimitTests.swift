import Foundation
import TestSupport
import Testing

@testable import AWSClient

@Suite("Client-side rate limits")
struct RateLimitTests {
    @Test("operation families share buckets with AWS's documented rates")
    func families() {
        #expect(RateLimits.family(service: .kinesis, operation: "ListTagsForStream") == "kinesis:Tags")
        #expect(RateLimits.family(service: .kinesis, operation: "AddTagsToStream") == "kinesis:Tags")
        #expect(RateLimits.family(service: .kinesis, operation: "DeleteStream") == "kinesis:CreateDeleteStream")
        #expect(
            RateLimits.family(service: .kinesis, operation: "DescribeStreamSummary") == "kinesis:DescribeStreamSummary")
        #expect(RateLimits.awsDefaults.rates["kinesis:DescribeStreamSummary"] == 20)
        #expect(RateLimits.awsDefaults.rates[AWSOperation.describeLimits.rateFamily] == 1)
        #expect(RateLimits.awsDefaults.overriding(["kinesis:Tags": 1]).rates["kinesis:Tags"] == 1)
    }

    @Test("client-side limits are off by default only when every endpoint is on this machine")
    func loopbackEndpoints() {
        let none = AWSEnvironment([:])
        #expect(RateLimits.endpointsAreLoopback(cliEndpoint: "http://127.0.0.1:5000", environment: none))
        #expect(RateLimits.endpointsAreLoopback(cliEndpoint: "http://localhost:4566", environment: none))
        #expect(
            RateLimits.endpointsAreLoopback(
                cliEndpoint: nil, environment: AWSEnvironment(["AWS_ENDPOINT_URL": "http://127.0.0.1:1"])))
        // AWS itself, or one service still on AWS, keeps the quotas.
        #expect(!RateLimits.endpointsAreLoopback(cliEndpoint: nil, environment: none))
        #expect(
            !RateLimits.endpointsAreLoopback(
                cliEndpoint: "https://kinesis.eu-central-1.amazonaws.com", environment: none))
        #expect(
            !RateLimits.endpointsAreLoopback(
                cliEndpoint: nil, environment: AWSEnvironment(["AWS_ENDPOINT_URL_KINESIS": "http://127.0.0.1:1"])))
        #expect(!RateLimits.endpointsAreLoopback(cliEndpoint: "http://10.0.0.5:5000", environment: none))
    }

    @Test("calls beyond the burst wait for tokens")
    func slowsDown() async throws {
        let server = try await ScriptedHTTPServer(script: [], fallback: .json(#"{"Tags":[],"HasMoreTags":false}"#))
        let client = makeClient(
            endpoint: server.endpoint, rateLimits: RateLimits(rates: ["kinesis:Tags": 10], defaultRate: nil))
        let kinesis = try client.kinesis(region: testRegion)
        let started = ContinuousClock.now
        for _ in 0..<15 { _ = try await kinesis.listTagsForStream(streamName: "s") }
        let elapsed = ContinuousClock.now - started
        try await client.shutdown()
        try await server.shutdown()
        // A burst of 10, then 5 more at 10/s: at least ~0.5 s.
        #expect(elapsed >= .milliseconds(400))
        #expect(server.requests.count == 15)
    }

    @Test("throttling answers slow the family down (adaptive)")
    func adaptive() async throws {
        let server = try await ScriptedHTTPServer(
            script: Array(repeating: .jsonError(status: 400, code: "LimitExceededException"), count: 3),
            fallback: .json(#"{"StreamNames":[],"HasMoreStreams":false}"#))
        let client = makeClient(
            endpoint: server.endpoint, maxAttempts: 5,
            rateLimits: RateLimits(rates: ["kinesis:ListStreams": 20], defaultRate: nil))
        let kinesis = try client.kinesis(region: testRegion)
        let started = ContinuousClock.now
        _ = try await kinesis.listStreams()
        let elapsed = ContinuousClock.now - started
        try await client.shutdown()
        try await server.shutdown()
        // After three throttles the rate is 20 → 10 → 5 → 2.5/s with an emptied bucket: the
        // fourth attempt waits for a token (≥ ~0.3 s), which an unadapted 20/s bucket would not.
        #expect(elapsed >= .milliseconds(300))
        #expect(server.requests.count == 4)
    }

    @Test("without rate limits there is no limiter to wait on")
    func disabled() async throws {
        let server = try await ScriptedHTTPServer(script: [], fallback: .json(#"{"Tags":[],"HasMoreTags":false}"#))
        let client = makeClient(endpoint: server.endpoint, rateLimits: nil)
        // No timing assertion (the machine may be loaded): the client simply holds no limiter.
        #expect(client.rateLimiter == nil)
        let kinesis = try client.kinesis(region: testRegion)
        for _ in 0..<15 { _ = try await kinesis.listTagsForStream(streamName: "s") }
        try await client.shutdown()
        try await server.shutdown()
        #expect(server.requests.count == 15)
    }

    @Test("concurrent callers beyond the burst each wait for a token of their own")
    func concurrentWaitersAreQueued() async throws {
        let limiter = RateLimiter(limits: RateLimits(rates: ["kinesis:Tags": 20], defaultRate: nil))
        let clock = ContinuousClock()
        let started = clock.now
        // 30 callers at once: 20 go with the burst, the other 10 each wait for a new token.
        let releases = try await withThrowingTaskGroup(of: Duration.self) { group in
            for _ in 0..<30 {
                group.addTask {
                    try await limiter.acquire(service: .kinesis, operation: "ListTagsForStream", region: "eu-west-1")
                    return clock.now - started
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }.sorted()
        }
        #expect(releases.count == 30)
        // Tokens come every 50 ms after the burst: the k-th waiter cannot leave before the k-th.
        for (index, release) in releases[20...].enumerated() {
            #expect(release >= .milliseconds(45 * (index + 1)), "waiter \(index + 1) left at \(release)")
        }
        #expect(await limiter.isIdle(family: "kinesis:Tags", region: "eu-west-1"))
    }

    @Test("each region has its own buckets, as AWS counts quotas per account and region")
    func regionsAreCountedApart() async throws {
        let limiter = RateLimiter(limits: RateLimits(rates: ["kinesis:Tags": 4], defaultRate: nil))
        for region in ["eu-west-1", "eu-central-1"] {
            try await limiter.acquire(service: .kinesis, operation: "ListTagsForStream", region: region)
        }
        // A throttled answer in one region slows that region's bucket only.
        await limiter.record(service: .kinesis, operation: "ListTagsForStream", region: "eu-west-1", throttled: true)
        #expect(await limiter.currentRate(family: "kinesis:Tags", region: "eu-west-1") == 2)
        #expect(await limiter.currentRate(family: "kinesis:Tags", region: "eu-central-1") == 4)
    }
}
