import AWSClient
import Formats
import Foundation
import TestSupport
import Testing

@testable import ReconcileKit

/// The IAM policy cannot drift from what reconcile calls: every operation the planner can
/// emit, every read and wait, and every operation the service clients send is in the
/// operation catalog the policy is printed from.
@Suite("IAM policy: operation catalog and generator")
struct PolicyTests {
    static let region = "eu-central-1"
    static let account = "123456789012"

    /// One of everything: direct provisioned and on-demand streams with every option, a
    /// direct consumer with tags, a stack with a member stream and consumer.
    static let rich = DesiredState(
        stacks: [StackSpec(name: "s", terminationProtection: false)],
        streams: [
            StreamSpec(
                name: "direct", shardCount: 2, retentionPeriodHours: 48, encryption: .kms(keyId: "alias/aws/kinesis"),
                shardLevelMetrics: ["IncomingBytes"], tags: ["env": "dev"], maxRecordSizeKiB: 2048),
            StreamSpec(name: "ondemand", mode: .onDemand, retentionPeriodHours: 24, warmThroughputMiBps: 100),
            StreamSpec(
                name: "member", stack: "s", shardCount: 1, retentionPeriodHours: 72,
                shardLevelMetrics: ["IncomingBytes"], tags: ["t": "v"])
        ],
        consumers: [sharedConsumer, ConsumerSpec(name: "c2", stream: "member")])

    /// A consumer with a resource policy (its stream has none: both PutResourcePolicy and DeleteResourcePolicy).
    static var sharedConsumer: ConsumerSpec {
        var consumer = ConsumerSpec(name: "c1", stream: "direct", tags: ["team": "data"])
        consumer.resourcePolicy = ResourcePolicy(document: [
            "Statement": [
                ["Effect": "Allow", "Principal": ["AWS": "1"], "Action": "kinesis:SubscribeToShard", "Resource": "*"]
            ]
        ])
        return consumer
    }

    static func regions(_ desired: DesiredState) -> [ResourceAddress: String] {
        Dictionary(uniqueKeysWithValues: desired.addresses.map { ($0, region) })
    }

    static func plannerOperations(_ desired: DesiredState) throws -> Set<String> {
        var operations = Set<String>()
        for mode in [PlanMode.apply, .destroy] {
            let steps = try PolicyGenerator.plannedSteps(desired: desired, regions: regions(desired), mode: mode)
            operations.formUnion(steps.map(\.operation))
        }
        return operations
    }

    @Test(
        "every operation the planner emits for a rich manifest set is one reconcile knows, and the made-up live states reach every write"
    )
    func plannerOperationsAreKnown() throws {
        let emitted = try Self.plannerOperations(Self.rich)
        for operation in emitted { #expect(AWSOperation.named(operation) != nil, "\(operation) unknown") }
        // Every control-plane write reconcile can send (verify's PutRecord aside) is reached.
        let writes = AWSOperation.all.filter { $0.access == .write && $0 != .putRecord }.map(\.description)
        #expect(writes.count >= 15)
        #expect(Set(writes).subtracting(emitted).isEmpty, "not reached: \(Set(writes).subtracting(emitted).sorted())")
    }

    @Test("each operation is listed once, is found by its step name, and grants only actions of its own service")
    func operationsAreWellFormed() {
        #expect(Set(AWSOperation.all.map(\.description)).count == AWSOperation.all.count)
        for operation in AWSOperation.all {
            #expect(AWSOperation.named(operation.description) == operation)
            #expect(operation.iamActions.allSatisfy { $0.hasPrefix("\(operation.service.iamPrefix):") })
        }
    }

    @Test("the reader's reads, the applier's waits and the handlers' reads are reads; follow-ups of every write too")
    func followUpsAreReads() throws {
        let reads = LiveStateReader.calls(
            desired: Self.rich, regions: Self.regions(Self.rich), discoverUndeclared: true, readAllConsumers: true,
            readsTagsInBulk: true)
        #expect(!reads.isEmpty)
        #expect(reads.allSatisfy { $0.operation.access == .read })
        #expect(Applier.referenceResolution.access == .read)
        var written: Set<AWSOperation> = []
        for mode in [PlanMode.apply, .destroy] {
            let steps = try PolicyGenerator.plannedSteps(
                desired: Self.rich, regions: Self.regions(Self.rich), mode: mode)
            for step in steps {
                written.insert(step.action.operation)
                #expect(step.action.followUp.reads.allSatisfy { $0.access == .read }, "\(step.operation)")
            }
        }
        let writes = AWSOperation.all.filter { $0.access == .write && $0 != .putRecord }
        #expect(Set(writes).subtracting(written).isEmpty, "no follow-up checked for some writes")
        #expect(StreamVerifier.operations.filter { $0.access == .write } == [.putRecord])
    }

    @Test("the plan policy is read-only; no action is a wildcard; declared resources are scoped by ARN")
    func planPolicyIsReadOnly() throws {
        let statements = try PolicyGenerator.statements(
            desired: Self.rich, regions: Self.regions(Self.rich), account: Self.account, commands: [.plan])
        let actions = Set(statements.flatMap(\.actions))
        let writes = [
            "Create", "Update", "Delete", "Put", "Register", "Deregister", "Add", "Remove", "Start", "Stop", "Increase",
            "Decrease", "Enable", "Disable"
        ]
        for action in actions {
            let name = action.split(separator: ":").last.map(String.init) ?? action
            #expect(!writes.contains { name.hasPrefix($0) }, "\(action) is a write")
            #expect(!action.contains("*"))
        }
        let streamStatement = try #require(statements.first { $0.sid == "ReadDeclaredStreams" })
        #expect(streamStatement.resources.contains("arn:aws:kinesis:eu-central-1:123456789012:stream/direct"))
        #expect(
            statements.first { $0.sid == "ReadDeclaredStacks" }?.resources == [
                "arn:aws:cloudformation:eu-central-1:123456789012:stack/s/*"
            ])
        // Only the listings, the bulk tag read and the quota read, which have no resource type, are account-wide.
        let accountWide = statements.filter { $0.resources.contains("*") }
        #expect(
            Set(accountWide.flatMap(\.actions))
                == [
                    "kinesis:ListStreams", "cloudformation:DescribeStacks", "tag:GetResources", "kinesis:DescribeLimits"
                ])
        #expect(accountWide.allSatisfy { $0.resources == ["*"] })
        #expect(
            statements.first { $0.sid.hasPrefix("ReadAccountKinesisQuotas") }?.actions == ["kinesis:DescribeLimits"])
    }

    @Test("apply adds the writes, the waits and what CloudFormation calls for the stack's members")
    func applyPolicy() throws {
        let statements = try PolicyGenerator.statements(
            desired: Self.rich, regions: Self.regions(Self.rich), account: Self.account, commands: [.apply])
        let bySid = Dictionary(uniqueKeysWithValues: statements.map { ($0.sid, $0) })
        #expect(
            bySid["ApplyStacks"]?.actions == [
                "cloudformation:CreateStack", "cloudformation:DeleteStack", "cloudformation:DescribeStackEvents",
                "cloudformation:DescribeStacks", "cloudformation:UpdateStack",
                "cloudformation:UpdateTerminationProtection"
            ])
        let streams = try #require(bySid["ApplyStreams"])
        #expect(
            streams.actions.contains("kinesis:CreateStream") && streams.actions.contains("kinesis:UpdateStreamMode"))
        #expect(!streams.actions.contains("kinesis:DeleteStream"))
        #expect(
            bySid["ApplyConsumers"]?.resources.contains(
                "arn:aws:kinesis:eu-central-1:123456789012:stream/direct/consumer/c1:*") == true)
        let onBehalf = try #require(bySid["CloudFormationCallsKinesisForStackStreams"])
        #expect(onBehalf.resources == ["arn:aws:kinesis:eu-central-1:123456789012:stream/member"])
        #expect(onBehalf.actions.contains("kinesis:CreateStream"))
        #expect(bySid["VerifyPutsAndReadsBackATestRecord"] == nil)
        let rendered = PolicyGenerator.render(statements)
        let document = try JSONValue.parse(Data(rendered.utf8))
        #expect(document["Version"]?.stringValue == "2012-10-17")
        #expect(rendered.hasPrefix("{\n  \"Version\": \"2012-10-17\""))
    }

    @Test("an account id must be 12 digits")
    func badAccount() {
        #expect(throws: PolicyError.self) {
            _ = try PolicyGenerator.statements(
                desired: Self.rich, regions: Self.regions(Self.rich), account: "12", commands: [.plan])
        }
    }
}
