import AWSClient
import Formats

/// Live resources of this project that no manifest declares: listed, or deleted with `--prune`.
extension PlanBuilder {
    mutating func planUndeclared() {
        for spec in desired.streams where spec.stack == nil { planUndeclaredConsumers(of: spec) }
        let declaredStreams = Set(desired.streams.map(\.name))
        for stream in live.undeclaredStreams where !declaredStreams.contains(stream.name) {
            planUndeclaredStream(stream)
        }
        let declaredStacks = Set(desired.stacks.map(\.name))
        for stack in live.undeclaredStacks where !declaredStacks.contains(stack.name) { planUndeclaredStack(stack) }
    }

    /// Consumers on a declared direct stream that are not declared.
    mutating func planUndeclaredConsumers(of spec: StreamSpec) {
        guard let liveStream = live.streams[spec.name], let consumers = liveStream.consumers else { return }
        let declared = Set(desired.consumers(ofStream: spec.name).map(\.name))
        for consumer in consumers where !declared.contains(consumer.name) {
            let address = ResourceAddress.consumer(consumer.name)
            guard options.prune else {
                notDeclared.append(
                    UnmanagedResource(
                        address: address, region: liveStream.region,
                        reason: "consumer of Stream/\(spec.name) not declared"))
                continue
            }
            addStep(
                .deregisterConsumer(consumerARN: consumer.arn), address, region: liveStream.region,
                after: frontier[spec.address] ?? [],
                reason: "consumer is no longer declared (--prune)")
            changes.append(
                deletion(
                    address, region: liveStream.region, managedBy: .kinesis,
                    properties: [PropertyChange(path: "stream", before: .string(spec.name), after: .null)],
                    fingerprint: Fingerprint.of(consumer: consumer)))
        }
    }

    mutating func planUndeclaredStream(_ stream: LiveStream) {
        let address = ResourceAddress.stream(stream.name)
        guard options.prune else {
            notDeclared.append(
                UnmanagedResource(
                    address: address, region: stream.region, reason: "tagged for this project, not declared"))
            return
        }
        addStep(
            .deleteStream(stream: stream.name), address, region: stream.region, after: [],
            reason: "stream is tagged for this project but no longer declared (--prune)")
        changes.append(
            deletion(
                address, region: stream.region, managedBy: .kinesis,
                properties: StreamAttributes.deletionProperties(StreamAttributes(live: stream)),
                fingerprint: Fingerprint.of(stream: stream)))
    }

    mutating func planUndeclaredStack(_ stack: LiveStack) {
        let address = ResourceAddress.stack(stack.name)
        guard options.prune else {
            notDeclared.append(
                UnmanagedResource(
                    address: address, region: stack.region, reason: "tagged for this project, not declared"))
            return
        }
        if stack.terminationProtection {
            errors.append(.terminationProtected(name: stack.name))
            return
        }
        addStep(
            .deleteStack(stack: stack.name), address, region: stack.region, after: [],
            reason: "stack is tagged for this project but no longer declared (--prune)")
        changes.append(
            deletion(
                address, region: stack.region, managedBy: .cloudFormation, fingerprint: Fingerprint.of(stack: stack)))
    }
}
