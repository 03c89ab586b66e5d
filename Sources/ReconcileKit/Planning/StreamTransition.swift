import AWSClient
import Formats

/// One call of a step chain before it has an index: what the planner decides, as a value.
struct StepDraft: Sendable, Hashable {
    var action: StepAction
    var reason: String
}

/// The Kinesis calls that take a stream from `current` to `desired`, in the order they must
/// run (Kinesis allows one update at a time per stream). Pure: the planner turns them into steps.
struct StreamTransition {
    var name: String
    var current: StreamAttributes
    var openShards: Int
    var desired: StreamAttributes
    var tagsToAdd: [String: String]
    var removeUndeclaredTags = false
    /// The live stream's ARN; nil when the stream is created by the same plan.
    var streamARN: String?

    var calls: [StepDraft] {
        modeCalls + warmThroughputCalls + reshardingCalls + retentionCalls + encryptionCalls + metricsCalls
            + maxRecordSizeCalls + tagCalls + untagCalls
    }

    /// The stream as calls that take an ARN name it: known, or the stream this plan creates.
    private var streamTarget: StreamTarget {
        streamARN.map { StreamTarget.arn($0, stream: name) } ?? .created(stream: name)
    }

    /// After a mode change: only an ON_DEMAND stream has warm throughput.
    private var warmThroughputCalls: [StepDraft] {
        let wanted = desired.warmThroughputMiBps
        let before = current.mode == .onDemand ? current.warmThroughputMiBps : 0
        guard desired.mode == .onDemand, wanted != before else { return [] }
        return [
            StepDraft(
                action: .updateWarmThroughput(stream: streamTarget, mebibytesPerSecond: wanted),
                reason: "warm throughput \(before) → \(wanted) MiB/s")
        ]
    }

    private var maxRecordSizeCalls: [StepDraft] {
        let wanted = desired.maxRecordSizeKiB
        guard wanted != current.maxRecordSizeKiB else { return [] }
        return [
            StepDraft(
                action: .updateMaxRecordSize(stream: streamTarget, kibibytes: wanted),
                reason: "maximum record size \(current.maxRecordSizeKiB) → \(wanted) KiB")
        ]
    }

    private var modeCalls: [StepDraft] {
        guard current.mode != desired.mode else { return [] }
        return [
            StepDraft(
                action: .updateStreamMode(stream: streamTarget, mode: desired.mode),
                reason: "stream mode \(current.mode.rawValue) → \(desired.mode.rawValue)")
        ]
    }

    /// One UpdateShardCount per resharding round: a call may at most double or halve.
    private var reshardingCalls: [StepDraft] {
        guard desired.mode == .provisioned, let target = desired.shardCount else { return [] }
        let targets = ShardScaling.steps(from: openShards, to: target)
        return targets.enumerated().map { position, count in
            let from = position == 0 ? openShards : targets[position - 1]
            let reason =
                targets.count > 1
                ? "shards \(from) → \(count) (step \(position + 1) of \(targets.count) to \(target); "
                    + "one call may at most double or halve)"
                : "shards \(openShards) → \(count)"
            return StepDraft(action: .updateShardCount(stream: name, target: count), reason: reason)
        }
    }

    private var retentionCalls: [StepDraft] {
        let hours = desired.retentionPeriodHours
        guard hours != current.retentionPeriodHours else { return [] }
        let action: StepAction =
            hours > current.retentionPeriodHours
            ? .increaseRetention(stream: name, hours: hours) : .decreaseRetention(stream: name, hours: hours)
        return [StepDraft(action: action, reason: "retention \(current.retentionPeriodHours)h → \(hours)h")]
    }

    private var encryptionCalls: [StepDraft] {
        guard desired.encryptionKeyId != current.encryptionKeyId else { return [] }
        if let key = desired.encryptionKeyId {
            return [
                StepDraft(
                    action: .startEncryption(stream: name, keyId: key),
                    reason: current.encryptionKeyId == nil ? "turn on KMS encryption" : "change KMS key")
            ]
        }
        guard let key = current.encryptionKeyId else { return [] }
        return [
            StepDraft(action: .stopEncryption(stream: name, keyId: key), reason: "turn off encryption")
        ]
    }

    private var metricsCalls: [StepDraft] {
        let added = Set(desired.shardLevelMetrics).subtracting(current.shardLevelMetrics).sorted()
        let removed = Set(current.shardLevelMetrics).subtracting(desired.shardLevelMetrics).sorted()
        var calls: [StepDraft] = []
        if !added.isEmpty {
            calls.append(
                StepDraft(
                    action: .enableMonitoring(stream: name, metrics: added),
                    reason: "enable shard-level metrics \(added.joined(separator: ", "))"))
        }
        if !removed.isEmpty {
            calls.append(
                StepDraft(
                    action: .disableMonitoring(stream: name, metrics: removed),
                    reason: "disable shard-level metrics \(removed.joined(separator: ", "))"))
        }
        return calls
    }

    /// At most 10 tags per call, as Kinesis takes them.
    private var tagCalls: [StepDraft] {
        TagParameters.chunks(tagsToAdd).map { chunk in
            StepDraft(
                action: .addTags(stream: name, tags: chunk),
                reason: "set tags \(chunk.keys.sorted().joined(separator: ", "))")
        }
    }

    private var untagCalls: [StepDraft] {
        guard removeUndeclaredTags else { return [] }
        let removed = current.tags.keys.filter { desired.tags[$0] == nil }.sorted()
        return stride(from: 0, to: removed.count, by: 10).map { start in
            let keys = removed[start..<min(start + 10, removed.count)]
            return StepDraft(
                action: .removeTags(stream: name, keys: Array(keys)),
                reason: "remove tags \(keys.joined(separator: ", "))")
        }
    }
}
