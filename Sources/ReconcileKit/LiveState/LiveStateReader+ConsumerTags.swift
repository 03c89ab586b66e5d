import AWSClient

/// Consumer tags: Kinesis keeps them by consumer ARN (ListTagsForResource), one call per consumer, so
/// only the consumers a manifest declares on a directly managed stream are read (a stack's consumers
/// carry their tags in the template). A region's bulk tag answer is taken for a consumer it lists with
/// exactly the declared tags, as for streams; any other consumer is read on its own.
extension LiveStateReader {
    func readDeclaredConsumerTags(into state: inout LiveState, desired: DesiredState, bulk: BulkTagCache?)
        async throws
    {
        var wanted: [(stream: String, consumer: LiveConsumer, region: String)] = []
        var fromBulk: [(stream: String, arn: String, tags: [String: String])] = []
        for stream in desired.streams where stream.stack == nil {
            guard let live = state.streams[stream.name] else { continue }
            let declared = Dictionary(
                desired.consumers(ofStream: stream.name).map { ($0.name, $0.tags) },
                uniquingKeysWith: { first, _ in first })
            let listedConsumers = try await bulk?.tags(region: live.region)?.consumers ?? [:]
            for consumer in live.consumers ?? [] {
                guard let tags = declared[consumer.name] else { continue }
                if let key = RegionalTags.consumerKey(arn: consumer.arn), let listed = listedConsumers[key],
                    TagExpectation.consumer(tags).isMet(by: listed)
                {
                    fromBulk.append((stream.name, consumer.arn, listed))
                } else {
                    wanted.append((stream.name, consumer, live.region))
                }
            }
        }
        for (stream, arn, tags) in try await tags(of: wanted) + fromBulk {
            guard var live = state.streams[stream] else { continue }
            live.consumers = live.consumers?.map { consumer in
                var read = consumer
                if consumer.arn == arn { read.tags = tags }
                return read
            }
            state.streams[stream] = live
        }
    }

    /// Fills `tags` of every listed consumer of the stream.
    public func readConsumerTags(of stream: inout LiveStream) async throws {
        let wanted = (stream.consumers ?? []).map { (stream: stream.name, consumer: $0, region: stream.region) }
        let found = Dictionary(try await tags(of: wanted).map { ($0.arn, $0.tags) }) { first, _ in first }
        stream.consumers = stream.consumers?.map { consumer in
            var read = consumer
            read.tags = found[consumer.arn] ?? consumer.tags
            return read
        }
    }

    /// The tags of each consumer, read concurrently (bounded by the limiter).
    private func tags(of consumers: [(stream: String, consumer: LiveConsumer, region: String)]) async throws
        -> [(stream: String, arn: String, tags: [String: String])]
    {
        try await withThrowingTaskGroup(of: (String, String, [String: String]).self) { group in
            for (stream, consumer, region) in consumers {
                let kinesis = try client.kinesis(region: region)
                group.addTask {
                    let tags = try await limiter.run {
                        try await kinesis.listTagsForResource(resourceARN: consumer.arn)
                    }
                    return (stream, consumer.arn, tags)
                }
            }
            var found: [(stream: String, arn: String, tags: [String: String])] = []
            for try await (stream, arn, tags) in group { found.append((stream, arn, tags)) }
            return found
        }
    }
}
