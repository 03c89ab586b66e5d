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
                desired: desired, regions: regions, discoverUndeclared: true, readAllConsumers: false,
                readsTagsInBulk: true)
            grants += readGrants(calls)
            grants += quotaGrants(desired: desired, regions: regions)
        }
        if commands.contains(.destroy) {
            let calls = LiveStateReader.calls(
                desired: desired, regions: regions, discoverUndeclared: false, readAllConsumers: false,
                readsTagsInBulk: false)
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
        calls.map { call -> Grant in
            if call.operation == .getResources {
                return ("ReadTagsOfTheRegionsStreamsInBulkNoResourceLevelScopeExists", call)
            }
            return switch call.resource {
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
            for operation in [written] + step.action.followUp.reads + tagOnCreate(step) {
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

    /// A consumer registered with tags is tagged on its own ARN, which AWS authorizes as TagResource.
    static func tagOnCreate(_ step: PlanStep) -> [AWSOperation] {
        guard case .registerConsumer(_, _, let tags) = step.action, !tags.isEmpty else { return [] }
        return [.tagResource]
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
}
