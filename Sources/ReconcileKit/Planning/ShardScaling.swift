/// Kinesis resharding rules: one `UpdateShardCount` with `UNIFORM_SCALING` may at most
/// double, or at least halve, the open shard count.
public enum ShardScaling {
    /// The successive targets from `current` to `target`: 1→8 is [2, 4, 8]; 8→3 is [4, 3].
    public static func steps(from current: Int, to target: Int) -> [Int] {
        guard current > 0, target > 0 else { return current == target ? [] : [target] }
        var steps: [Int] = []
        var count = current
        while count != target {
            if target > count {
                count = min(target, count * 2)
            } else {
                count = max(target, (count + 1) / 2)
            }
            steps.append(count)
        }
        return steps
    }
}
