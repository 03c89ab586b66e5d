import AWSClient
import Formats

/// `plan --destroy` / `destroy`: every declared resource that exists, deleted in reverse
/// dependency order; `deletionPolicy: Retain` streams left in place.
extension PlanBuilder {
    mutating func planDestroy() {
        var dependents: [ResourceAddress: [ResourceAddress]] = [:]
        for (address, needs) in dependencies {
            for need in needs { dependents[need, default: []].append(address) }
        }
        for address in Planner.dependencyOrder(desired).reversed() {
            // Deletion of X waits for the deletion of everything that depends on X.
            let waits = Array(Set((dependents[address] ?? []).flatMap { frontier[$0] ?? [] })).sorted()
            switch address.kind {
            case .streamConsumer: destroyConsumer(address, after: waits)
            case .stream: destroyStream(address, after: waits)
            case .stack: destroyStack(address, after: waits)
            }
        }
        // A reviewer reads deletions in the order they run.
        var firstStep: [ResourceAddress: Int] = [:]
        for step in steps where firstStep[step.address] == nil { firstStep[step.address] = step.index }
        changes.sort { lhs, rhs in
            (firstStep[lhs.address] ?? Int.max, lhs.address) < (firstStep[rhs.address] ?? Int.max, rhs.address)
        }
    }

    mutating func destroyConsumer(_ address: ResourceAddress, after waits: [Int]) {
        guard let consumer = desired.consumer(named: address.name),
            desired.stream(named: consumer.stream)?.stack == nil,
            let liveConsumer = live.streams[consumer.stream]?.consumers?.first(where: { $0.name == consumer.name })
        else { return }
        frontier[address] = [
            addStep(
                .deregisterConsumer(consumerARN: liveConsumer.arn), address, after: waits, reason: "destroy")
        ]
        changes.append(
            deletion(
                address, region: region(of: address), managedBy: .kinesis,
                properties: [PropertyChange(path: "stream", before: .string(consumer.stream), after: .null)],
                fingerprint: Fingerprint.of(consumer: liveConsumer)))
    }

    mutating func destroyStream(_ address: ResourceAddress, after waits: [Int]) {
        guard let spec = desired.stream(named: address.name), spec.stack == nil,
            let liveStream = live.streams[spec.name]
        else { return }
        guard liveStream.tags[OwnershipTag.key] == options.project else {
            errors.append(.notOwnedForDestroy(address: address, region: liveStream.region, project: options.project))
            return
        }
        if spec.deletionPolicy == .retain {
            retained.append(
                UnmanagedResource(address: address, region: liveStream.region, reason: "deletionPolicy: Retain"))
            frontier[address] = waits
            return
        }
        frontier[address] = [
            addStep(
                .deleteStream(stream: spec.name), address, after: waits, reason: "destroy")
        ]
        changes.append(
            deletion(
                address, region: region(of: address), managedBy: .kinesis,
                properties: StreamAttributes.deletionProperties(StreamAttributes(live: liveStream)),
                fingerprint: Fingerprint.of(stream: liveStream)))
    }

    mutating func destroyStack(_ address: ResourceAddress, after waits: [Int]) {
        guard let spec = desired.stack(named: address.name), let liveStack = live.stacks[spec.name] else { return }
        if liveStack.isInProgress {
            errors.append(.stackInProgress(name: spec.name, status: liveStack.status))
            return
        }
        guard liveStack.tags[OwnershipTag.key] == options.project else {
            errors.append(.notOwnedForDestroy(address: address, region: liveStack.region, project: options.project))
            return
        }
        if liveStack.terminationProtection {
            errors.append(.terminationProtected(name: spec.name))
            return
        }
        destroyStackMembers(spec, liveStack)
        frontier[address] = [
            addStep(.deleteStack(stack: spec.name), address, after: waits, reason: "destroy")
        ]
        changes.append(
            deletion(
                address, region: region(of: address), managedBy: .cloudFormation,
                fingerprint: Fingerprint.of(stack: liveStack)))
    }

    /// The members CloudFormation deletes with the stack, or leaves (`DeletionPolicy: Retain`).
    mutating func destroyStackMembers(_ spec: StackSpec, _ liveStack: LiveStack) {
        let resources = liveStack.templateResources
        for stream in desired.streams(inStack: spec.name) where resources[stream.logicalId] != nil {
            if resources[stream.logicalId]?["DeletionPolicy"]?.stringValue == "Retain" {
                retained.append(
                    UnmanagedResource(
                        address: stream.address, region: liveStack.region,
                        reason: "deletionPolicy: Retain (CloudFormation leaves it when the stack is deleted)"))
                continue
            }
            let fingerprint = Fingerprint.combining([
                Fingerprint.of(stack: liveStack), Fingerprint.of(stream: live.streams[stream.name])
            ])
            changes.append(
                deletion(
                    stream.address, region: liveStack.region, managedBy: stream.managedBy, fingerprint: fingerprint))
        }
        for consumer in desired.consumers(inStack: spec.name) where resources[consumer.logicalId] != nil {
            changes.append(
                deletion(
                    consumer.address, region: liveStack.region, managedBy: .stack(spec.name),
                    fingerprint: Fingerprint.of(stack: liveStack)))
        }
    }
}
