import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Concurrent applies, CloudFormation failures, AWS's Kinesis rules, Ctrl-C and
/// step timeouts, all through the fault proxy and checked in AWS afterwards.
@Suite("reliability: apply under AWS's rules, races and interruptions")
struct ReliabilityApplyTests {
    static func stream(_ name: String, shards: Int, retention: Int = 24) -> String {
        """
        apiVersion: reconcile/v1
        kind: Stream
        metadata:
          name: \(name)
        spec:
          shardCount: \(shards)
          retentionPeriodHours: \(retention)

        """
    }

    @Test(
        "two applies of the same manifests at once: both converge or one fails clearly; no duplicates",
        arguments: Array(1...(Reliability.full ? 5 : 1)))
    func concurrentApplies(_ round: Int) throws {
        let workspace = try Workspace(copying: ["examples/multi-stack", "examples/fan-out"], proxied: true)
        defer { workspace.stop() }
        let proxy = try #require(workspace.proxy)
        // Short CREATING windows widen the race, as on AWS.
        try proxy.configure(#"{"rules": {"busy_seconds": 0.3, "consumer_busy_seconds": 0.3}}"#)
        let first = try workspace.start("apply", "--auto-approve", ".")
        let second = try workspace.start("apply", "--auto-approve", ".")
        let (one, oneSignal) = try first.wait()
        let (two, twoSignal) = try second.wait()
        Reliability.expectCleanOutcome(one, signaled: oneSignal, "round \(round) first apply")
        Reliability.expectCleanOutcome(two, signaled: twoSignal, "round \(round) second apply")
        #expect(one.exitCode == 0 || two.exitCode == 0, "neither apply succeeded\n\(one.output)\n\(two.output)")
        let problems = try workspace.inventoryProblems(requireAll: false)
        #expect(problems.isEmpty, "\(problems)\n\(one.output)\n\(two.output)")
        let converged = try workspace.expectConverges("round \(round) after two applies")
        Reliability.record(
            "concurrent",
            [
                "rounds": 1, "bothSucceeded": one.exitCode == 0 && two.exitCode == 0 ? 1 : 0,
                "converged": converged ? 1 : 0
            ])
    }

    @Test("a failing stack names the resource and reason; the next plan replaces it; fixed, apply converges")
    func stackFailure() throws {
        let workspace = try Workspace(proxied: true)
        defer { workspace.stop() }
        let marked = """
            apiVersion: reconcile/v1
            kind: Stack
            metadata:
              name: rel-failing
            spec:
              template:
                Resources:
                  Broken:
                    Type: AWS::CloudFormation::WaitConditionHandle
                    Metadata: {reconcile-test: fail}
            ---
            apiVersion: reconcile/v1
            kind: Stream
            metadata:
              name: rel-failing-stream
              stack: rel-failing
            spec:
              shardCount: 1

            """
        try workspace.write("stack.yaml", marked)
        let apply = try workspace.reconcile("apply", "--auto-approve", ".")
        Reliability.expectCleanOutcome(apply, "failing apply")
        #expect(apply.exitCode == 1)
        #expect(apply.output.contains("Broken"), "\(apply.output)")
        #expect(apply.output.contains("reconcile-test failure"), "\(apply.output)")
        #expect(apply.output.contains("ROLLBACK_COMPLETE"), "\(apply.output)")

        let plan = try workspace.reconcile("plan", ".")
        #expect(plan.exitCode == 0, "\(plan.output)")
        #expect(plan.stdout.contains("-/+ Stack/rel-failing"), "\(plan.output)")

        let fixed = marked.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("reconcile-test: fail") }.joined(separator: "\n")
        try workspace.write("stack.yaml", fixed)
        let converged = try workspace.expectConverges("after removing the marker")
        let reported =
            apply.exitCode == 1 && apply.output.contains("Broken") && apply.output.contains("ROLLBACK_COMPLETE")
        let replaced = plan.stdout.contains("-/+ Stack/rel-failing")
        Reliability.record("stackFailure", ["runs": 1, "passed": reported && replaced && converged ? 1 : 0])
    }

    @Test("1 → 8 shards under AWS's double/half rule and UPDATING windows, step by step")
    func resizeOneToEight() throws {
        let workspace = try Workspace(proxied: true)
        defer { workspace.stop() }
        let proxy = try #require(workspace.proxy)
        try proxy.configure(#"{"rules": {"busy_seconds": 1.0}}"#)
        try workspace.write("stream.yaml", Self.stream("rel-resize", shards: 1))
        #expect(try workspace.reconcile("apply", "--auto-approve", ".").exitCode == 0)

        // Start while the stream is UPDATING from a change made elsewhere: the first step
        // meets ResourceInUseException and must wait it out.
        _ = try Subprocess.python(
            "import boto3; boto3.client('kinesis').increase_stream_retention_period(StreamName='rel-resize', RetentionPeriodHours=48)",
            environment: proxy.clientEnvironment)
        try proxy.resetLog()
        try workspace.write("stream.yaml", Self.stream("rel-resize", shards: 8, retention: 48))
        let apply = try workspace.reconcile("apply", "--auto-approve", ".")
        #expect(apply.exitCode == 0, "\(apply.output)")
        let updates = try proxy.requests().filter { $0.operation == "UpdateShardCount" }
        #expect(!updates.contains { $0.rule == "shard_scaling" }, "a step broke the double/half rule")
        #expect(updates.filter { $0.status == 200 }.count == 3, "\(updates)")
        let shards = try workspace.boto3(
            "print(kinesis.describe_stream_summary(StreamName='rel-resize')['StreamDescriptionSummary']['OpenShardCount'])"
        )
        #expect(shards == "8")
        try workspace.expectConverges("after 1 → 8")
        Reliability.record(
            "kinesisRules",
            [
                "resizeSteps": updates.filter { $0.status == 200 }.count,
                "busyRefusals": updates.filter { $0.rule == "busy" }.count
            ])
    }

    @Test("Ctrl-C during apply: the step in flight finishes, nothing new starts, exit non-zero, next apply converges")
    func interruptWithSIGINT() throws {
        let workspace = try Workspace(proxied: true)
        defer { workspace.stop() }
        let proxy = try #require(workspace.proxy)
        try workspace.write("stream.yaml", Self.stream("rel-sigint", shards: 1))
        #expect(try workspace.reconcile("apply", "--auto-approve", ".").exitCode == 0)
        try proxy.configure(#"{"rules": {"busy_seconds": 1.5}}"#)
        try proxy.resetLog()
        try workspace.write("stream.yaml", Self.stream("rel-sigint", shards: 4))  // steps: 2, then 4

        let apply = try workspace.start("apply", "--auto-approve", ".")
        let deadline = Date().addingTimeInterval(60)
        while try proxy.writeRequests().isEmpty && apply.isRunning && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.01)
        }
        apply.send(SIGINT)
        let (result, signaled) = try apply.wait()
        #expect(signaled == nil, "\(result.output)")
        #expect(result.exitCode != 0, "\(result.output)")
        #expect(result.output.contains("Interrupted"), "\(result.output)")
        #expect(result.stderr.contains("interrupted: 1 of 2 steps finished"), "\(result.output)")
        #expect(result.stderr.contains("not started (kinesis:UpdateShardCount Stream/rel-sigint)"), "\(result.output)")
        // The step in flight finished: the stream is ACTIVE at 2 shards; the second never started.
        let writes = try proxy.writeRequests().filter { $0.operation == "UpdateShardCount" && $0.status == 200 }
        #expect(writes.count == 1, "\(writes)")
        let live = try workspace.boto3(
            """
            d = kinesis.describe_stream_summary(StreamName='rel-sigint')['StreamDescriptionSummary']
            print(d['OpenShardCount'])
            """)
        #expect(live == "2")
        let converged = try workspace.expectConverges("after Ctrl-C")
        let stoppedCleanly = result.exitCode != 0 && writes.count == 1 && live == "2"
        Reliability.record("interrupt", ["runs": 1, "passed": stoppedCleanly && converged ? 1 : 0])
    }

    @Test("a step that outlives --timeout fails clearly with exit 1")
    func stepTimeout() throws {
        let workspace = try Workspace(proxied: true)
        defer { workspace.stop() }
        let proxy = try #require(workspace.proxy)
        try workspace.write("stream.yaml", Self.stream("rel-timeout", shards: 1))
        #expect(try workspace.reconcile("apply", "--auto-approve", ".").exitCode == 0)
        try proxy.configure(#"{"rules": {"busy_seconds": 30}}"#)
        try workspace.write("stream.yaml", Self.stream("rel-timeout", shards: 2))
        let start = Date()
        let apply = try workspace.reconcile("apply", "--auto-approve", "--timeout", "2", ".")
        let elapsed = Date().timeIntervalSince(start)
        Reliability.expectCleanOutcome(apply, "timeout")
        #expect(apply.exitCode == 1)
        #expect(apply.output.lowercased().contains("timed out"), "\(apply.output)")
        #expect(apply.output.contains("rel-timeout"), "\(apply.output)")
        #expect(elapsed < 20, "took \(elapsed) s")
        let clear = apply.exitCode == 1 && apply.output.lowercased().contains("timed out")
        Reliability.record("timeout", ["runs": 1, "passed": clear ? 1 : 0])
    }
}
