import AWSClient
import Crypto
import Formats
import Foundation

/// Stacks and their members: CloudFormation steps, plus direct Kinesis steps for drift.
extension PlanBuilder {
    static let kinesisStreamType = "AWS::Kinesis::Stream"
    static let kinesisConsumerType = "AWS::Kinesis::StreamConsumer"

    mutating func planStack(_ spec: StackSpec) {
        let address = spec.address
        var liveStack = live.stacks[spec.name]
        var recreateReason: String?
        if let stack = liveStack {
            if stack.isInProgress {
                errors.append(.stackInProgress(name: spec.name, status: stack.status))
                return
            }
            switch stack.status {
            case "ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "CREATE_FAILED":
                recreateReason = "stack is \(stack.status) after a failed create; CloudFormation can only delete it"
            case "UPDATE_ROLLBACK_FAILED", "DELETE_FAILED", "IMPORT_ROLLBACK_FAILED":
                errors.append(.stackNeedsRecovery(name: spec.name, status: stack.status))
                return
            default:
                break
            }
        }
        let adopting = liveStack.map { needsAdoption(address, tags: $0.tags) } ?? false
        var first: Int?
        if let reason = recreateReason, liveStack != nil {
            first = addStep(
                "cloudformation:DeleteStack", address, ["StackName": .string(spec.name)], after: prerequisites(of: address),
                reason: reason)
            liveStack = nil
        }
        let liveTemplateResources = liveStack?.templateResources ?? [:]
        // Once per stack: digesting the stack (its whole template) per member was n² in members.
        let liveStackFingerprint = Fingerprint.of(stack: liveStack)

        // The new template, keeping undeclared Kinesis members unless --prune drops them.
        var template = TemplateSynthesizer.template(for: spec, in: desired)
        let declaredLogicalIds = Set(template["Resources"]?.objectValue?.keys.map { $0 } ?? [])
        var carriedOver: [String: JSONValue] = [:]
        for (logicalId, resource) in liveTemplateResources.sorted(by: { $0.key < $1.key })
        where !declaredLogicalIds.contains(logicalId) && isKinesisMember(resource) {
            let memberAddress = memberAddress(logicalId: logicalId, resource: resource)
            if options.prune {
                changes.append(
                    ResourceChange(
                        address: memberAddress, region: region(of: address), managedBy: "Stack/\(spec.name)",
                        action: .delete, liveFingerprint: liveStackFingerprint,
                        destructiveReasons: [memberAddress.kind == .stream ? "stream deleted with its data" : "consumer deregistered"],
                        notes: ["removed from the stack's template (--prune)"]))
            } else {
                carriedOver[logicalId] = resource
                notDeclared.append(
                    UnmanagedResource(address: memberAddress, region: region(of: address), reason: "in Stack/\(spec.name), not declared; kept in its template"))
            }
        }
        template = Self.addingResources(carriedOver, to: template)

        // Members: compare with the deployed template; compare live streams for drift.
        var memberChanges: [ResourceChange] = []
        var driftFixes: [(StreamSpec, LiveStream, StreamAttributes)] = []
        var scaling: [String: [Int]] = [:]
        for stream in desired.streams(inStack: spec.name) {
            let liveStream = live.streams[stream.name]
            let desiredAttributes = StreamAttributes(spec: stream)
            let fingerprint = Fingerprint.combining([liveStackFingerprint, Fingerprint.of(stream: liveStream)])
            guard let deployed = liveTemplateResources[stream.logicalId], deployed["Type"]?.stringValue == Self.kinesisStreamType else {
                if liveStream != nil && recreateReason == nil {
                    errors.append(.streamExistsOutsideStack(stream: stream.name, stack: spec.name))
                }
                memberChanges.append(
                    ResourceChange(
                        address: stream.address, region: region(of: stream.address), managedBy: stream.managedBy, action: .create,
                        properties: StreamAttributes.creationProperties(desiredAttributes), liveFingerprint: fingerprint))
                continue
            }
            let deployedAttributes = StreamAttributes(templateResource: deployed)
            var properties = deployedAttributes.changes(to: desiredAttributes)
            var drifted = false
            if let liveStream {
                let liveAttributes = StreamAttributes(live: liveStream)
                let drift = liveAttributes.changes(to: deployedAttributes, tagsMustMatchExactly: false)
                    .filter { change in !properties.contains { $0.path == change.path } }
                if !drift.isEmpty {
                    drifted = true
                    // Shown as live → desired; the template already says the desired value.
                    properties += drift.map {
                        PropertyChange(path: $0.path, before: $0.before, after: $0.after, drift: true)
                    }
                    driftFixes.append((stream, liveStream, liveAttributes))
                }
                if let target = desiredAttributes.shardCount, desiredAttributes.mode == .provisioned,
                    deployedAttributes.shardCount != target
                {
                    let targets = ShardScaling.steps(from: liveStream.openShardCount, to: target)
                    if targets.count > 1 { scaling[stream.name] = targets }
                }
            }
            if deployed["DeletionPolicy"]?.stringValue ?? "Delete" != stream.deletionPolicy.rawValue {
                properties.append(
                    PropertyChange(
                        path: "deletionPolicy", before: deployed["DeletionPolicy"] ?? .string("Delete"),
                        after: .string(stream.deletionPolicy.rawValue)))
            }
            memberChanges.append(
                ResourceChange(
                    address: stream.address, region: region(of: stream.address), managedBy: stream.managedBy,
                    action: properties.isEmpty ? .noop : .update, drift: drifted, properties: properties,
                    liveFingerprint: fingerprint,
                    // Judged against the live stream too: a drift fix can lower retention or drop encryption.
                    destructiveReasons: Array(Set(
                        StreamAttributes.destructiveReasons(from: deployedAttributes, to: desiredAttributes)
                            + (liveStream.map { StreamAttributes.destructiveReasons(from: StreamAttributes(live: $0), to: desiredAttributes) } ?? [])
                    )).sorted()))
        }
        for consumer in desired.consumers(inStack: spec.name) {
            let exists = liveTemplateResources[consumer.logicalId]?["Type"]?.stringValue == Self.kinesisConsumerType
            memberChanges.append(
                ResourceChange(
                    address: consumer.address, region: region(of: consumer.address),
                    managedBy: "Stack/\(spec.name)", action: exists ? .noop : .create,
                    properties: exists ? [] : [
                        PropertyChange(path: "stream", before: .null, after: .string(consumer.stream)),
                        PropertyChange(path: "consumerName", before: .null, after: .string(consumer.name)),
                    ],
                    liveFingerprint: liveStackFingerprint))
        }

        // The stack itself.
        let desiredTags = spec.tags.merging(ownershipTags) { declared, _ in declared }
        var stackProperties: [PropertyChange] = []
        let liveTemplate = liveStack?.template ?? .object([:])
        if liveStack != nil {
            stackProperties += Self.templateDifferences(from: liveTemplate, to: template)
            stackProperties += Self.mapDifferences("parameters", from: liveStack?.parameters ?? [:], to: spec.parameters)
            stackProperties += Self.mapDifferences("tags", from: liveStack?.tags ?? [:], to: desiredTags)
                .filter { $0.path != "tags.\(OwnershipTag.key)" || adopting }
            if liveStack?.terminationProtection != spec.terminationProtection {
                stackProperties.append(
                    PropertyChange(
                        path: "terminationProtection", before: .bool(liveStack?.terminationProtection ?? false),
                        after: .bool(spec.terminationProtection)))
            }
        } else {
            if let description = spec.description { stackProperties.append(PropertyChange(path: "description", before: .null, after: .string(description))) }
            stackProperties += Self.mapDifferences("parameters", from: [:], to: spec.parameters)
            stackProperties += Self.mapDifferences("tags", from: [:], to: spec.tags)
            if spec.terminationProtection { stackProperties.append(PropertyChange(path: "terminationProtection", before: .null, after: true)) }
            for (section, value) in spec.template.sorted(by: { $0.key < $1.key }) {
                for (key, entry) in (value.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                    stackProperties.append(PropertyChange(path: "template.\(section).\(key)", before: .null, after: entry))
                }
            }
        }

        let stackFingerprint = recreateReason == nil ? liveStackFingerprint : Fingerprint.of(stack: live.stacks[spec.name])
        let templateChanged = liveStack.map { $0.template != template } ?? true
        let parametersChanged = liveStack.map { $0.parameters != spec.parameters } ?? true
        let tagsChanged = liveStack.map { $0.tags != desiredTags } ?? true
        var last = first
        if liveStack == nil {
            var parameters = stackParameters(spec, template: template, tags: desiredTags)
            if spec.terminationProtection { parameters["EnableTerminationProtection"] = true }
            parameters["ClientRequestToken"] = .string(Self.requestToken(spec.name, steps.count, stackFingerprint, parameters))
            last = addStep(
                "cloudformation:CreateStack", address, .object(parameters),
                after: (first.map { [$0] } ?? prerequisites(of: address)).map { $0 },
                reason: recreateReason == nil ? "stack does not exist" : "re-create after deleting the failed stack")
        } else if templateChanged || parametersChanged || tagsChanged {
            let rounds = scaling.values.map(\.count).max() ?? 1
            for round in 0..<rounds {
                var roundTemplate = template
                var reason = "update stack: " + Self.describe(stackProperties, memberChanges)
                if round < rounds - 1 {
                    let overrides = scaling.compactMapValues { $0.count > round + 1 ? $0[round] : nil }
                    roundTemplate = Self.addingResources(
                        carriedOver, to: TemplateSynthesizer.template(for: spec, in: desired, shardCountOverrides: overrides))
                    reason = "resharding step \(round + 1) of \(rounds): "
                        + overrides.sorted { $0.key < $1.key }.map { "\($0.key) → \($0.value) shards" }.joined(separator: ", ")
                        + " (one call may at most double or halve)"
                } else if rounds > 1 {
                    reason = "resharding step \(rounds) of \(rounds), with the remaining changes"
                }
                var parameters = stackParameters(spec, template: roundTemplate, tags: desiredTags)
                parameters["ClientRequestToken"] = .string(
                    Self.requestToken(spec.name, steps.count, stackFingerprint, parameters))
                last = addStep(
                    "cloudformation:UpdateStack", address, .object(parameters),
                    after: last.map { [$0] } ?? prerequisites(of: address), reason: reason)
                }
        }
        if let liveStack, liveStack.terminationProtection != spec.terminationProtection {
            last = addStep(
                "cloudformation:UpdateTerminationProtection", address,
                ["StackName": .string(spec.name), "EnableTerminationProtection": .bool(spec.terminationProtection)],
                after: last.map { [$0] } ?? prerequisites(of: address),
                reason: spec.terminationProtection ? "turn on termination protection" : "turn off termination protection")
        }
        finish(address, last: last)

        // A stack whose own properties are unchanged is not counted as updated when only its
        // members change: the members' changes say what the UpdateStack does.
        let action: ChangeAction =
            recreateReason != nil ? .replace : (live.stacks[spec.name] == nil ? .create : (stackProperties.isEmpty ? .noop : .update))
        var destructive: [String] = []
        if recreateReason != nil { destructive.append("failed stack deleted and created again") }
        changes.append(
            ResourceChange(
                address: address, region: region(of: address), managedBy: "cloudformation", action: action,
                properties: stackProperties, liveFingerprint: stackFingerprint, destructiveReasons: destructive,
                notes: recreateReason.map { [$0] } ?? []))
        changes += memberChanges

        // Drift on members whose template value is unchanged: fix with Kinesis calls after the stack.
        for (stream, liveStream, liveAttributes) in driftFixes {
            var target = StreamAttributes(spec: stream)
            // Only declared tags are ours to fix on a stack member; leave propagated ones.
            target.tags = liveAttributes.tags.merging(target.tags) { _, declared in declared }
            let streamLast = appendStreamSteps(
                stream.name, stream.address, from: liveAttributes, openShards: liveStream.openShardCount, to: target,
                tagsToAdd: target.tags.filter { liveAttributes.tags[$0.key] != $0.value }, streamARN: liveStream.arn,
                after: last, reason: "drift (changed outside reconcile)")
            frontier[stream.address] = streamLast.map { [$0] } ?? frontier[address]
        }
        for stream in desired.streams(inStack: spec.name) where frontier[stream.address] == nil {
            frontier[stream.address] = frontier[address]
        }
        for consumer in desired.consumers(inStack: spec.name) { frontier[consumer.address] = frontier[address] }
    }

    func stackParameters(_ spec: StackSpec, template: JSONValue, tags: [String: String]) -> [String: JSONValue] {
        var parameters: [String: JSONValue] = [
            "StackName": .string(spec.name),
            "TemplateBody": .string(TemplateSynthesizer.render(template)),
            "Tags": TagParameters.cloudFormationList(tags),
        ]
        if !spec.parameters.isEmpty {
            parameters["Parameters"] = .array(
                spec.parameters.sorted { $0.key < $1.key }.map {
                    ["ParameterKey": .string($0.key), "ParameterValue": .string($0.value)]
                })
        }
        if !spec.capabilities.isEmpty { parameters["Capabilities"] = .array(spec.capabilities.sorted().map(JSONValue.string)) }
        return parameters
    }

    func isKinesisMember(_ resource: JSONValue) -> Bool {
        let type = resource["Type"]?.stringValue
        return type == Self.kinesisStreamType || type == Self.kinesisConsumerType
    }

    func memberAddress(logicalId: String, resource: JSONValue) -> ResourceAddress {
        if resource["Type"]?.stringValue == Self.kinesisStreamType {
            return .stream(resource["Properties"]?["Name"]?.stringValue ?? logicalId)
        }
        return .consumer(resource["Properties"]?["ConsumerName"]?.stringValue ?? logicalId)
    }

    static func addingResources(_ extra: [String: JSONValue], to template: JSONValue) -> JSONValue {
        guard !extra.isEmpty, var root = template.objectValue else { return template }
        var resources = root["Resources"]?.objectValue ?? [:]
        resources.merge(extra) { declared, _ in declared }
        root["Resources"] = .object(resources)
        return .object(root)
    }

    /// Pass-through differences between two templates, section by section, leaving out
    /// Kinesis members (they are shown as their own changes).
    static func templateDifferences(from old: JSONValue, to new: JSONValue) -> [PropertyChange] {
        var result: [PropertyChange] = []
        if old["Description"] != new["Description"] {
            result.append(PropertyChange(path: "description", before: old["Description"] ?? .null, after: new["Description"] ?? .null))
        }
        for section in ["Parameters", "Conditions", "Mappings", "Resources", "Outputs"] {
            let before = old[section]?.objectValue ?? [:]
            let after = new[section]?.objectValue ?? [:]
            for key in Set(before.keys).union(after.keys).sorted() where before[key] != after[key] {
                let type = (after[key] ?? before[key])?["Type"]?.stringValue
                if section == "Resources" && (type == kinesisStreamType || type == kinesisConsumerType) { continue }
                result.append(
                    PropertyChange(path: "template.\(section).\(key)", before: before[key] ?? .null, after: after[key] ?? .null))
            }
        }
        return result
    }

    static func mapDifferences(_ prefix: String, from old: [String: String], to new: [String: String]) -> [PropertyChange] {
        Set(old.keys).union(new.keys).sorted().compactMap { key in
            old[key] == new[key]
                ? nil
                : PropertyChange(
                    path: "\(prefix).\(key)", before: old[key].map(JSONValue.string) ?? .null,
                    after: new[key].map(JSONValue.string) ?? .null)
        }
    }

    static func describe(_ stackProperties: [PropertyChange], _ members: [ResourceChange]) -> String {
        var parts = stackProperties.map(\.path)
        parts += members.filter { $0.action != .noop }.map { "\($0.action.rawValue) \($0.address)" }
        return parts.isEmpty ? "template, parameters or tags differ" : parts.joined(separator: ", ")
    }

    /// A CloudFormation ClientRequestToken derived from the stack, the step and everything the
    /// request sends (template, parameters, tags, capabilities, termination protection), so a
    /// retried request is recognised by CloudFormation and never acts twice, while a request that
    /// differs in anything gets a token of its own.
    static func requestToken(
        _ stack: String, _ step: Int, _ fingerprint: String, _ request: [String: JSONValue]
    ) -> String {
        var hasher = SHA256()
        hasher.update(data: Data("\(stack)\n\(step)\n\(fingerprint)\n".utf8))
        hasher.update(data: JSONValue.object(request).serialized())
        let digest = hasher.finalize().lowercaseHex
        return "reconcile-\(digest.prefix(40))"
    }
}
