import Foundation
import TestSupport
import Testing

/// What the proxy's model check and fidelity rules make testable: requests AWS accepts, and behaviour
/// moto does not have (tags-only stack updates, stack stream modes, AWS's consumer ARNs, tag limits).
@Suite("AWS fidelity through the proxy")
struct AWSFidelityTests {
    static func stack(tags: String, mode: String = "PROVISIONED") -> String {
        """
        apiVersion: reconcile/v1
        kind: Stack
        metadata:
          name: e2e-fidelity
        spec:
          tags: \(tags)
        ---
        apiVersion: reconcile/v1
        kind: Stream
        metadata:
          name: e2e-fidelity-stream
          stack: e2e-fidelity
        spec:
          streamMode: \(mode)
        \(mode == "PROVISIONED" ? "  shardCount: 1" : "")
        """
    }

    static func stream(tagCount: Int) -> String {
        let tags = (0..<tagCount).map { "    t\($0): v\($0)\n" }.joined()
        return "apiVersion: reconcile/v1\nkind: Stream\nmetadata:\n  name: e2e-tagged\nspec:\n  shardCount: 1\n"
            + "  tags:\n" + tags
    }

    @Test("a stream with 49 declared tags ends with AWS's 50 (the ownership tag), every request within AWS's model")
    func fortyNineTags() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        try workspace.write("stream.yaml", Self.stream(tagCount: 49))
        let apply = try workspace.reconcile("apply", "--auto-approve", ".")
        #expect(apply.exitCode == 0, "\(apply.output)")
        let count = try workspace.boto3(
            "print(len(kinesis.list_tags_for_stream(StreamName='e2e-tagged', Limit=50)['Tags']))")
        #expect(count == "50")
        #expect(try #require(workspace.proxy).modelViolations().isEmpty)
    }

    @Test("a 50th declared tag is refused by validate and plan, at its line, and nothing reaches AWS")
    func fiftyTagsRefused() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        try workspace.write("stream.yaml", Self.stream(tagCount: 50))
        let plan = try workspace.reconcile("plan", ".")
        #expect(plan.exitCode == 1)
        #expect(plan.stderr.contains("stream.yaml:57:5"), "\(plan.output)")
        #expect(plan.stderr.contains("ownership tag reconcile:project as the 50th"), "\(plan.output)")
        #expect(try #require(workspace.proxy).requests().filter { $0.operation != nil }.isEmpty)
    }

    @Test("a tags-only stack change converges: AWS applies such an UpdateStack (moto alone says No updates)")
    func tagsOnlyStackUpdate() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        try workspace.write("stack.yaml", Self.stack(tags: "{team: a}"))
        #expect(try workspace.reconcile("apply", "--auto-approve", ".").exitCode == 0)
        try workspace.write("stack.yaml", Self.stack(tags: "{team: b, cost: c1}"))
        let apply = try workspace.reconcile("apply", "--auto-approve", ".")
        #expect(apply.exitCode == 0, "\(apply.output)")
        let plan = try workspace.reconcile("plan", "--detailed-exitcode", ".")
        #expect(plan.exitCode == 0, "\(plan.output)")
    }

    @Test("a stack stream switched to ON_DEMAND and back converges (moto alone ignores StreamModeDetails)")
    func stackModeSwitch() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        for mode in ["PROVISIONED", "ON_DEMAND", "PROVISIONED"] {
            try workspace.write("stack.yaml", Self.stack(tags: "{team: a}", mode: mode))
            let apply = try workspace.reconcile("apply", "--auto-approve", ".")
            #expect(apply.exitCode == 0, "\(apply.output)")
            let live = try workspace.boto3(
                """
                print(kinesis.describe_stream_summary(StreamName='e2e-fidelity-stream')\
                ['StreamDescriptionSummary']['StreamModeDetails']['StreamMode'])
                """)
            #expect(live == mode)
            let plan = try workspace.reconcile("plan", "--detailed-exitcode", ".")
            #expect(plan.exitCode == 0, "\(mode): \(plan.output)")
        }
    }

    @Test("apply --prune deregisters an undeclared consumer with a request AWS accepts (its region signed)")
    func pruneUndeclaredConsumer() throws {
        let workspace = try Workspace(copying: ["examples/fan-out"])
        // Model violations are asserted here, with the command's output, rather than by stop().
        workspace.failsOnModelViolations = false
        defer { workspace.stop() }
        let proxy = try #require(workspace.proxy)
        #expect(try workspace.reconcile("apply", "--auto-approve", ".").exitCode == 0)
        let consumers = try workspace.boto3(
            """
            summary = kinesis.describe_stream_summary(StreamName='example-fanout-orders')
            arn = summary['StreamDescriptionSummary']['StreamARN']
            kinesis.register_stream_consumer(StreamARN=arn, ConsumerName='undeclared-reader')
            print(len(kinesis.list_stream_consumers(StreamARN=arn)['Consumers']))
            """)
        #expect(consumers == "2")
        let pruned = try workspace.reconcile("apply", "--prune", "--auto-approve", ".")
        let violations = try proxy.modelViolations()
        // Every step carries its resource's region, so the request is signed for it (it was "" once).
        #expect(pruned.exitCode == 0, "\(pruned.output)")
        #expect(violations.isEmpty, "\(violations)")
    }
}
