import Foundation
import TestSupport
import Testing

/// `reconcile export` round trips through the binary against moto: the manifests it
/// writes validate, `plan --adopt` shows only the ownership tag, and after
/// `apply --adopt`, `plan` says No changes.
@Suite("export: live resources to manifests and back")
struct ExportTests {
    @Test("a stream made outside reconcile, with tags, retention and a consumer")
    func directStream() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        _ = try workspace.boto3(
            """
            kinesis.create_stream(StreamName='exp-direct', ShardCount=2)
            kinesis.increase_stream_retention_period(StreamName='exp-direct', RetentionPeriodHours=48)
            kinesis.add_tags_to_stream(StreamName='exp-direct', Tags={'team': 'web', 'cost-center': '42'})
            arn = kinesis.describe_stream_summary(StreamName='exp-direct')['StreamDescriptionSummary']['StreamARN']
            kinesis.register_stream_consumer(StreamARN=arn, ConsumerName='exp-reader')
            """)
        let printed = try workspace.reconcile("export", "--stream", "exp-direct")
        #expect(printed.exitCode == 0, "\(printed.output)")
        #expect(
            printed.stdout.contains(
                "# Exported by 'reconcile export' from the live Kinesis stream arn:aws:kinesis:eu-central-1:"))
        #expect(printed.stdout.contains("shardCount: 2"))
        #expect(printed.stdout.contains("retentionPeriodHours: 48"))
        #expect(printed.stdout.contains("cost-center: \"42\""))
        #expect(printed.stdout.contains("kind: StreamConsumer"))

        let written = try workspace.reconcile("export", "--stream", "exp-direct", "--out", "exported")
        #expect(written.exitCode == 0, "\(written.output)")
        #expect(
            FileManager.default.fileExists(
                atPath: workspace.directory.appendingPathComponent("exported/stream-exp-direct.yaml").path))
        let validate = try workspace.reconcile("validate", "exported")
        #expect(validate.exitCode == 0, "\(validate.output)")

        let plan = try workspace.reconcile("plan", "--adopt", "--output", "json", "exported")
        #expect(plan.exitCode == 0, "\(plan.output)")
        let changed = try Self.changedProperties(plan.stdout)
        #expect(changed == ["Stream/exp-direct": ["tags.reconcile:project"]])

        let apply = try workspace.reconcile("apply", "--adopt", "--auto-approve", "exported")
        #expect(apply.exitCode == 0, "\(apply.output)")
        let again = try workspace.reconcile("plan", "--detailed-exitcode", "exported")
        #expect(again.exitCode == 0, "\(again.output)")
        #expect(again.stdout.hasSuffix("No changes. Live state matches the manifests.\n"))
    }

    @Test("a stack created by reconcile: Kinesis members become Stream/StreamConsumer documents")
    func stack() throws {
        let workspace = try Workspace(copying: ["examples/pass-through"])
        defer { workspace.stop() }
        try workspace.write(
            "members.yaml",
            """
            apiVersion: reconcile/v1
            kind: Stream
            metadata:
              name: exp-member
              stack: example-pass-through
              logicalId: CustomId
            spec:
              shardCount: 2
              retentionPeriodHours: 72
              tags: {stage: "1"}
              deletionPolicy: Retain
            ---
            apiVersion: reconcile/v1
            kind: StreamConsumer
            metadata:
              name: exp-member-reader
            spec:
              stream: exp-member
            """)
        let apply = try workspace.reconcile("apply", "--auto-approve", ".")
        #expect(apply.exitCode == 0, "\(apply.output)")

        let exported = try workspace.reconcile("export", "--stack", "example-pass-through", "--out", "exported")
        #expect(exported.exitCode == 0, "\(exported.output)")
        let text = try String(
            contentsOf: workspace.directory.appendingPathComponent("exported/stack-example-pass-through.yaml"),
            encoding: .utf8)
        #expect(text.contains("logicalId: CustomId"))
        #expect(text.contains("deletionPolicy: Retain"))
        #expect(text.contains("StreamNameParameter:"))
        #expect(!text.contains("reconcile:project"))
        let validate = try workspace.reconcile("validate", "exported")
        #expect(validate.exitCode == 0, "\(validate.output)\n\(text)")

        let plan = try workspace.reconcile("plan", "--adopt", "--output", "json", "exported")
        #expect(plan.exitCode == 0, "\(plan.output)")
        #expect(try Self.changedProperties(plan.stdout).isEmpty, "\(plan.stdout)")
        let adopt = try workspace.reconcile("apply", "--adopt", "--auto-approve", "exported")
        #expect(adopt.exitCode == 0, "\(adopt.output)")
        let again = try workspace.reconcile("plan", "--detailed-exitcode", "exported")
        #expect(again.exitCode == 0, "\(again.output)\n\(text)")
    }

    @Test("export needs something to export, and names what is missing")
    func errors() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        #expect(try workspace.reconcile("export").exitCode != 0)
        let missing = try workspace.reconcile("export", "--stream", "nope")
        #expect(missing.exitCode == 1)
        #expect(missing.stderr.contains("Stream/nope does not exist"))
    }

    /// address → changed property paths, for every change that is not a no-op.
    static func changedProperties(_ json: String) throws -> [String: [String]] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        var result: [String: [String]] = [:]
        for change in document["changes"] as? [[String: Any]] ?? [] where change["action"] as? String != "noop" {
            let address = change["address"] as? String ?? "?"
            result[address] = (change["properties"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        }
        return result
    }
}
