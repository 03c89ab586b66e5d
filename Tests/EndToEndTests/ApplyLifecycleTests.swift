import Foundation
import TestSupport
import Testing

/// The seed's loop through the binary against moto: plan → apply → plan → destroy,
/// with every result checked in AWS with boto3.
@Suite("apply and destroy against the local endpoint")
struct ApplyLifecycleTests {
    static let directStream = """
        apiVersion: reconcile/v1
        kind: Stream
        metadata:
          name: e2e-direct
        spec:
          shardCount: 1
          retentionPeriodHours: 48
          tags: {env: test}
        """

    @Test("the seed: plan shows creates, apply converges, plan says No changes, destroy leaves nothing")
    func seedLoop() throws {
        let workspace = try Workspace(copying: ["manifests"])
        defer { workspace.stop() }

        let plan = try workspace.reconcile("plan", "--output", "json", ".")
        #expect(plan.exitCode == 0, "\(plan.output)")
        let document = try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any]
        #expect(document?["formatVersion"] as? Int == 1)
        #expect(document?["mode"] as? String == "apply")
        // Counts as before; `capacity` is an added field.
        let summary = (document?["summary"] as? [String: Any])?.compactMapValues { $0 as? Int }
        #expect(summary == ["create": 2, "update": 0, "replace": 0, "delete": 0])
        let steps = document?["steps"] as? [[String: Any]] ?? []
        #expect(steps.first?["operation"] as? String == "cloudformation:CreateStack")

        let detailed = try workspace.reconcile("plan", "--detailed-exitcode", ".")
        #expect(detailed.exitCode == 2)
        #expect(detailed.stdout.contains("+ Stack/xyz-infra-kinesis"))
        #expect(detailed.stdout.hasSuffix("Plan: 2 to create, 0 to update, 0 to replace, 0 to delete.\n"))

        let apply = try workspace.reconcile("apply", "--auto-approve", ".")
        #expect(apply.exitCode == 0, "\(apply.output)")
        #expect(apply.stdout.contains("Apply complete: 2 created, 0 updated, 0 replaced, 0 deleted."))

        let live = try workspace.boto3(
            """
            s = cfn.describe_stacks(StackName='xyz-infra-kinesis')['Stacks'][0]
            tags = {t['Key']: t['Value'] for t in s.get('Tags', [])}
            d = kinesis.describe_stream_summary(StreamName='xyz-kinesis-data-stream')['StreamDescriptionSummary']
            print(s['StackStatus'], tags.get('reconcile:project'), d['OpenShardCount'], d['RetentionPeriodHours'], d['StreamStatus'])
            """)
        #expect(live == "CREATE_COMPLETE default 1 24 ACTIVE")

        let again = try workspace.reconcile("plan", "--detailed-exitcode", ".")
        #expect(again.exitCode == 0, "\(again.output)")
        #expect(again.stdout.hasSuffix("No changes. Live state matches the manifests.\n"))

        let destroy = try workspace.reconcile("destroy", "--auto-approve", ".")
        #expect(destroy.exitCode == 0, "\(destroy.output)")
        #expect(try workspace.stackNames().isEmpty)
        #expect(try workspace.streamNames().isEmpty)
    }

    @Test("without a terminal and without --auto-approve, apply changes nothing and says why")
    func approvalRequired() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        try workspace.write("stream.yaml", Self.directStream)
        let apply = try workspace.reconcile("apply", ".")
        #expect(apply.exitCode == 1)
        #expect(apply.stderr.contains("--auto-approve"))
        #expect(try workspace.streamNames().isEmpty)
    }

    @Test("--dry-run prints the steps and makes no write call")
    func dryRunWritesNothing() throws {
        let workspace = try Workspace(proxied: true)
        defer { workspace.stop() }
        try workspace.write("stream.yaml", Self.directStream)
        let dryRun = try workspace.reconcile("apply", "--dry-run", ".")
        #expect(dryRun.exitCode == 0, "\(dryRun.output)")
        #expect(dryRun.stdout.contains("kinesis:CreateStream  Stream/e2e-direct"))
        #expect(dryRun.stdout.contains("\"StreamName\":\"e2e-direct\""))
        let requests = try #require(workspace.proxy).requests()
        #expect(!requests.isEmpty)
        #expect(try #require(workspace.proxy).writeRequests().isEmpty)
        #expect(try workspace.streamNames().isEmpty)
    }

    @Test("apply makes exactly the plan's write calls, in the plan's order, and plan makes none")
    func planIsTheTruth() throws {
        let workspace = try Workspace(proxied: true)
        defer { workspace.stop() }
        try workspace.write("stream.yaml", Self.directStream)
        let proxy = try #require(workspace.proxy)
        let plan = try workspace.reconcile("plan", "--output", "json", ".")
        #expect(try proxy.writeRequests().isEmpty)
        let document = try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any]
        let planned = (document?["steps"] as? [[String: Any]] ?? []).compactMap {
            ($0["operation"] as? String)?.split(separator: ":").last.map(String.init)
        }
        #expect(planned == ["CreateStream", "IncreaseStreamRetentionPeriod", "AddTagsToStream"])
        try proxy.resetLog()
        let apply = try workspace.reconcile("apply", "--auto-approve", ".")
        #expect(apply.exitCode == 0, "\(apply.output)")
        #expect(try proxy.writeRequests().compactMap(\.operation) == planned)
        let tags = try workspace.boto3(
            "print(json.dumps(kinesis.list_tags_for_stream(StreamName='e2e-direct')['Tags'], sort_keys=True))")
        #expect(tags.contains("\"Key\": \"reconcile:project\", \"Value\": \"default\""))
        #expect(tags.contains("\"Key\": \"env\", \"Value\": \"test\""))
    }

    @Test("a saved plan is applied as reviewed, and refused as stale when live state moved")
    func savedPlans() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        try workspace.write("stream.yaml", Self.directStream)
        #expect(try workspace.reconcile("plan", "--out", "plan.json", ".").exitCode == 0)
        let applied = try workspace.reconcile("apply", "--plan", "plan.json", ".")
        #expect(applied.exitCode == 0, "\(applied.output)")
        #expect(try workspace.streamNames() == ["e2e-direct"])

        try workspace.write(
            "stream.yaml",
            Self.directStream.replacingOccurrences(of: "retentionPeriodHours: 48", with: "retentionPeriodHours: 72"))
        #expect(try workspace.reconcile("plan", "--out", "plan.json", ".").exitCode == 0)
        _ = try workspace.boto3(
            "kinesis.increase_stream_retention_period(StreamName='e2e-direct', RetentionPeriodHours=96)")
        let stale = try workspace.reconcile("apply", "--plan", "plan.json", ".")
        #expect(stale.exitCode == 1)
        #expect(stale.stderr.contains("stale"))
        #expect(stale.stderr.contains("Stream/e2e-direct"))
        let retention = try workspace.boto3(
            "print(kinesis.describe_stream_summary(StreamName='e2e-direct')['StreamDescriptionSummary']['RetentionPeriodHours'])"
        )
        #expect(retention == "96")

        let garbage = try workspace.reconcile("apply", "--plan", "stream.yaml", ".")
        #expect(garbage.exitCode == 1)
        #expect(garbage.stderr.contains("not a reconcile plan"))
    }

    @Test("a stream created outside reconcile is not taken over without --adopt")
    func adoption() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        try workspace.write("stream.yaml", Self.directStream)
        _ = try workspace.boto3("kinesis.create_stream(StreamName='e2e-direct', ShardCount=1)")
        let refused = try workspace.reconcile("plan", ".")
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("Stream/e2e-direct"))
        #expect(refused.stderr.contains("--adopt"))
        let adopted = try workspace.reconcile("apply", "--adopt", "--auto-approve", ".")
        #expect(adopted.exitCode == 0, "\(adopted.output)")
        let after = try workspace.reconcile("plan", "--detailed-exitcode", ".")
        #expect(after.exitCode == 0, "\(after.output)")
    }

    @Test("undeclared streams are listed, and deleted only with --prune")
    func prune() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        try workspace.write("stream.yaml", Self.directStream)
        try workspace.write("other.yaml", Self.directStream.replacingOccurrences(of: "e2e-direct", with: "e2e-other"))
        #expect(try workspace.reconcile("apply", "--auto-approve", ".").exitCode == 0)
        try workspace.remove("other.yaml")
        let listed = try workspace.reconcile("plan", ".")
        #expect(listed.stdout.contains("Not declared"))
        #expect(listed.stdout.contains("Stream/e2e-other"))
        #expect(listed.stdout.contains("No changes."))
        let pruned = try workspace.reconcile("apply", "--prune", "--auto-approve", ".")
        #expect(pruned.exitCode == 0, "\(pruned.output)")
        #expect(try workspace.streamNames() == ["e2e-direct"])
    }

    @Test("resharding 1 → 8 goes 2, 4, 8 and ends with 8 open shards")
    func reshardsStepByStep() throws {
        let workspace = try Workspace(proxied: true)
        defer { workspace.stop() }
        try workspace.write("stream.yaml", Self.directStream)
        #expect(try workspace.reconcile("apply", "--auto-approve", ".").exitCode == 0)
        try workspace.write(
            "stream.yaml", Self.directStream.replacingOccurrences(of: "shardCount: 1", with: "shardCount: 8"))
        let proxy = try #require(workspace.proxy)
        try proxy.resetLog()
        let apply = try workspace.reconcile("apply", "--auto-approve", ".")
        #expect(apply.exitCode == 0, "\(apply.output)")
        #expect(
            try proxy.writeRequests().compactMap(\.operation) == [
                "UpdateShardCount", "UpdateShardCount", "UpdateShardCount"
            ])
        let shards = try workspace.boto3(
            "print(kinesis.describe_stream_summary(StreamName='e2e-direct')['StreamDescriptionSummary']['OpenShardCount'])"
        )
        #expect(shards == "8")
    }
}
