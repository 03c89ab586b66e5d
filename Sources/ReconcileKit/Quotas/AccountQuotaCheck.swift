import AWSClient

/// Checks a plan against the account's Kinesis quotas before anything is written: one
/// DescribeLimits per region, and only for regions where the plan opens shards or adds
/// on-demand streams (a plan that opens nothing makes no extra call).
struct AccountQuotaCheck: Sendable {
    let client: AWSClient

    /// Throws the quota errors of every region that would go over.
    func check(_ plan: Plan, desired: DesiredState, live: LiveState) async throws {
        guard plan.mode == .apply else { return }
        let demands = Self.demands(plan, desired: desired, live: live)
        var errors: [PlanError] = []
        for region in demands.keys.sorted() {
            let limits = try await client.kinesis(region: region).describeLimits()
            errors += Self.violations(demands[region] ?? [], region: region, limits: limits)
        }
        if !errors.isEmpty { throw errors.count == 1 ? errors[0] : PlanError.several(errors) }
    }

    /// The demand of every stream change that asks for something, by region.
    static func demands(_ plan: Plan, desired: DesiredState, live: LiveState) -> [String: [StreamQuotaDemand]] {
        let all = plan.changes.compactMap { StreamQuotaDemand.of($0, desired: desired, live: live) }
        return Dictionary(grouping: all, by: \.region)
    }

    /// What goes over in one region, given the account's limits and usage there.
    static func violations(_ demands: [StreamQuotaDemand], region: String, limits: KinesisAccountLimits)
        -> [PlanError]
    {
        var errors: [PlanError] = []
        let shards = demands.reduce(0) { $0 + $1.extraShards }
        if shards > 0, limits.openShardCount + shards > limits.shardLimit {
            errors.append(
                .shardLimitExceeded(
                    region: region, limit: limits.shardLimit, open: limits.openShardCount, needed: shards,
                    streams: demands.filter { $0.extraShards > 0 }.map(\.explanation)))
        }
        let onDemand = demands.filter { $0.extraOnDemandStreams > 0 }
        if !onDemand.isEmpty, limits.onDemandStreamCount + onDemand.count > limits.onDemandStreamCountLimit {
            errors.append(
                .onDemandStreamLimitExceeded(
                    region: region, limit: limits.onDemandStreamCountLimit, current: limits.onDemandStreamCount,
                    streams: onDemand.map(\.address.description)))
        }
        return errors
    }
}
