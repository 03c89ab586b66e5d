import AWSClient

/// How long a plan waits for a declared stream that is busy with an earlier change.
public struct SettleWait: Sendable, Hashable {
    public var timeout: Duration
    public var poll: Duration

    /// AWS resizes and creates streams in seconds to minutes; a plan read in the middle of
    /// one would plan the same change again, which AWS refuses while the stream is busy.
    public static let standard = SettleWait(timeout: .seconds(300), poll: .seconds(2))

    public init(timeout: Duration, poll: Duration) {
        self.timeout = timeout
        self.poll = poll
    }
}

/// A declared stream still CREATING or UPDATING when the plan read it.
public struct StreamStillBusy: Error, Sendable, CustomStringConvertible {
    public var stream: String
    public var status: String
    public var waited: Duration

    public var description: String {
        "Stream/\(stream) is still \(status) after \(waited.components.seconds) s "
            + "(a change made earlier is in flight): plan again once it is ACTIVE."
    }
}

extension LiveStateReader {
    static let busyStatuses: Set<String> = ["CREATING", "UPDATING"]

    /// Reads a declared stream; when it is busy with an earlier change, waits until that change
    /// lands and reads it again, so the plan is made against the state AWS will reach rather
    /// than planning the same change twice. `busyStatus` is the status it had at first.
    func readSettledStream(
        _ name: String, region: String, consumers: Bool, tags: TagSource = .own, policies: ResourcePolicyRead = .none
    ) async throws -> (stream: LiveStream?, busyStatus: String?) {
        let first = try await readStream(name, region: region, consumers: consumers, tags: tags, policies: policies)
        guard let first, Self.busyStatuses.contains(first.status) else { return (first, nil) }
        let kinesis = try client.kinesis(region: region)
        let clock = ContinuousClock()
        let start = clock.now
        var status = first.status
        while Self.busyStatuses.contains(status) {
            guard clock.now - start < settleWait.timeout else {
                throw StreamStillBusy(stream: name, status: status, waited: clock.now - start)
            }
            try await Task.sleep(for: settleWait.poll)
            guard let summary = try await limiter.run({ try await kinesis.describeStreamSummary(streamName: name) })
            else { return (nil, first.status) }
            status = summary.streamStatus
        }
        return (
            try await readStream(name, region: region, consumers: consumers, tags: tags, policies: policies),
            first.status
        )
    }
}
