import AWSClient
import Formats

/// Directly managed streams: Kinesis API steps.
extension PlanBuilder {
    mutating func planDirectStream(_ spec: StreamSpec) {
        guard let live = live.streams[spec.name] else {
            planNewStream(spec)
            return
        }
        let address = spec.address
        let adopting = needsAdoption(address, tags: live.tags)
        let desiredAttributes = StreamAttributes(spec: spec)
        let liveAttributes = StreamAttributes(live: live)
        var properties = liveAttributes.changes(to: desiredAttributes)
        var adoptionStep: Int?
        if adopting {
            properties.insert(adoptionProperty(tags: live.tags), at: 0)
            adoptionStep = addStep(
                .addTags(stream: spec.name, tags: ownershipTags), address, after: prerequisites(of: address),
                reason: "adopt: tag as project '\(options.project)'")
        }
        let transition = StreamTransition(
            name: spec.name, current: liveAttributes, openShards: live.openShardCount, desired: desiredAttributes,
            tagsToAdd: desiredAttributes.tags.filter { liveAttributes.tags[$0.key] != $0.value }
                .merging(resourcePolicyTags(for: spec, live: live)) { declared, _ in declared },
            removeUndeclaredTags: true, streamARN: live.arn)
        let chained = appendChain(
            transition.calls, address, after: adoptionStep,
            extraDependencies: adoptionStep == nil ? prerequisites(of: address) : [], reason: nil)
        let policy = planResourcePolicy(
            declared: spec.resourcePolicy, live: live.resourcePolicy, managed: live.managesResourcePolicies,
            target: .stream(.arn(live.arn, stream: spec.name)), address, after: chained,
            extraDependencies: chained == nil ? prerequisites(of: address) : [])
        let last = policy.last
        if let change = policy.property { properties.append(change) }
        finish(address, last: last)
        changes.append(
            update(
                address, managedBy: spec.managedBy, properties: properties, fingerprint: Fingerprint.of(stream: live),
                destructiveReasons: StreamAttributes.destructiveReasons(from: liveAttributes, to: desiredAttributes)))
    }

    /// CreateStream sets mode and shards (and tags on AWS); the rest are separate calls.
    mutating func planNewStream(_ spec: StreamSpec) {
        let address = spec.address
        let desiredAttributes = StreamAttributes(spec: spec)
        let createIndex = addStep(
            createStreamAction(spec), address, after: prerequisites(of: address),
            reason: "stream does not exist")
        var initial = desiredAttributes
        initial.retentionPeriodHours = 24
        initial.encryptionKeyId = nil
        initial.shardLevelMetrics = []
        initial.tags = [:]
        // CreateStream sets the maximum record size and warm throughput (see createStreamAction).
        let transition = StreamTransition(
            name: spec.name, current: initial, openShards: spec.shardCount ?? 1, desired: desiredAttributes,
            tagsToAdd: spec.tags.merging(ownershipTags) { declared, _ in declared }
                .merging(resourcePolicyTags(for: spec, live: nil)) { declared, _ in declared })
        let chained = appendChain(transition.calls, address, after: createIndex, reason: "new stream")
        let policy = planResourcePolicy(
            declared: spec.resourcePolicy, live: nil, managed: false, target: .stream(.created(stream: spec.name)),
            address, after: chained)
        finish(address, last: policy.last)
        changes.append(
            creation(
                address, managedBy: spec.managedBy,
                properties: StreamAttributes.creationProperties(desiredAttributes)
                    + [policy.property].compactMap { $0 },
                fingerprint: Fingerprint.absent))
    }

    func adoptionProperty(tags: [String: String]) -> PropertyChange {
        PropertyChange(
            path: "tags.\(OwnershipTag.key)", before: tags[OwnershipTag.key].map(JSONValue.string) ?? .null,
            after: .string(options.project))
    }

    func createStreamAction(_ spec: StreamSpec) -> StepAction {
        let tags = spec.tags.merging(ownershipTags) { declared, _ in declared }
            .merging(resourcePolicyTags(for: spec, live: nil)) { declared, _ in declared }
        // AWS applies the tags atomically with the create, so ownership is never missing there;
        // AddTagsToStream steps repeat them for endpoints that ignore this field.
        return .createStream(
            stream: spec.name, mode: spec.mode, shardCount: spec.mode == .provisioned ? spec.shardCount ?? 1 : nil,
            tags: TagParameters.chunks(tags, size: 50).first ?? [:], maxRecordSizeKiB: spec.maxRecordSizeKiB,
            warmThroughputMiBps: spec.mode == .onDemand ? spec.warmThroughputMiBps : nil)
    }

    /// Appends `calls` as steps of `address`, each after the one before (Kinesis allows one
    /// update at a time per stream). Returns the last step's index, or `previous` when none.
    mutating func appendChain(
        _ calls: [StepDraft], _ address: ResourceAddress, after previous: Int?, extraDependencies: [Int] = [],
        reason: String?
    ) -> Int? {
        var last = previous
        var firstDependencies = extraDependencies
        for call in calls {
            last = addStep(
                call.action, address, after: [last] + firstDependencies,
                reason: reason.map { "\($0): \(call.reason)" } ?? call.reason)
            firstDependencies = []
        }
        return last
    }
}
