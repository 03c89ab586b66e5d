import Formats

/// What `DescribeLimits` says about the account in one region.
public struct KinesisAccountLimits: Sendable, Hashable {
    /// The most provisioned shards the account may have open in the region.
    public var shardLimit: Int
    /// Shards open now, in every stream of the account in the region.
    public var openShardCount: Int
    /// The most streams the account may run in on-demand mode in the region.
    public var onDemandStreamCountLimit: Int
    /// Streams in on-demand mode now.
    public var onDemandStreamCount: Int

    public init(shardLimit: Int, openShardCount: Int, onDemandStreamCountLimit: Int, onDemandStreamCount: Int) {
        self.shardLimit = shardLimit
        self.openShardCount = openShardCount
        self.onDemandStreamCountLimit = onDemandStreamCountLimit
        self.onDemandStreamCount = onDemandStreamCount
    }

    /// Reads a DescribeLimits answer; nil when a required member is missing.
    init?(json: JSONValue) {
        guard let shardLimit = json["ShardLimit"]?.intValue, let open = json["OpenShardCount"]?.intValue,
            let onDemandLimit = json["OnDemandStreamCountLimit"]?.intValue,
            let onDemand = json["OnDemandStreamCount"]?.intValue
        else { return nil }
        self.init(
            shardLimit: shardLimit, openShardCount: open, onDemandStreamCountLimit: onDemandLimit,
            onDemandStreamCount: onDemand)
    }
}

extension KinesisClient {
    /// The account's shard and on-demand stream quotas and current usage in this region.
    public func describeLimits() async throws -> KinesisAccountLimits {
        let answer = try await send(.describeLimits, .object([:]))
        guard let limits = KinesisAccountLimits(json: answer) else {
            throw AWSClientError.missingField(service: .kinesis, operation: "DescribeLimits", field: "ShardLimit")
        }
        return limits
    }
}
