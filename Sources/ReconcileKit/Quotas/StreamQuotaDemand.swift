/// What one planned stream change asks of its account's Kinesis quotas in its region: shards
/// above what the stream holds now at the change's worst moment, and on-demand streams added.
///
/// Releases (a deleted or shrunk stream, a switch away from on-demand) are not subtracted from
/// other streams' additions: independent steps run at the same time, and a deleted stream's
/// shards count until AWS has removed it. A replaced stream is counted as a new one for the same
/// reason. On-demand streams' shards are not counted against the shard limit (AWS's quota table:
/// no upper limit on shards in on-demand mode).
struct StreamQuotaDemand: Sendable, Hashable {
    var address: ResourceAddress
    var region: String
    var extraShards: Int
    var extraOnDemandStreams: Int
    /// How the extra shards arise, for the error message.
    var explanation: String

    /// The demand of `change`; nil when it asks for nothing (or is not a stream's).
    static func of(_ change: ResourceChange, desired: DesiredState, live: LiveState) -> StreamQuotaDemand? {
        guard change.address.kind == .stream, [.create, .update, .replace].contains(change.action),
            let spec = desired.stream(named: change.address.name)
        else { return nil }
        let before = change.action == .update ? live.streams[spec.name] : nil
        var demand = StreamQuotaDemand(
            address: change.address, region: change.region, extraShards: 0, extraOnDemandStreams: 0, explanation: "")
        guard spec.mode == .provisioned else {
            demand.extraOnDemandStreams = before?.mode == .onDemand ? 0 : 1
            return demand.extraOnDemandStreams > 0 ? demand : nil
        }
        guard let target = spec.shardCount else { return nil }
        guard let before else {
            demand.extraShards = target
            demand.explanation = "\(change.address): creates \(target) shard\(target == 1 ? "" : "s")"
            return demand
        }
        let peak = ReshardingPeak.shards(from: before.openShardCount, to: target)
        // Shards of an on-demand stream count against the limit from the switch to provisioned on.
        let baseline = before.mode == .provisioned ? before.openShardCount : 0
        demand.extraShards = peak - baseline
        guard demand.extraShards > 0 else { return nil }
        demand.explanation =
            "\(change.address): \(before.openShardCount) → \(target) shards holds up to \(peak) while resharding"
        return demand
    }
}
