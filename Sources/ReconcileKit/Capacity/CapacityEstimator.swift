import AWSClient
import Formats

/// Adds the capacity delta to every stream change, from the same before/after the
/// planner diffed: the live stream (or, for a stack member not found live, its deployed
/// template) before, the manifest after.
enum CapacityEstimator {
    static func annotate(_ change: ResourceChange, desired: DesiredState, live: LiveState) -> ResourceChange {
        guard change.address.kind == .stream, change.action != .noop else { return change }
        let name = change.address.name
        var before: CapacityDelta.Footprint?
        if change.action != .create {
            if let stream = live.streams[name] ?? live.undeclaredStreams.first(where: { $0.name == name }) {
                before = footprint(StreamAttributes(live: stream), openShards: stream.openShardCount)
            } else if let resource = deployedResource(named: name, live: live) {
                let attributes = StreamAttributes(templateResource: resource)
                before = footprint(attributes, openShards: attributes.shardCount ?? 0)
            }
        }
        var after: CapacityDelta.Footprint?
        if change.action != .delete, let spec = desired.stream(named: name) {
            let attributes = StreamAttributes(spec: spec)
            after = footprint(attributes, openShards: attributes.shardCount ?? 0)
        }
        guard before != nil || after != nil else { return change }
        var annotated = change
        annotated.capacity = CapacityDelta.between(before, after, region: change.region)
        return annotated
    }

    static func footprint(_ attributes: StreamAttributes, openShards: Int) -> CapacityDelta.Footprint {
        CapacityDelta.Footprint(
            mode: attributes.mode, shards: attributes.mode == .provisioned ? openShards : 0,
            retentionPeriodHours: attributes.retentionPeriodHours)
    }

    /// The `AWS::Kinesis::Stream` resource named `name` in any live stack's template.
    static func deployedResource(named name: String, live: LiveState) -> JSONValue? {
        for stack in Array(live.stacks.values) + live.undeclaredStacks {
            for resource in stack.templateResources.values
            where resource["Type"]?.stringValue == "AWS::Kinesis::Stream"
                && resource["Properties"]?["Name"]?.stringValue == name
            {
                return resource
            }
        }
        return nil
    }
}
