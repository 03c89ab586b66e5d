import AWSClient
import Formats

/// Directly managed streams and consumers: Kinesis API steps.
extension PlanBuilder {
    mutating func planDirectStream(_ spec: StreamSpec) {
        let address = spec.address
        let desiredAttributes = StreamAttributes(spec: spec)
        guard let live = live.streams[spec.name] else {
            let createIndex = addStep(
                "kinesis:CreateStream", address, createStreamParameters(spec), after: prerequisites(of: address),
                reason: "stream does not exist")
            // CreateStream sets mode and shards (and tags on AWS); the rest are separate calls.
            var initial = desiredAttributes
            initial.retentionPeriodHours = 24
            initial.encryptionKeyId = nil
            initial.shardLevelMetrics = []
            initial.tags = [:]
            let last = appendStreamSteps(
                spec.name, address, from: initial, openShards: spec.shardCount ?? 1, to: desiredAttributes,
                tagsToAdd: spec.tags.merging(ownershipTags) { declared, _ in declared }, after: createIndex,
                reason: "new stream")
            finish(address, last: last)
            changes.append(
                ResourceChange(
                    address: address, region: region(of: address), managedBy: spec.managedBy, action: .create,
                    properties: StreamAttributes.creationProperties(desiredAttributes),
                    liveFingerprint: Fingerprint.absent))
            return
        }
        let adopting = needsAdoption(address, tags: live.tags)
        let liveAttributes = StreamAttributes(live: live)
        var properties = liveAttributes.changes(to: desiredAttributes)
        if adopting {
            properties.insert(
                PropertyChange(path: "tags.\(OwnershipTag.key)", before: live.tags[OwnershipTag.key].map(JSONValue.string) ?? .null,
                               after: .string(options.project)), at: 0)
        }
        var adoptionStep: Int?
        if adopting {
            adoptionStep = addStep(
                "kinesis:AddTagsToStream", address,
                ["StreamName": .string(spec.name), "Tags": TagParameters.kinesisMap(ownershipTags)],
                after: prerequisites(of: address), reason: "adopt: tag as project '\(options.project)'")
        }
        let tagsToAdd = desiredAttributes.tags.filter { liveAttributes.tags[$0.key] != $0.value }
        let last = appendStreamSteps(
            spec.name, address, from: liveAttributes, openShards: live.openShardCount, to: desiredAttributes,
            tagsToAdd: tagsToAdd, removeUndeclaredTags: true, streamARN: live.arn, after: adoptionStep,
            extraDependencies: adoptionStep == nil ? prerequisites(of: address) : [], reason: nil)
        finish(address, last: last)
        changes.append(
            ResourceChange(
                address: address, region: region(of: address), managedBy: spec.managedBy,
                action: properties.isEmpty ? .noop : .update, properties: properties,
                liveFingerprint: Fingerprint.of(stream: live),
                destructiveReasons: StreamAttributes.destructiveReasons(from: liveAttributes, to: desiredAttributes)))
    }

    func createStreamParameters(_ spec: StreamSpec) -> JSONValue {
        var parameters: [String: JSONValue] = [
            "StreamName": .string(spec.name),
            "StreamModeDetails": ["StreamMode": .string(spec.mode.rawValue)],
            // AWS applies these atomically with the create, so ownership is never missing there;
            // AddTagsToStream steps repeat them for endpoints that ignore this field.
            "Tags": TagParameters.kinesisMap(TagParameters.chunks(spec.tags.merging(ownershipTags) { d, _ in d }, size: 50).first ?? [:]),
        ]
        if spec.mode == .provisioned { parameters["ShardCount"] = .int(spec.shardCount ?? 1) }
        return .object(parameters)
    }

    /// Appends the Kinesis calls that take a stream from `current` to `desired`, one
    /// after another (Kinesis allows one update at a time per stream). Returns the last
    /// step's index, or nil when nothing was needed.
    mutating func appendStreamSteps(
        _ name: String, _ address: ResourceAddress, from current: StreamAttributes, openShards: Int,
        to desired: StreamAttributes, tagsToAdd: [String: String], removeUndeclaredTags: Bool = false,
        streamARN: String? = nil, after previous: Int?, extraDependencies: [Int] = [], reason: String?
    ) -> Int? {
        var last = previous
        var firstDependencies = extraDependencies
        func why(_ text: String) -> String { reason.map { "\($0): \(text)" } ?? text }
        func next(
            _ operation: String, _ parameters: JSONValue, _ text: String, references: [String: StepReference] = [:]
        ) {
            last = addStep(
                operation, address, parameters, references: references, after: [last] + firstDependencies,
                reason: why(text))
            firstDependencies = []
        }
        let stream: [String: JSONValue] = ["StreamName": .string(name)]

        if current.mode != desired.mode {
            var parameters: [String: JSONValue] = ["StreamModeDetails": ["StreamMode": .string(desired.mode.rawValue)]]
            var references: [String: StepReference] = [:]
            if let streamARN { parameters["StreamARN"] = .string(streamARN) } else {
                references["StreamARN"] = .streamARN(stream: name)
            }
            next(
                "kinesis:UpdateStreamMode", .object(parameters),
                "stream mode \(current.mode.rawValue) → \(desired.mode.rawValue)", references: references)
        }
        if desired.mode == .provisioned, let target = desired.shardCount {
            let targets = ShardScaling.steps(from: openShards, to: target)
            for (position, count) in targets.enumerated() {
                next(
                    "kinesis:UpdateShardCount",
                    .object(stream.merging(["TargetShardCount": .int(count), "ScalingType": "UNIFORM_SCALING"]) { a, _ in a }),
                    targets.count > 1
                        ? "shards \(position == 0 ? openShards : targets[position - 1]) → \(count) (step \(position + 1) of \(targets.count) to \(target); one call may at most double or halve)"
                        : "shards \(openShards) → \(count)")
            }
        }
        if desired.retentionPeriodHours > current.retentionPeriodHours {
            next(
                "kinesis:IncreaseStreamRetentionPeriod",
                .object(stream.merging(["RetentionPeriodHours": .int(desired.retentionPeriodHours)]) { a, _ in a }),
                "retention \(current.retentionPeriodHours)h → \(desired.retentionPeriodHours)h")
        } else if desired.retentionPeriodHours < current.retentionPeriodHours {
            next(
                "kinesis:DecreaseStreamRetentionPeriod",
                .object(stream.merging(["RetentionPeriodHours": .int(desired.retentionPeriodHours)]) { a, _ in a }),
                "retention \(current.retentionPeriodHours)h → \(desired.retentionPeriodHours)h")
        }
        if desired.encryptionKeyId != current.encryptionKeyId {
            if let key = desired.encryptionKeyId {
                next(
                    "kinesis:StartStreamEncryption",
                    .object(stream.merging(["EncryptionType": "KMS", "KeyId": .string(key)]) { a, _ in a }),
                    current.encryptionKeyId == nil ? "turn on KMS encryption" : "change KMS key")
            } else if let key = current.encryptionKeyId {
                next(
                    "kinesis:StopStreamEncryption",
                    .object(stream.merging(["EncryptionType": "KMS", "KeyId": .string(key)]) { a, _ in a }),
                    "turn off encryption")
            }
        }
        let addedMetrics = Set(desired.shardLevelMetrics).subtracting(current.shardLevelMetrics).sorted()
        let removedMetrics = Set(current.shardLevelMetrics).subtracting(desired.shardLevelMetrics).sorted()
        if !addedMetrics.isEmpty {
            next(
                "kinesis:EnableEnhancedMonitoring",
                .object(stream.merging(["ShardLevelMetrics": .array(addedMetrics.map(JSONValue.string))]) { a, _ in a }),
                "enable shard-level metrics \(addedMetrics.joined(separator: ", "))")
        }
        if !removedMetrics.isEmpty {
            next(
                "kinesis:DisableEnhancedMonitoring",
                .object(stream.merging(["ShardLevelMetrics": .array(removedMetrics.map(JSONValue.string))]) { a, _ in a }),
                "disable shard-level metrics \(removedMetrics.joined(separator: ", "))")
        }
        for chunk in TagParameters.chunks(tagsToAdd) {
            next(
                "kinesis:AddTagsToStream",
                .object(stream.merging(["Tags": TagParameters.kinesisMap(chunk)]) { a, _ in a }),
                "set tags \(chunk.keys.sorted().joined(separator: ", "))")
        }
        if removeUndeclaredTags {
            let removed = current.tags.keys.filter { desired.tags[$0] == nil }.sorted()
            for start in stride(from: 0, to: removed.count, by: 10) {
                let keys = removed[start..<min(start + 10, removed.count)]
                next(
                    "kinesis:RemoveTagsFromStream",
                    .object(stream.merging(["TagKeys": .array(keys.map(JSONValue.string))]) { a, _ in a }),
                    "remove tags \(keys.joined(separator: ", "))")
            }
        }
        return last
    }

    mutating func planDirectConsumer(_ spec: ConsumerSpec) {
        let address = spec.address
        let liveStream = live.streams[spec.stream]
        let liveConsumer = liveStream?.consumers?.first { $0.name == spec.name }
        if let liveConsumer {
            finish(address, last: nil)
            changes.append(
                ResourceChange(
                    address: address, region: region(of: address), managedBy: "kinesis", action: .noop,
                    liveFingerprint: Fingerprint.of(consumer: liveConsumer)))
            return
        }
        var parameters: [String: JSONValue] = ["ConsumerName": .string(spec.name)]
        var references: [String: StepReference] = [:]
        if let arn = liveStream?.arn { parameters["StreamARN"] = .string(arn) } else {
            references["StreamARN"] = .streamARN(stream: spec.stream)
        }
        let register = addStep(
            "kinesis:RegisterStreamConsumer", address, .object(parameters), references: references,
            after: prerequisites(of: address), reason: "consumer is not registered")
        finish(address, last: register)
        changes.append(
            ResourceChange(
                address: address, region: region(of: address), managedBy: "kinesis", action: .create,
                properties: [
                    PropertyChange(path: "stream", before: .null, after: .string(spec.stream)),
                    PropertyChange(path: "consumerName", before: .null, after: .string(spec.name)),
                ],
                liveFingerprint: Fingerprint.absent))
    }

    /// Live resources of this project that no manifest declares: listed, or deleted with `--prune`.
    mutating func planUndeclared() {
        let declaredStreams = Set(desired.streams.map(\.name))
        // Consumers on declared direct streams that are not declared.
        for spec in desired.streams where spec.stack == nil {
            guard let liveStream = live.streams[spec.name], let consumers = liveStream.consumers else { continue }
            let declared = Set(desired.consumers(ofStream: spec.name).map(\.name))
            for consumer in consumers where !declared.contains(consumer.name) {
                let address = ResourceAddress.consumer(consumer.name)
                if options.prune {
                    addStep(
                        "kinesis:DeregisterStreamConsumer", address, ["ConsumerARN": .string(consumer.arn)],
                        region: liveStream.region, after: frontier[spec.address] ?? [],
                        reason: "consumer is no longer declared (--prune)")
                    changes.append(
                        ResourceChange(
                            address: address, region: liveStream.region, managedBy: "kinesis", action: .delete,
                            properties: [PropertyChange(path: "stream", before: .string(spec.name), after: .null)],
                            liveFingerprint: Fingerprint.of(consumer: consumer),
                            destructiveReasons: ["consumer deregistered"]))
                } else {
                    notDeclared.append(
                        UnmanagedResource(address: address, region: liveStream.region, reason: "consumer of Stream/\(spec.name) not declared"))
                }
            }
        }
        for stream in live.undeclaredStreams where !declaredStreams.contains(stream.name) {
            let address = ResourceAddress.stream(stream.name)
            if options.prune {
                addStep(
                    "kinesis:DeleteStream", address, ["StreamName": .string(stream.name), "EnforceConsumerDeletion": true],
                    region: stream.region, after: [],
                    reason: "stream is tagged for this project but no longer declared (--prune)")
                changes.append(
                    ResourceChange(
                        address: address, region: stream.region, managedBy: "kinesis", action: .delete,
                        properties: StreamAttributes.deletionProperties(StreamAttributes(live: stream)),
                        liveFingerprint: Fingerprint.of(stream: stream), destructiveReasons: ["stream deleted with its data"]))
            } else {
                notDeclared.append(UnmanagedResource(address: address, region: stream.region, reason: "tagged for this project, not declared"))
            }
        }
        let declaredStacks = Set(desired.stacks.map(\.name))
        for stack in live.undeclaredStacks where !declaredStacks.contains(stack.name) {
            let address = ResourceAddress.stack(stack.name)
            if options.prune {
                if stack.terminationProtection {
                    errors.append(.terminationProtected(name: stack.name))
                    continue
                }
                addStep(
                    "cloudformation:DeleteStack", address, ["StackName": .string(stack.name)], region: stack.region,
                    after: [], reason: "stack is tagged for this project but no longer declared (--prune)")
                changes.append(
                    ResourceChange(
                        address: address, region: stack.region, managedBy: "cloudformation", action: .delete,
                        liveFingerprint: Fingerprint.of(stack: stack),
                        destructiveReasons: ["stack and every resource in it deleted"]))
            } else {
                notDeclared.append(UnmanagedResource(address: address, region: stack.region, reason: "tagged for this project, not declared"))
            }
        }
    }
}

extension StreamAttributes {
    /// Properties shown for a stream being created (before is null).
    static func creationProperties(_ attributes: StreamAttributes) -> [PropertyChange] {
        PropertyChange.fromNull(attributes.asProperties())
    }

    static func deletionProperties(_ attributes: StreamAttributes) -> [PropertyChange] {
        attributes.asProperties().map { PropertyChange(path: $0.path, before: $0.value, after: .null) }
    }

    /// Why going from `live` to `desired` loses data or availability.
    static func destructiveReasons(from live: StreamAttributes, to desired: StreamAttributes) -> [String] {
        var reasons: [String] = []
        if desired.retentionPeriodHours < live.retentionPeriodHours {
            reasons.append("retention decreased \(live.retentionPeriodHours)h → \(desired.retentionPeriodHours)h: older records become unreadable")
        }
        if live.encryptionKeyId != nil && desired.encryptionKeyId == nil {
            reasons.append("encryption removed: new records are stored unencrypted")
        }
        return reasons
    }

    /// Every property as (path, value), for creation and deletion listings.
    func asProperties() -> [(path: String, value: JSONValue)] {
        var result: [(String, JSONValue)] = [("streamMode", .string(mode.rawValue))]
        if let shardCount { result.append(("shardCount", .int(shardCount))) }
        result.append(("retentionPeriodHours", .int(retentionPeriodHours)))
        if let encryptionKeyId {
            result.append(("encryption.type", "KMS"))
            result.append(("encryption.keyId", .string(encryptionKeyId)))
        }
        if !shardLevelMetrics.isEmpty { result.append(("shardLevelMetrics", .array(shardLevelMetrics.map(JSONValue.string)))) }
        for (key, value) in tags.sorted(by: { $0.key < $1.key }) { result.append(("tags.\(key)", .string(value))) }
        return result
    }
}

extension PropertyChange {
    static func fromNull(_ properties: [(path: String, value: JSONValue)]) -> [PropertyChange] {
        properties.map { PropertyChange(path: $0.path, before: .null, after: $0.value) }
    }
}
