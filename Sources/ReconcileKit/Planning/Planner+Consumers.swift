import AWSClient
import Formats

/// Consumers of directly managed streams: RegisterStreamConsumer steps.
extension PlanBuilder {
    mutating func planDirectConsumer(_ spec: ConsumerSpec) {
        let address = spec.address
        let liveStream = live.streams[spec.stream]
        if let liveConsumer = liveStream?.consumers?.first(where: { $0.name == spec.name }) {
            finish(address, last: nil)
            changes.append(
                update(
                    address, managedBy: .kinesis, properties: [], fingerprint: Fingerprint.of(consumer: liveConsumer)))
            return
        }
        var parameters: [String: JSONValue] = ["ConsumerName": .string(spec.name)]
        var references: [String: StepReference] = [:]
        if let arn = liveStream?.arn {
            parameters["StreamARN"] = .string(arn)
        } else {
            references["StreamARN"] = .streamARN(stream: spec.stream)
        }
        let register = addStep(
            .registerStreamConsumer, address, .object(parameters), references: references,
            after: prerequisites(of: address), reason: "consumer is not registered")
        finish(address, last: register)
        changes.append(consumerCreation(spec, managedBy: .kinesis, fingerprint: Fingerprint.absent))
    }
}
