import Foundation
import TestSupport
import Testing

/// `apply --plan` when live state moved after review: applied when planning again gives the
/// reviewed steps, refused (nothing changed, the step difference printed) when it does not.
@Suite("saved plans after live state moved")
struct GitOpsSavedPlanTests {
    static func manifests(retention: Int) -> String {
        """
        apiVersion: reconcile/v1
        kind: Stream
        metadata:
          name: e2e-orders
        spec:
          shardCount: 1
          retentionPeriodHours: \(retention)
        ---
        apiVersion: reconcile/v1
        kind: StreamConsumer
        metadata:
          name: e2e-analytics
        spec:
          stream: e2e-orders
        """
    }

    static func retention(_ workspace: Workspace) throws -> String {
        try workspace.boto3(
            """
            summary = kinesis.describe_stream_summary(StreamName='e2e-orders')['StreamDescriptionSummary']
            print(summary['RetentionPeriodHours'])
            """)
    }

    /// Live state as applied, then a reviewed plan that raises retention to 48 hours.
    static func reviewedPlan() throws -> Workspace {
        let workspace = try Workspace()
        try workspace.write("orders.yaml", manifests(retention: 24))
        let first = try workspace.reconcile("apply", "--auto-approve", ".")
        #expect(first.exitCode == 0, "\(first.output)")
        try workspace.write("orders.yaml", manifests(retention: 48))
        let plan = try workspace.reconcile("plan", "--out", "plan.json", ".")
        #expect(plan.exitCode == 0, "\(plan.output)")
        return workspace
    }

    @Test("moved, but the same steps: the reviewed plan is applied and the output says why")
    func movedWithSameSteps() throws {
        let workspace = try Self.reviewedPlan()
        defer { workspace.stop() }
        // A consumer registered outside reconcile changes the stream's live state, not the steps.
        _ = try workspace.boto3(
            """
            arn = kinesis.describe_stream_summary(StreamName='e2e-orders')['StreamDescriptionSummary']['StreamARN']
            kinesis.register_stream_consumer(StreamARN=arn, ConsumerName='someone-elses')
            """)
        let applied = try workspace.reconcile("apply", "--plan", "plan.json", ".")
        #expect(applied.exitCode == 0, "\(applied.output)")
        #expect(applied.stdout.contains("Live state changed since the plan was made (Stream/e2e-orders"))
        #expect(applied.stdout.contains("planning again gives the same 1 step,"))
        #expect(try Self.retention(workspace) == "48")
    }

    @Test("moved so that the steps differ: refused as stale, nothing changed, the difference printed")
    func movedWithOtherSteps() throws {
        let workspace = try Self.reviewedPlan()
        defer { workspace.stop() }
        _ = try workspace.boto3(
            "kinesis.increase_stream_retention_period(StreamName='e2e-orders', RetentionPeriodHours=96)")
        let refused = try workspace.reconcile("apply", "--plan", "plan.json", ".")
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("is stale"))
        #expect(refused.stderr.contains("Stream/e2e-orders (live state changed since the plan)"))
        #expect(refused.stderr.contains("Steps as reviewed (-) and as they would be now (+):"))
        #expect(refused.stderr.contains("- {\"address\":\"Stream/e2e-orders\""))
        #expect(refused.stderr.contains("IncreaseStreamRetentionPeriod"))
        #expect(refused.stderr.contains("+ {\"address\":\"Stream/e2e-orders\""))
        #expect(refused.stderr.contains("DecreaseStreamRetentionPeriod"))
        #expect(try Self.retention(workspace) == "96")
    }
}
