import AWSClient

/// Consumer tags: Kinesis keeps them by consumer ARN (ListTagsForResource), one call per consumer, so
/// only the consumers a manifest declares on a directly managed stream are read (a stack's consumers
/// carry their tags in the template).
extension LiveStateReader {
    func readDeclaredConsumerTags(into state: inout LiveState, desired: DesiredState) async throws {
        for stream in desired.streams where stream.stack == nil {
            let declared = Set(desired.consumers(ofStream: stream.name).map(\.name))
            guard !declared.isEmpty, var live = state.streams[stream.name] else { continue }
            try await readConsumerTags(of: &live, only: declared)
            state.streams[stream.name] = live
        }
    }

    /// Fills `tags` of the stream's listed consumers (those named in `only`, or all of them).
    public func readConsumerTags(of stream: inout LiveStream, only names: Set<String>? = nil) async throws {
        guard let consumers = stream.consumers else { return }
        let kinesis = try client.kinesis(region: stream.region)
        let wanted = consumers.filter { names?.contains($0.name) ?? true }
        let tags = try await withThrowingTaskGroup(of: (String, [String: String]).self) { group in
            for consumer in wanted {
                group.addTask {
                    (
                        consumer.arn,
                        try await limiter.run { try await kinesis.listTagsForResource(resourceARN: consumer.arn) }
                    )
                }
            }
            var found: [String: [String: String]] = [:]
            for try await (arn, consumerTags) in group { found[arn] = consumerTags }
            return found
        }
        stream.consumers = consumers.map { consumer in
            var read = consumer
            if let consumerTags = tags[consumer.arn] { read.tags = consumerTags }
            return read
        }
    }
}
