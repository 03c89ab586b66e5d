import AWSClient
import Formats

/// Consumers of directly managed streams: RegisterStreamConsumer steps.
extension PlanBuilder {
    mutating func planDirectConsumer(_ spec: ConsumerSpec) {
        let address = spec.address
        let liveStream = live.streams[spec.stream]
        if let liveConsumer = liveStream?.consumers?.first(where: { $0.name == spec.name }) {
            // AWS's own `aws:` tags are neither declared nor removable.
            let liveTags = (liveConsumer.tags ?? [:]).filter { !$0.key.hasPrefix("aws:") }
            let calls = Self.consumerTagCalls(arn: liveConsumer.arn, live: liveTags, desired: spec.tags)
            let last = appendChain(
                calls, address, after: nil, extraDependencies: prerequisites(of: address), reason: nil)
            finish(address, last: last)
            changes.append(
                update(
                    address, managedBy: .kinesis,
                    properties: Self.consumerTagChanges(live: liveTags, desired: spec.tags),
                    fingerprint: Fingerprint.of(consumer: liveConsumer)))
            return
        }
        let stream = liveStream.map { StreamTarget.arn($0.arn, stream: spec.stream) } ?? .created(stream: spec.stream)
        let register = addStep(
            .registerConsumer(stream: stream, consumer: spec.name, tags: spec.tags), address,
            after: prerequisites(of: address), reason: "consumer is not registered")
        finish(address, last: register)
        changes.append(consumerCreation(spec, managedBy: .kinesis, fingerprint: Fingerprint.absent))
    }
}
