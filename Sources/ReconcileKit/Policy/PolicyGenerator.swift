import AWSClient
import Formats

/// The commands a policy can be generated for.
public enum PolicyCommand: String, Sendable, Hashable, CaseIterable, Comparable {
    case plan, apply, destroy, verify

    public static func < (lhs: PolicyCommand, rhs: PolicyCommand) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

public enum PolicyError: Error, Sendable, CustomStringConvertible {
    case planning(String)
    case invalidAccount(String)

    public var description: String {
        switch self {
        case .planning(let detail): "cannot derive the policy from the planner: \(detail)"
        case .invalidAccount(let account): "'\(account)' is not an AWS account id (12 digits)"
        }
    }
}

/// One IAM statement: actions allowed on resources, named by what they are for.
public struct PolicyStatement: Sendable, Hashable {
    public var sid: String
    public var actions: [String]
    public var resources: [String]

    public var json: JSONValue {
        [
            "Sid": .string(sid), "Effect": "Allow", "Action": .array(actions.map(JSONValue.string)),
            "Resource": .array(resources.map(JSONValue.string))
        ]
    }
}

/// The least-privilege IAM policy for plan, apply, destroy and verify on declared
/// resources. Writes come from the planner itself, run against made-up live states
/// (nothing exists; everything exists and differs in each direction; a failed stack;
/// everything exists and is owned), so every operation apply or destroy could emit for
/// these manifests is covered and nothing else; reads come from the live-state reader,
/// the applier's waits and the verifier; IAM actions from each `AWSOperation`.
public enum PolicyGenerator {
    static let syntheticProject = "reconcile-policy"
    static let syntheticAccount = "000000000000"

    /// One IAM grant: the statement it belongs to and the call it allows.
    typealias Grant = (sid: String, call: AWSCall)

    public static func statements(
        desired: DesiredState, regions: [ResourceAddress: String], account: String, commands: Set<PolicyCommand>
    ) throws(PolicyError) -> [PolicyStatement] {
        guard account.count == 12, account.allSatisfy(\.isNumber) else { throw .invalidAccount(account) }
        var grants: [Grant] = []
        if commands.contains(.plan) || commands.contains(.apply) {
            let calls = LiveStateReader.calls(
                desired: desired, regions: regions, discoverUndeclared: true, readAllConsumers: false)
            grants += readGrants(calls)
        }
        if commands.contains(.destroy) {
            let calls = LiveStateReader.calls(
                desired: desired, regions: regions, discoverUndeclared: false, readAllConsumers: false)
            grants += readGrants(calls)
        }
        for command in [PolicyCommand.apply, .destroy] where commands.contains(command) {
            grants += try writeGrants(command, desired: desired, regions: regions)
        }
        if commands.contains(.verify) {
            for stream in desired.streams {
                for operation in StreamVerifier.operations {
                    let call = AWSCall(operation, region: regions[stream.address] ?? "", .stream(stream.name))
                    grants.append(("VerifyPutsAndReadsBackATestRecord", call))
                }
            }
        }
        return statements(grouping: grants, account: account)
    }

    static func readGrants(_ calls: [AWSCall]) -> [Grant] {
        calls.map { call in
            switch call.resource {
            case .stack: ("ReadDeclaredStacks", call)
            case .stream, .consumer: ("ReadDeclaredStreams", call)
            case .account: ("ListAllStreamsAndStacksToFindUndeclaredOnesNoResourceLevelScopeExists", call)
            case .everyStream: ("ReadTagsOfEveryStreamInRegionToFindThisProjectsUndeclaredStreams", call)
            case .everyStack: ("ReadTemplatesOfThisProjectsUndeclaredStacksNamesUnknownInAdvance", call)
            }
        }
    }

    /// The planner's writes for `command` and the applier's reads around them, plus what
    /// CloudFormation calls for the members of the stacks written.
    static func writeGrants(
        _ command: PolicyCommand, desired: DesiredState, regions: [ResourceAddress: String]
    ) throws(PolicyError) -> [Grant] {
        let prefix = command == .apply ? "Apply" : "Destroy"
        let steps = try plannedSteps(desired: desired, regions: regions, mode: command == .apply ? .apply : .destroy)
        var grants: [Grant] = []
        var stacksWritten = Set<String>()
        for step in steps {
            let written = step.action.operation
            let kind =
                switch step.address.kind {
                case .stack: "Stacks"
                case .stream: "Streams"
                case .streamConsumer: "Consumers"
                }
            for operation in [written] + Applier.followUpOperations(of: written) {
                let target = resource(of: step, operation: operation, desired: desired)
                grants.append(("\(prefix)\(kind)", AWSCall(operation, region: step.region, target)))
            }
            if written.service == .cloudformation && written != .updateTerminationProtection {
                stacksWritten.insert(step.address.name)
            }
        }
        // No service role: CloudFormation calls Kinesis with the caller's credentials.
        let handlers: [CloudFormationHandler] =
            command == .apply ? [.create, .read, .update, .delete] : [.read, .delete]
        for stackName in stacksWritten.sorted() {
            let region = regions[.stack(stackName)] ?? ""
            grants += handlerGrants(stackName, handlers: handlers, desired: desired, region: region)
        }
        return grants
    }

    static func handlerGrants(
        _ stackName: String, handlers: [CloudFormationHandler], desired: DesiredState, region: String
    ) -> [Grant] {
        var grants: [Grant] = []
        for stream in desired.streams(inStack: stackName) {
            for action in handlers.flatMap(\.streamOperations) {
                let call = AWSCall(action, region: region, .stream(stream.name))
                grants.append(("CloudFormationCallsKinesisForStackStreams", call))
            }
        }
        for consumer in desired.consumers(inStack: stackName) {
            for action in handlers.flatMap(\.consumerOperations) {
                let target: AWSCall.Resource =
                    action == .registerStreamConsumer
                    ? .stream(consumer.stream) : .consumer(stream: consumer.stream, name: consumer.name)
                grants.append(("CloudFormationCallsKinesisForStackConsumers", AWSCall(action, region: region, target)))
            }
        }
        return grants
    }

    /// Groups grants by Sid, in first-seen order; actions and resources sorted.
    static func statements(grouping grants: [Grant], account: String) -> [PolicyStatement] {
        var order: [String] = []
        var actions: [String: Set<String>] = [:]
        var resources: [String: Set<String>] = [:]
        for (sid, call) in grants {
            let iamActions = call.operation.iamActions
            guard !iamActions.isEmpty else { continue }
            if actions[sid] == nil { order.append(sid) }
            actions[sid, default: []].formUnion(iamActions)
            resources[sid, default: []].insert(arn(call.resource, region: call.region, account: account))
        }
        return order.map {
            PolicyStatement(sid: $0, actions: (actions[$0] ?? []).sorted(), resources: (resources[$0] ?? []).sorted())
        }
    }

    /// What the policy cannot cover: pass-through resources CloudFormation creates with
    /// the caller's credentials, and customer-managed KMS keys.
    public static func caveats(desired: DesiredState, commands: Set<PolicyCommand>) -> [String] {
        var notes: [String] = []
        if commands.contains(.apply) || commands.contains(.destroy) {
            for stack in desired.stacks {
                let types = Set(
                    (stack.template["Resources"]?.objectValue ?? [:]).values.compactMap { $0["Type"]?.stringValue }
                ).sorted()
                if !types.isEmpty {
                    notes.append(
                        "Stack/\(stack.name) has pass-through resources (\(types.joined(separator: ", "))): CloudFormation creates, "
                            + "updates and deletes them with your credentials, so add those services' permissions (not generated)."
                    )
                }
            }
        }
        for stream in desired.streams {
            if let key = stream.encryption.keyId, key != "alias/aws/kinesis" {
                notes.append(
                    "Stream/\(stream.name) is encrypted with \(key): the key policy must let this principal use it "
                        + "(kms:GenerateDataKey for apply and verify's PutRecord, kms:Decrypt for GetRecords); not generated."
                )
            }
        }
        return notes
    }

    /// `Version` first, as IAM's console writes it, then the statements.
    public static func render(_ statements: [PolicyStatement]) -> String {
        let body = statements.map { statement -> String in
            let lines = JSONValue.object([
                "Sid": .string(statement.sid), "Effect": "Allow",
                "Action": .array(statement.actions.map(JSONValue.string)),
                "Resource": .array(statement.resources.map(JSONValue.string))
            ]).serializedString(pretty: true).split(separator: "\n", omittingEmptySubsequences: false)
            return lines.map { "    " + $0 }.joined(separator: "\n")
        }
        return "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n" + body.joined(separator: ",\n") + "\n  ]\n}"
    }

    static func partition(_ region: String) -> String {
        if region.hasPrefix("cn-") { return "aws-cn" }
        if region.hasPrefix("us-gov-") { return "aws-us-gov" }
        return "aws"
    }

    static func arn(_ resource: AWSCall.Resource, region: String, account: String) -> String {
        let kinesis = "arn:\(partition(region)):kinesis:\(region):\(account)"
        let cloudFormation = "arn:\(partition(region)):cloudformation:\(region):\(account)"
        switch resource {
        case .stream(let name): return "\(kinesis):stream/\(name)"
        case .consumer(let stream, let name): return "\(kinesis):stream/\(stream)/consumer/\(name):*"
        case .stack(let name): return "\(cloudFormation):stack/\(name)/*"
        case .everyStream: return "\(kinesis):stream/*"
        case .everyStack: return "\(cloudFormation):stack/*/*"
        case .account: return "*"
        }
    }

    static func resource(of step: PlanStep, operation: AWSOperation, desired: DesiredState) -> AWSCall.Resource {
        switch step.address.kind {
        case .stack: return .stack(step.address.name)
        case .stream: return .stream(step.address.name)
        case .streamConsumer:
            let stream = desired.consumer(named: step.address.name)?.stream ?? step.address.name
            return operation == .registerStreamConsumer
                ? .stream(stream) : .consumer(stream: stream, name: step.address.name)
        }
    }

    /// Every step the planner emits for these manifests against made-up live states.
    public static func plannedSteps(
        desired: DesiredState, regions: [ResourceAddress: String], mode: PlanMode
    ) throws(PolicyError) -> [PlanStep] {
        let variants: [(LiveState, adopt: Bool)] =
            mode == .apply
            ? [
                (LiveState(), false), (drifted(desired, regions, above: false), true),
                (drifted(desired, regions, above: true), true),
                (failedStacks(desired, regions), true)
            ]
            : [(owned(desired, regions), false)]
        var steps: [PlanStep] = []
        for (live, adopt) in variants {
            do {
                let plan = try Planner.plan(
                    desired: desired, regions: regions, live: live,
                    options: PlanOptions(project: syntheticProject, mode: mode, adopt: adopt))
                steps += plan.steps
            } catch {
                throw .planning(error.description)
            }
        }
        return steps
    }

    static func streamARN(_ name: String, _ region: String) -> String {
        "arn:aws:kinesis:\(region):\(syntheticAccount):stream/\(name)"
    }

    static func stackWithTemplate(_ stack: StackSpec, _ desired: DesiredState, _ regions: [ResourceAddress: String])
        -> LiveStack
    {
        LiveStack(
            name: stack.name, region: regions[stack.address] ?? "",
            stackId: "arn:aws:cloudformation:x:\(syntheticAccount):stack/\(stack.name)/id",
            template: TemplateSynthesizer.template(for: stack, in: desired))
    }

    /// Every declared resource exists, unowned, and differs from the manifest in every
    /// property, all below (`above: false`) or all above the declared values.
    static func drifted(_ desired: DesiredState, _ regions: [ResourceAddress: String], above: Bool) -> LiveState {
        var live = LiveState()
        for stack in desired.stacks {
            var liveStack = stackWithTemplate(stack, desired, regions)
            liveStack.terminationProtection = !stack.terminationProtection
            if case .object(var template) = liveStack.template {
                template["Description"] = .string("changed outside reconcile")
                liveStack.template = .object(template)
            }
            live.stacks[stack.name] = liveStack
        }
        for stream in desired.streams {
            let region = regions[stream.address] ?? ""
            let retention =
                above ? min(8760, stream.retentionPeriodHours + 24) : max(24, stream.retentionPeriodHours - 24)
            var tags: [String: String] = [:]
            if above {
                tags = stream.tags.merging(
                    ["reconcile-policy-extra": "x"], uniquingKeysWith: { declared, _ in declared })
            }
            if stream.stack != nil { tags["aws:cloudformation:stack-name"] = stream.stack }
            let consumers: [LiveConsumer] =
                above
                ? desired.consumers(ofStream: stream.name).map {
                    LiveConsumer(name: $0.name, arn: "\(streamARN(stream.name, region))/consumer/\($0.name):1")
                } : []
            live.streams[stream.name] = LiveStream(
                name: stream.name, region: region, arn: streamARN(stream.name, region),
                mode: stream.mode == .provisioned ? .onDemand : .provisioned,
                openShardCount: (stream.shardCount ?? 1) + 1, retentionPeriodHours: retention,
                encryptionKeyId: above ? "reconcile-policy-other-key" : nil,
                shardLevelMetrics: above ? StreamSpec.allShardLevelMetrics : [], tags: tags, consumers: consumers)
        }
        return live
    }

    /// Every declared stack failed its creation (ROLLBACK_COMPLETE): delete, then create.
    static func failedStacks(_ desired: DesiredState, _ regions: [ResourceAddress: String]) -> LiveState {
        var live = LiveState()
        for stack in desired.stacks {
            var liveStack = stackWithTemplate(stack, desired, regions)
            liveStack.status = "ROLLBACK_COMPLETE"
            liveStack.template = nil
            liveStack.tags = [OwnershipTag.key: syntheticProject]
            live.stacks[stack.name] = liveStack
        }
        return live
    }

    /// Everything declared exists and belongs to the project (what destroy deletes).
    static func owned(_ desired: DesiredState, _ regions: [ResourceAddress: String]) -> LiveState {
        var live = LiveState()
        for stack in desired.stacks {
            var liveStack = stackWithTemplate(stack, desired, regions)
            liveStack.tags = [OwnershipTag.key: syntheticProject]
            live.stacks[stack.name] = liveStack
        }
        for stream in desired.streams {
            let region = regions[stream.address] ?? ""
            live.streams[stream.name] = LiveStream(
                name: stream.name, region: region, arn: streamARN(stream.name, region), mode: stream.mode,
                openShardCount: stream.shardCount ?? 1, retentionPeriodHours: stream.retentionPeriodHours,
                tags: [OwnershipTag.key: syntheticProject],
                consumers: desired.consumers(ofStream: stream.name).map {
                    LiveConsumer(name: $0.name, arn: "\(streamARN(stream.name, region))/consumer/\($0.name):1")
                })
        }
        return live
    }
}
