import AWSClient
import Formats

/// The stack's own change and CloudFormation steps, and the Kinesis drift fixes after them.
extension PlanBuilder {
    /// The stack's own properties: against the live stack, or all of them for a new one.
    func stackProperties(_ basis: StackBasis, template: JSONValue) -> [PropertyChange] {
        let spec = basis.spec
        guard let liveStack = basis.liveStack else { return newStackProperties(spec) }
        var properties = Self.templateDifferences(from: liveStack.template ?? .object([:]), to: template)
        properties += Self.mapDifferences("parameters", from: liveStack.parameters, to: spec.parameters)
        properties += Self.mapDifferences("tags", from: liveStack.tags, to: basis.desiredTags)
            .filter { $0.path != "tags.\(OwnershipTag.key)" || basis.adopting }
        if liveStack.terminationProtection != spec.terminationProtection {
            properties.append(
                PropertyChange(
                    path: "terminationProtection", before: .bool(liveStack.terminationProtection),
                    after: .bool(spec.terminationProtection)))
        }
        return properties
    }

    func newStackProperties(_ spec: StackSpec) -> [PropertyChange] {
        var properties: [PropertyChange] = []
        if let description = spec.description {
            properties.append(PropertyChange(path: "description", before: .null, after: .string(description)))
        }
        properties += Self.mapDifferences("parameters", from: [:], to: spec.parameters)
        properties += Self.mapDifferences("tags", from: [:], to: spec.tags)
        if spec.terminationProtection {
            properties.append(PropertyChange(path: "terminationProtection", before: .null, after: true))
        }
        for (section, value) in spec.template.sorted(by: { $0.key < $1.key }) {
            for (key, entry) in (value.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                properties.append(PropertyChange(path: "template.\(section).\(key)", before: .null, after: entry))
            }
        }
        return properties
    }

    /// CreateStack, or the UpdateStack rounds when template, parameters or tags differ.
    /// Returns the last step (or `first` when there is none).
    mutating func appendStackWrites(
        _ basis: StackBasis, template: JSONValue, carriedOver: [String: JSONValue], fingerprint: String,
        resharding: [String: [Int]], reason: String, after first: Int?
    ) -> Int? {
        let spec = basis.spec
        guard let liveStack = basis.liveStack else {
            let request = stackRequest(
                spec, template: template, tags: basis.desiredTags, protect: spec.terminationProtection,
                fingerprint: fingerprint)
            return addStep(
                .createStack(request), basis.address,
                after: first.map { [$0] } ?? prerequisites(of: basis.address),
                reason: basis.recreateReason == nil
                    ? "stack does not exist" : "re-create after deleting the failed stack")
        }
        let changed =
            liveStack.template != template || liveStack.parameters != spec.parameters
            || liveStack.tags != basis.desiredTags
        guard changed else { return first }
        var last = first
        for round in updateRounds(basis, template: template, carriedOver: carriedOver, resharding: resharding) {
            let request = stackRequest(
                spec, template: round.template, tags: basis.desiredTags, protect: false, fingerprint: fingerprint)
            last = addStep(
                .updateStack(request), basis.address,
                after: last.map { [$0] } ?? prerequisites(of: basis.address), reason: round.reason ?? reason)
        }
        return last
    }

    /// One UpdateStack, or one per resharding round when a member's shard count changes more
    /// than one call may (at most double or halve): each round but the last moves only the
    /// shard counts one round further; the last carries every other change.
    func updateRounds(
        _ basis: StackBasis, template: JSONValue, carriedOver: [String: JSONValue], resharding: [String: [Int]]
    ) -> [(template: JSONValue, reason: String?)] {
        let rounds = resharding.values.map(\.count).max() ?? 1
        guard rounds > 1 else { return [(template, nil)] }
        var result: [(template: JSONValue, reason: String?)] = []
        for round in 0..<(rounds - 1) {
            let overrides = resharding.compactMapValues { $0.count > round + 1 ? $0[round] : nil }
            let roundTemplate = Self.addingResources(
                carriedOver,
                to: TemplateSynthesizer.template(for: basis.spec, in: desired, shardCountOverrides: overrides))
            let counts = overrides.sorted { $0.key < $1.key }.map { "\($0.key) → \($0.value) shards" }
            result.append(
                (
                    roundTemplate,
                    "resharding step \(round + 1) of \(rounds): " + counts.joined(separator: ", ")
                        + " (one call may at most double or halve)"
                ))
        }
        result.append((template, "resharding step \(rounds) of \(rounds), with the remaining changes"))
        return result
    }

    mutating func appendTerminationProtection(_ basis: StackBasis, after last: Int?) -> Int? {
        let wanted = basis.spec.terminationProtection
        guard let liveStack = basis.liveStack, liveStack.terminationProtection != wanted else { return last }
        return addStep(
            .updateTerminationProtection(stack: basis.spec.name, enabled: wanted), basis.address,
            after: last.map { [$0] } ?? prerequisites(of: basis.address),
            reason: wanted ? "turn on termination protection" : "turn off termination protection")
    }

    /// A stack whose own properties are unchanged is not counted as updated when only its
    /// members change: the members' changes say what the UpdateStack does.
    func stackChange(
        _ basis: StackBasis, existed: Bool, properties: [PropertyChange], fingerprint: String
    ) -> ResourceChange {
        let action: ChangeAction =
            basis.recreateReason != nil ? .replace : (!existed ? .create : (properties.isEmpty ? .noop : .update))
        return ResourceChange(
            address: basis.address, region: region(of: basis.address), managedBy: .cloudFormation, action: action,
            properties: properties, liveFingerprint: fingerprint,
            destructiveReasons: basis.recreateReason == nil ? [] : [.failedStackRecreated],
            notes: basis.recreateReason.map { [$0] } ?? [])
    }

    /// Drift on members whose template value is unchanged: Kinesis calls after the stack's
    /// last step. Members' dependents then wait for those calls, or for the stack.
    mutating func appendDriftFixes(
        _ fixes: [(stream: StreamSpec, live: LiveStream, attributes: StreamAttributes)], stack spec: StackSpec,
        after last: Int?
    ) {
        for fix in fixes {
            var target = StreamAttributes(spec: fix.stream)
            // Only declared tags are ours to fix on a stack member; leave propagated ones.
            target.tags = fix.attributes.tags.merging(target.tags) { _, declared in declared }
            let transition = StreamTransition(
                name: fix.stream.name, current: fix.attributes, openShards: fix.live.openShardCount, desired: target,
                tagsToAdd: target.tags.filter { fix.attributes.tags[$0.key] != $0.value }, streamARN: fix.live.arn)
            let streamLast = appendChain(
                transition.calls, fix.stream.address, after: last, reason: "drift (changed outside reconcile)")
            frontier[fix.stream.address] = streamLast.map { [$0] } ?? frontier[spec.address]
        }
        for stream in desired.streams(inStack: spec.name) where frontier[stream.address] == nil {
            frontier[stream.address] = frontier[spec.address]
        }
        for consumer in desired.consumers(inStack: spec.name) { frontier[consumer.address] = frontier[spec.address] }
    }
}
