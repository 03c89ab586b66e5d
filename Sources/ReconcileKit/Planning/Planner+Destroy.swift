import AWSClient

/// `plan --destroy` / `destroy`: every declared resource that exists, deleted in reverse
/// dependency order; `deletionPolicy: Retain` streams left in place.
extension PlanBuilder {
    mutating func planDestroy() {
        let order = Planner.dependencyOrder(desired)
        var dependents: [ResourceAddress: [ResourceAddress]] = [:]
        for (address, needs) in dependencies {
            for need in needs { dependents[need, default: []].append(address) }
        }
        // Deletion of X waits for the deletion of everything that depends on X.
        func waitsFor(_ address: ResourceAddress) -> [Int] {
            Array(Set((dependents[address] ?? []).flatMap { frontier[$0] ?? [] })).sorted()
        }
        for address in order.reversed() {
            switch address.kind {
            case .streamConsumer:
                guard let consumer = desired.consumer(named: address.name),
                    desired.stream(named: consumer.stream)?.stack == nil
                else { continue }
                guard let liveConsumer = live.streams[consumer.stream]?.consumers?.first(where: { $0.name == consumer.name })
                else { continue }
                frontier[address] = [
                    addStep(
                        "kinesis:DeregisterStreamConsumer", address, ["ConsumerARN": .string(liveConsumer.arn)],
                        after: waitsFor(address), reason: "destroy")
                ]
                changes.append(
                    ResourceChange(
                        address: address, region: region(of: address), managedBy: "kinesis", action: .delete,
                        properties: [PropertyChange(path: "stream", before: .string(consumer.stream), after: .null)],
                        liveFingerprint: Fingerprint.of(consumer: liveConsumer), destructiveReasons: ["consumer deregistered"]))
            case .stream:
                guard let spec = desired.stream(named: address.name), spec.stack == nil,
                    let liveStream = live.streams[spec.name]
                else { continue }
                guard liveStream.tags[OwnershipTag.key] == options.project else {
                    errors.append(.notOwnedForDestroy(address: address, region: liveStream.region, project: options.project))
                    continue
                }
                if spec.deletionPolicy == .retain {
                    retained.append(UnmanagedResource(address: address, region: liveStream.region, reason: "deletionPolicy: Retain"))
                    frontier[address] = waitsFor(address)
                    continue
                }
                frontier[address] = [
                    addStep(
                        "kinesis:DeleteStream", address,
                        ["StreamName": .string(spec.name), "EnforceConsumerDeletion": true], after: waitsFor(address),
                        reason: "destroy")
                ]
                changes.append(
                    ResourceChange(
                        address: address, region: region(of: address), managedBy: "kinesis", action: .delete,
                        properties: StreamAttributes.deletionProperties(StreamAttributes(live: liveStream)),
                        liveFingerprint: Fingerprint.of(stream: liveStream),
                        destructiveReasons: ["stream deleted with its data"]))
            case .stack:
                guard let spec = desired.stack(named: address.name), let liveStack = live.stacks[spec.name] else { continue }
                if liveStack.isInProgress {
                    errors.append(.stackInProgress(name: spec.name, status: liveStack.status))
                    continue
                }
                guard liveStack.tags[OwnershipTag.key] == options.project else {
                    errors.append(.notOwnedForDestroy(address: address, region: liveStack.region, project: options.project))
                    continue
                }
                if liveStack.terminationProtection {
                    errors.append(.terminationProtected(name: spec.name))
                    continue
                }
                let resources = liveStack.templateResources
                for stream in desired.streams(inStack: spec.name) where resources[stream.logicalId] != nil {
                    if resources[stream.logicalId]?["DeletionPolicy"]?.stringValue == "Retain" {
                        retained.append(
                            UnmanagedResource(
                                address: stream.address, region: liveStack.region,
                                reason: "deletionPolicy: Retain (CloudFormation leaves it when the stack is deleted)"))
                        continue
                    }
                    changes.append(
                        ResourceChange(
                            address: stream.address, region: liveStack.region, managedBy: stream.managedBy, action: .delete,
                            liveFingerprint: Fingerprint.combining([
                                Fingerprint.of(stack: liveStack), Fingerprint.of(stream: live.streams[stream.name]),
                            ]),
                            destructiveReasons: ["stream deleted with its data"]))
                }
                for consumer in desired.consumers(inStack: spec.name) where resources[consumer.logicalId] != nil {
                    changes.append(
                        ResourceChange(
                            address: consumer.address, region: liveStack.region, managedBy: "Stack/\(spec.name)",
                            action: .delete, liveFingerprint: Fingerprint.of(stack: liveStack),
                            destructiveReasons: ["consumer deregistered"]))
                }
                frontier[address] = [
                    addStep(
                        "cloudformation:DeleteStack", address, ["StackName": .string(spec.name)],
                        after: waitsFor(address), reason: "destroy")
                ]
                changes.append(
                    ResourceChange(
                        address: address, region: region(of: address), managedBy: "cloudformation", action: .delete,
                        liveFingerprint: Fingerprint.of(stack: liveStack),
                        destructiveReasons: ["stack and every resource in it deleted"]))
            }
        }
        // A reviewer reads deletions in the order they run.
        var firstStep: [ResourceAddress: Int] = [:]
        for step in steps where firstStep[step.address] == nil { firstStep[step.address] = step.index }
        changes.sort { lhs, rhs in
            (firstStep[lhs.address] ?? Int.max, lhs.address) < (firstStep[rhs.address] ?? Int.max, rhs.address)
        }
    }
}
