import AWSClient

/// Where a stream read gets the stream's tags.
enum TagSource: Sendable {
    /// ListTagsForStream: the authoritative answer.
    case own
    /// Already read by the caller (discovery confirms before reading the stream).
    case known([String: String])
    /// The region's bulk answer when it shows what the manifest expects; otherwise `own`.
    case bulk(BulkTagCache, expecting: TagExpectation)

    /// A declared stream's source: in bulk when there is a bulk reader, expecting the manifest's tags.
    static func declared(_ stream: StreamSpec, project: String, bulk: BulkTagCache?) -> TagSource {
        guard let bulk else { return .own }
        let expected: TagExpectation =
            stream.stack == nil ? .exactly(stream.tags, project: project) : .including(stream.tags)
        return .bulk(bulk, expecting: expected)
    }
}

extension LiveStateReader {
    /// The stream's tags from `source`. A bulk answer that differs from the manifest, or lacks
    /// the stream, may be stale: every change a plan shows comes from ListTagsForStream.
    func streamTags(_ name: String, region: String, from source: TagSource, kinesis: KinesisClient) async throws
        -> [String: String]
    {
        switch source {
        case .known(let tags):
            return tags
        case .bulk(let cache, let expected):
            if let tags = try await cache.tags(region: region)?.streams[name], expected.isMet(by: tags) {
                return tags
            }
        case .own:
            break
        }
        return try await limiter.run { try await kinesis.listTagsForStream(streamName: name) }
    }

    /// The streams among `candidates` (not declared) that carry this project's ownership tag.
    /// With a bulk answer, streams it shows as someone else's (or a stack's) are skipped without a
    /// call; the ones it shows as this project's, and the ones it lacks, are confirmed with
    /// ListTagsForStream, since the plan lists them and `--prune` deletes them.
    func undeclaredStreams(_ candidates: [String], region: String, project: String, bulk: RegionalTags?)
        async throws -> [LiveStream]
    {
        let kinesis = try client.kinesis(region: region)
        return try await withThrowingTaskGroup(of: LiveStream?.self) { group in
            for name in candidates {
                if let known = bulk?.streams[name],
                    known[OwnershipTag.key] != project || known[Self.stackNameTag] != nil
                {
                    continue
                }
                group.addTask {
                    let tags = try await limiter.run { try await kinesis.listTagsForStream(streamName: name) }
                    guard tags[OwnershipTag.key] == project else { return nil }
                    return try await readStream(name, region: region, consumers: false, knownTags: tags)
                }
            }
            var found: [LiveStream] = []
            for try await stream in group { if let stream { found.append(stream) } }
            return found
        }
    }

    /// The tag CloudFormation puts on every resource of a stack.
    static let stackNameTag = "aws:cloudformation:stack-name"
}
