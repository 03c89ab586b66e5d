import AWSClient
import Formats

/// What one stack's plan works from, worked out once.
struct StackBasis {
    let spec: StackSpec
    /// The live stack to diff against: nil when there is none or when it is deleted and created again.
    let liveStack: LiveStack?
    /// Why a failed stack is deleted and created again.
    let recreateReason: String?
    let adopting: Bool
    /// Digest of `liveStack`, computed once (digesting the whole template per member was n² in members).
    let fingerprint: String
    let desiredTags: [String: String]

    var liveResources: [String: JSONValue] { liveStack?.templateResources ?? [:] }
    var address: ResourceAddress { spec.address }
}

/// A stack member stream's change, and what the plan must do about it besides the stack update.
struct MemberStreamPlan {
    var change: ResourceChange
    /// Drift on a member whose template value is unchanged: fixed with Kinesis calls after the stack.
    var driftFix: (stream: StreamSpec, live: LiveStream, attributes: StreamAttributes)?
    /// Resharding rounds when the shard count changes more than one call allows.
    var resharding: [Int]?
}

/// Stacks and their members: CloudFormation steps, plus direct Kinesis steps for drift.
extension PlanBuilder {
    mutating func planStack(_ spec: StackSpec) {
        guard let start = startingPoint(of: spec) else { return }
        let (existing, recreateReason) = start
        let address = spec.address
        let adopting = existing.map { needsAdoption(address, tags: $0.tags) } ?? false
        var first: Int?
        if let recreateReason {
            first = addStep(
                .deleteStack(stack: spec.name), address, after: prerequisites(of: address), reason: recreateReason)
        }
        let liveStack = recreateReason == nil ? existing : nil
        let basis = StackBasis(
            spec: spec, liveStack: liveStack, recreateReason: recreateReason, adopting: adopting,
            fingerprint: Fingerprint.of(stack: liveStack),
            desiredTags: spec.tags.merging(ownershipTags) { declared, _ in declared })

        let declaredTemplate = TemplateSynthesizer.template(for: spec, in: desired)
        let carriedOver = undeclaredMembersKept(basis, declared: declaredTemplate)
        let template = Self.addingResources(carriedOver, to: declaredTemplate)
        let streamPlans = desired.streams(inStack: spec.name).map { memberStreamPlan($0, basis) }
        let memberChanges =
            streamPlans.map(\.change)
            + desired.consumers(inStack: spec.name).map {
                memberConsumerChange($0, basis)
            }
        let properties = stackProperties(basis, template: template)
        let fingerprint = recreateReason == nil ? basis.fingerprint : Fingerprint.of(stack: existing)
        var last = appendStackWrites(
            basis, template: template, carriedOver: carriedOver, fingerprint: fingerprint,
            resharding: streamPlans.reduce(into: [:]) { $0[$1.change.address.name] = $1.resharding },
            reason: "update stack: " + Self.describe(properties, memberChanges), after: first)
        last = appendTerminationProtection(basis, after: last)
        finish(address, last: last)
        changes.append(stackChange(basis, existed: existing != nil, properties: properties, fingerprint: fingerprint))
        changes += memberChanges
        appendDriftFixes(streamPlans.compactMap(\.driftFix), stack: spec, after: last)
    }

    /// The live stack and, for a failed creation, why it is re-created; nil (with an error
    /// recorded) when the stack is busy or needs an operator's recovery first.
    mutating func startingPoint(of spec: StackSpec) -> (LiveStack?, String?)? {
        guard let stack = live.stacks[spec.name] else { return (nil, nil) }
        if stack.isInProgress {
            errors.append(.stackInProgress(name: spec.name, status: stack.status))
            return nil
        }
        if LiveStack.needsRecoveryStatuses.contains(stack.status) {
            errors.append(.stackNeedsRecovery(name: spec.name, status: stack.status))
            return nil
        }
        guard stack.failedCreation else { return (stack, nil) }
        return (stack, "stack is \(stack.status) after a failed create; CloudFormation can only delete it")
    }

    /// Kinesis members of the deployed template that no manifest declares: kept in the
    /// template (and listed), or, with `--prune`, dropped from it as deletions.
    mutating func undeclaredMembersKept(_ basis: StackBasis, declared template: JSONValue) -> [String: JSONValue] {
        let declared = template["Resources"]?.objectValue ?? [:]
        var kept: [String: JSONValue] = [:]
        for (logicalId, resource) in basis.liveResources.sorted(by: { $0.key < $1.key })
        where declared[logicalId] == nil && isKinesisMember(resource) {
            let member = memberAddress(logicalId: logicalId, resource: resource)
            if options.prune {
                changes.append(
                    deletion(
                        member, region: region(of: basis.address), managedBy: .stack(basis.spec.name),
                        fingerprint: basis.fingerprint, notes: ["removed from the stack's template (--prune)"]))
            } else {
                kept[logicalId] = resource
                notDeclared.append(
                    UnmanagedResource(
                        address: member, region: region(of: basis.address),
                        reason: "in Stack/\(basis.spec.name), not declared; kept in its template"))
            }
        }
        return kept
    }

    /// A member stream compared with the deployed template, and with the live stream for drift.
    mutating func memberStreamPlan(_ stream: StreamSpec, _ basis: StackBasis) -> MemberStreamPlan {
        let liveStream = live.streams[stream.name]
        let desiredAttributes = StreamAttributes(spec: stream)
        let fingerprint = Fingerprint.combining([basis.fingerprint, Fingerprint.of(stream: liveStream)])
        guard let deployed = basis.liveResources[stream.logicalId],
            deployed["Type"]?.stringValue == Self.kinesisStreamType
        else {
            let finding = StackMemberGuidance.finding(for: stream, in: basis.liveStack)
            if basis.recreateReason == nil && (liveStream != nil || finding != .outsideStack) {
                let guidance = StackMemberGuidance(stream: stream, stack: basis.spec.name, finding: finding)
                errors.append(.streamNotInStack(guidance))
            }
            let properties = StreamAttributes.creationProperties(desiredAttributes)
            return MemberStreamPlan(
                change: creation(
                    stream.address, managedBy: stream.managedBy, properties: properties, fingerprint: fingerprint))
        }
        let deployedAttributes = StreamAttributes(templateResource: basis.liveStack?.evaluated(deployed) ?? deployed)
        var plan = MemberStreamPlan(
            change: update(stream.address, managedBy: stream.managedBy, properties: [], fingerprint: fingerprint))
        var properties = deployedAttributes.changes(to: desiredAttributes)
        var reasons = StreamAttributes.destructiveReasons(from: deployedAttributes, to: desiredAttributes)
        if let liveStream {
            let liveAttributes = StreamAttributes(live: liveStream)
            let drift = liveAttributes.changes(to: deployedAttributes, tagsMustMatchExactly: false)
                .filter { change in !properties.contains { $0.path == change.path } }
            if !drift.isEmpty {
                // Shown as live → desired; the template already says the desired value.
                properties += drift.map {
                    PropertyChange(path: $0.path, before: $0.before, after: $0.after, drift: true)
                }
                plan.driftFix = (stream, liveStream, liveAttributes)
            }
            plan.resharding = reshardingRounds(desiredAttributes, deployed: deployedAttributes, live: liveStream)
            // Judged against the live stream too: a drift fix can lower retention or drop encryption.
            reasons += StreamAttributes.destructiveReasons(from: liveAttributes, to: desiredAttributes)
        }
        if let change = deletionPolicyChange(stream, deployed: deployed) { properties.append(change) }
        plan.change = update(
            stream.address, managedBy: stream.managedBy, properties: properties, drift: plan.driftFix != nil,
            fingerprint: fingerprint, destructiveReasons: Set(reasons).sorted { $0.description < $1.description })
        return plan
    }

    /// The shard counts of each UpdateStack round, when one round cannot reach the target.
    func reshardingRounds(_ desired: StreamAttributes, deployed: StreamAttributes, live: LiveStream) -> [Int]? {
        guard let target = desired.shardCount, desired.mode == .provisioned, deployed.shardCount != target else {
            return nil
        }
        let targets = ShardScaling.steps(from: live.openShardCount, to: target)
        return targets.count > 1 ? targets : nil
    }

    func deletionPolicyChange(_ stream: StreamSpec, deployed: JSONValue) -> PropertyChange? {
        guard deployed["DeletionPolicy"]?.stringValue ?? "Delete" != stream.deletionPolicy.rawValue else { return nil }
        return PropertyChange(
            path: "deletionPolicy", before: deployed["DeletionPolicy"] ?? .string("Delete"),
            after: .string(stream.deletionPolicy.rawValue))
    }

    func memberConsumerChange(_ consumer: ConsumerSpec, _ basis: StackBasis) -> ResourceChange {
        let deployed = basis.liveResources[consumer.logicalId]
        if let deployed, deployed["Type"]?.stringValue == Self.kinesisConsumerType {
            var deployedTags: [String: String] = [:]
            for tag in deployed["Properties"]?["Tags"]?.arrayValue ?? [] {
                if let key = tag["Key"]?.stringValue { deployedTags[key] = tag["Value"]?.stringValue ?? "" }
            }
            return update(
                consumer.address, managedBy: .stack(basis.spec.name),
                properties: Self.consumerTagChanges(live: deployedTags, desired: consumer.tags),
                fingerprint: basis.fingerprint)
        }
        return consumerCreation(consumer, managedBy: .stack(basis.spec.name), fingerprint: basis.fingerprint)
    }
}
