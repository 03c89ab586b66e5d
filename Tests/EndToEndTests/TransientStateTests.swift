import Foundation
import TestSupport
import Testing

/// The waiting states AWS shows and moto never does (streams CREATING/UPDATING, consumers CREATING,
/// stacks *_IN_PROGRESS), made by the fault proxy's windows: every command waits, reads and reports
/// through them.
@Suite("transient states")
struct TransientStateTests {
    static let windows = #"{"rules": {"busy_seconds": 1.0, "consumer_busy_seconds": 1.0, "stack_busy_seconds": 1.0}}"#

    static func stream(shards: Int) -> String {
        """
        apiVersion: reconcile/v1
        kind: Stream
        metadata:
          name: e2e-resizing
        spec:
          shardCount: \(shards)
        """
    }

    @Test("apply of stacks, streams and consumers waits through every waiting state, and then plan has no changes")
    func applyWaitsThroughWaitingStates() throws {
        let workspace = try Workspace(copying: ["examples/multi-stack", "examples/fan-out"])
        defer { workspace.stop() }
        let proxy = try #require(workspace.proxy)
        try proxy.configure(Self.windows)
        let apply = try workspace.reconcile("apply", "--auto-approve", ".")
        #expect(apply.exitCode == 0, "\(apply.output)")
        let plan = try workspace.reconcile("plan", "--detailed-exitcode", ".")
        #expect(plan.exitCode == 0, "\(plan.output)")
        #expect(plan.stdout.contains("No changes"), "\(plan.output)")
        // The windows were really crossed: AWS's ResourceInUse answers or waiting states were met.
        let statuses = try workspace.boto3(
            """
            print(json.dumps(sorted(s['StackStatus'] for s in cfn.describe_stacks()['Stacks'])))
            """)
        #expect(!statuses.contains("IN_PROGRESS"), "\(statuses)")
        let destroy = try workspace.reconcile("destroy", "--auto-approve", ".")
        #expect(destroy.exitCode == 0, "\(destroy.output)")
        #expect(try workspace.stackNames().isEmpty)
        #expect(try workspace.streamNames().isEmpty)
    }

    @Test("a plan while a stream is UPDATING says so and plans against the state AWS will reach: no second resize")
    func planWhileUpdating() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        let proxy = try #require(workspace.proxy)
        try workspace.write("stream.yaml", Self.stream(shards: 1))
        #expect(try workspace.reconcile("apply", "--auto-approve", ".").exitCode == 0)
        // Someone (an earlier apply, a colleague) resizes; AWS keeps the stream UPDATING meanwhile and still
        // reports the old open shard count. The plan must wait for that change, not plan it a second time.
        try proxy.configure(#"{"rules": {"busy_seconds": 4}}"#)
        try resize(workspace, to: 2)
        try workspace.write("stream.yaml", Self.stream(shards: 2))
        let text = try workspace.reconcile("plan", ".")
        #expect(text.exitCode == 0, "\(text.output)")
        #expect(text.stdout.contains("Stream/e2e-resizing [eu-central-1] was UPDATING"), "\(text.output)")
        #expect(text.stdout.contains("No changes."), "\(text.output)")

        try resize(workspace, to: 4)
        try workspace.write("stream.yaml", Self.stream(shards: 4))
        let plan = try workspace.reconcile("plan", "--output", "json", ".")
        let document = try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any]
        let operations = (document?["steps"] as? [[String: Any]] ?? []).compactMap { $0["operation"] as? String }
        #expect(!operations.contains("kinesis:UpdateShardCount"), "\(plan.output)")
        let settled = (document?["settled"] as? [[String: Any]] ?? []).compactMap { $0["address"] as? String }
        #expect(settled == ["Stream/e2e-resizing"], "\(plan.output)")
    }

    /// An out-of-band resize, as a colleague's script would make it.
    func resize(_ workspace: Workspace, to target: Int) throws {
        _ = try Subprocess.python(
            "import boto3; boto3.client('kinesis').update_shard_count(StreamName='e2e-resizing', "
                + "TargetShardCount=\(target), ScalingType='UNIFORM_SCALING')",
            environment: workspace.environment)
    }
}
