/// How many shards a provisioned stream holds at the worst moment of a resize.
///
/// AWS documents UpdateShardCount thus: "Kinesis Data Streams performs splits or merges on
/// individual shards. This can cause short-lived shards to be created, in addition to the final
/// shards. These short-lived shards count towards your total shard limit for your account in the
/// Region." It does not say how many are counted at once. reconcile takes the bound that holds
/// whichever order AWS splits and merges in during one call from `a` to `b` shards (at most double,
/// at least half): every parent still counted while all of its children are open, `a + b`. Each
/// split is one parent and its two children, each merge two parents and their child, so for a
/// doubling or halving this is the real worst case; AWS recommends targets that are multiples of
/// 25% of the current count, and for others it may need more short-lived shards than this.
/// The calls of a multi-step resize run one after another (Kinesis refuses UpdateShardCount
/// while the stream is UPDATING), so the resize peaks at its largest round: 4 → 16 (4 → 8 → 16)
/// at 8 + 16 = 24 shards, and 16 → 4 (16 → 8 → 4) at 16 + 8 = 24 as well.
enum ReshardingPeak {
    /// The most shards held at once from `current` to `target` open shards; `current` when equal.
    static func shards(from current: Int, to target: Int) -> Int {
        var peak = current
        var previous = current
        for round in ShardScaling.steps(from: current, to: target) {
            peak = max(peak, previous + round)
            previous = round
        }
        return peak
    }
}
