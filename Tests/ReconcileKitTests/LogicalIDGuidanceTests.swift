import AWSClient
import Formats
import Testing

@testable import ReconcileKit

/// The CDK's deployed stack (Tests/Fixtures/cdk) against manifests for it, planned without AWS.
@Suite("Planner: a stack member that is not under its declared logical ID")
struct LogicalIDGuidanceTests {
    static let region = "eu-central-1"
    static let stack = StackSpec(name: "xyz-infra-kinesis")
    static let cdkLogicalId = "xyzkinesisdatastreamAE2EE044"

    static func liveState(cdkTemplate: JSONValue, streamName: String = "xyz-kinesis-data-stream") -> LiveState {
        let stack = LiveStack(
            name: "xyz-infra-kinesis", region: region,
            stackId: "arn:aws:cloudformation:\(region):123456789012:stack/xyz-infra-kinesis/1",
            parameters: ["BootstrapVersion": "/cdk-bootstrap/hnb659fds/version"], template: cdkTemplate)
        let stream = LiveStream(
            name: streamName, region: region, arn: "arn:aws:kinesis:\(region):123456789012:stream/\(streamName)",
            encryptionKeyId: "alias/aws/kinesis")
        return LiveState(stacks: ["xyz-infra-kinesis": stack], streams: [streamName: stream])
    }

    static func plan(_ streams: [StreamSpec], live: LiveState) throws -> Plan {
        let desired = DesiredState(stacks: [stack], streams: streams)
        let regions = Dictionary(uniqueKeysWithValues: desired.addresses.map { ($0, region) })
        return try Planner.plan(
            desired: desired, regions: regions, live: live,
            options: PlanOptions(project: "default", mode: .apply, prune: false, adopt: true))
    }

    @Test("the README's manifest is told the deployed logical ID and the line to add, and nothing about deleting")
    func deployedUnderAnotherId() throws {
        let live = Self.liveState(cdkTemplate: try CDKFixture.template())
        let stream = StreamSpec(
            name: "xyz-kinesis-data-stream", stack: "xyz-infra-kinesis",
            location: SourceLocation(file: "manifests/xyz.yaml", line: 14, column: 9))
        let error = #expect(throws: PlanError.self) { try Self.plan([stream], live: live) }
        let message = "\(String(describing: error))"
        #expect(
            message.contains(
                "under the logical ID XyzKinesisDataStream, but the stack holds it under \(Self.cdkLogicalId)"))
        #expect(message.contains("(manifests/xyz.yaml:14:9):\n    logicalId: \(Self.cdkLogicalId)\n"), "\(message)")
        #expect(message.contains("reconcile export --stack xyz-infra-kinesis"))
        #expect(!message.lowercased().contains("delete"), "\(message)")
    }

    @Test("the CDK's conditional encryption reads as KMS: the exported manifest plans only the ownership tag")
    func conditionalEncryptionEvaluated() throws {
        let live = Self.liveState(cdkTemplate: try CDKFixture.template())
        let stream = StreamSpec(
            name: "xyz-kinesis-data-stream", stack: "xyz-infra-kinesis", logicalId: Self.cdkLogicalId,
            encryption: .kms(keyId: "alias/aws/kinesis"), deletionPolicy: .retain)
        let plan = try Self.plan([stream], live: live)
        let member = try #require(plan.changes.first { $0.address == .stream("xyz-kinesis-data-stream") })
        #expect(member.action == .noop, "\(member.properties)")
        #expect(plan.changes.allSatisfy { !$0.isDestructive })
    }

    @Test("a stream of that name outside the stack: --adopt as a direct stream first, deletion last")
    func outsideTheStack() throws {
        var live = Self.liveState(cdkTemplate: ["Resources": [:]])
        live.streams["other"] = LiveStream(name: "other", region: Self.region, arn: "arn:aws:kinesis:x:1:stream/other")
        let error = #expect(throws: PlanError.self) {
            try Self.plan([StreamSpec(name: "other", stack: "xyz-infra-kinesis")], live: live)
        }
        let message = "\(String(describing: error))"
        let adopt = try #require(message.range(of: "remove metadata.stack"))
        let delete = try #require(message.range(of: "delete the stream"))
        #expect(adopt.lowerBound < delete.lowerBound, "\(message)")
    }
}
