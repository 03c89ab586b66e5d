import AWSClient
import Formats

/// Consumer tags: set with RegisterStreamConsumer for a new consumer, with TagResource and UntagResource
/// on the consumer's ARN for an existing one (Kinesis has no per-consumer tag call of its own).
extension PlanBuilder {
    /// The tag changes of an existing consumer, as plan properties (`tags.KEY`).
    static func consumerTagChanges(live: [String: String], desired: [String: String]) -> [PropertyChange] {
        Set(live.keys).union(desired.keys).sorted().compactMap { key in
            let before = live[key].map(JSONValue.string) ?? .null
            let after = desired[key].map(JSONValue.string) ?? .null
            return before == after ? nil : PropertyChange(path: "tags.\(key)", before: before, after: after)
        }
    }

    /// TagResource for new or changed values, then UntagResource for tags no longer declared; at most
    /// 50 tags a call (AWS allows 50 a consumer, so one call each in practice).
    static func consumerTagCalls(arn: String, live: [String: String], desired: [String: String]) -> [StepDraft] {
        var calls: [StepDraft] = []
        for chunk in TagParameters.chunks(desired.filter { live[$0.key] != $0.value }, size: 50) {
            calls.append(
                StepDraft(
                    action: .tagConsumer(consumerARN: arn, tags: chunk),
                    reason: "set tags \(chunk.keys.sorted().joined(separator: ", "))"))
        }
        let removed = live.keys.filter { desired[$0] == nil }.sorted()
        for start in stride(from: 0, to: removed.count, by: 50) {
            let keys = Array(removed[start..<min(start + 50, removed.count)])
            calls.append(
                StepDraft(
                    action: .untagConsumer(consumerARN: arn, keys: keys),
                    reason: "remove tags \(keys.joined(separator: ", "))"))
        }
        return calls
    }

    /// A new consumer's declared tags, shown as properties after its name.
    static func consumerTagProperties(_ tags: [String: String]) -> [PropertyChange] {
        tags.sorted { $0.key < $1.key }.map {
            PropertyChange(path: "tags.\($0.key)", before: .null, after: .string($0.value))
        }
    }
}
