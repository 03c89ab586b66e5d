import AWSClient
import Formats

/// Consumers of directly managed streams: RegisterStreamConsumer steps.
extension PlanBuilder {
    mutating func planDirectConsumer(_ spec: ConsumerSpec) {
        let address = spec.address
        let liveStream = live.streams[spec.stream]
        if let liveStream, let liveConsumer = liveStream.consumers?.first(where: { $0.name == spec.name }) {
            // AWS's own `aws:` tags are neither declared nor removable.
            let liveTags = (liveConsumer.tags ?? [:]).filter { !$0.key.hasPrefix("aws:") }
            let calls = Self.consumerTagCalls(arn: liveConsumer.arn, live: liveTags, desired: spec.tags)
            let tagged = appendChain(
                calls, address, after: nil, extraDependencies: prerequisites(of: address), reason: nil)
            let livePolicy = liveStream.consumerPolicies?[spec.name]
            let policy = planResourcePolicy(
                declared: spec.resourcePolicy, live: livePolicy, managed: liveStream.managesResourcePolicies,
                target: .consumer(.arn(liveConsumer.arn, stream: spec.stream, consumer: spec.name)), address,
                after: tagged, extraDependencies: prerequisites(of: address))
            finish(address, last: policy.last ?? tagged)
            var fingerprint = Fingerprint.of(consumer: liveConsumer)
            if let livePolicy { fingerprint = Fingerprint.combining([fingerprint, livePolicy.policyText]) }
            changes.append(
                update(
                    address, managedBy: .kinesis,
                    properties: Self.consumerTagChanges(live: liveTags, desired: spec.tags)
                        + [policy.property].compactMap { $0 },
                    fingerprint: fingerprint))
            return
        }
        let stream = liveStream.map { StreamTarget.arn($0.arn, stream: spec.stream) } ?? .created(stream: spec.stream)
        let register = addStep(
            .registerConsumer(stream: stream, consumer: spec.name, tags: spec.tags), address,
            after: prerequisites(of: address), reason: "consumer is not registered")
        let policy = planResourcePolicy(
            declared: spec.resourcePolicy, live: nil, managed: false,
            target: .consumer(.created(stream: spec.stream, consumer: spec.name)), address, after: register)
        finish(address, last: policy.last)
        var creation = consumerCreation(spec, managedBy: .kinesis, fingerprint: Fingerprint.absent)
        if let property = policy.property { creation.properties.append(property) }
        changes.append(creation)
    }
}
