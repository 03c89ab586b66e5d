import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The apply process killed with SIGKILL right after its k-th write reached AWS
/// (the proxy holds that write's answer until the kill), for every k.
@Suite("reliability: apply killed after the k-th write")
struct ReliabilityInterruptionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var manifests: String
        var testDescription: String { manifests }
    }

    static let cases = [
        Case(manifests: "manifests"), Case(manifests: "examples/multi-stack"), Case(manifests: "examples/direct-stream")
    ]

    /// Operations that create something: a plan after a kill must not ask for them again
    /// for a resource that exists.
    static let creates: Set<String> = [
        "cloudformation:CreateStack", "kinesis:CreateStream", "kinesis:RegisterStreamConsumer"
    ]

    @Test("the next plan shows only the remaining work and the next apply converges", arguments: cases)
    func killAfterEachWrite(_ testCase: Case) throws {
        let workspace = try Workspace(copying: [testCase.manifests], proxied: true)
        defer { workspace.stop() }
        let proxy = try #require(workspace.proxy)

        // A clean apply first, to count the writes.
        let reference = try workspace.reconcile("apply", "--auto-approve", ".")
        #expect(reference.exitCode == 0, "\(reference.output)")
        let total = try proxy.writeRequests().count
        try #require(total >= 1)
        let points = Reliability.full ? Array(1...total) : Array(Set([1, (total + 1) / 2, total])).sorted()

        var tried = 0
        var convergedAfterKill = 0
        for k in points {
            try workspace.moto.reset()
            try proxy.resetState()
            try proxy.configure(#"{"pause": {"after_write": \#(k)}}"#)
            try proxy.resetLog()
            let context = "\(testCase) kill after write \(k) of \(total)"

            let apply = try workspace.start("apply", "--auto-approve", ".")
            let held = try proxy.waitForPause(whileRunning: { apply.isRunning })
            apply.send(SIGKILL)
            let (result, signaled) = try apply.wait()
            try proxy.release()
            try proxy.configure("{}")
            guard held != nil else {
                // Fewer writes this time (independent steps can need fewer waits): it just finished.
                #expect(result.exitCode == 0, "\(context): finished without pausing\n\(result.output)")
                continue
            }
            tried += 1
            #expect(signaled == SIGKILL, "\(context)")

            // The plan: no error (no --adopt demand), and no create for anything that exists.
            let (plan, steps) = try workspace.planSteps()
            #expect(plan.exitCode == 0, "\(context): plan failed\n\(plan.output)")
            #expect(!plan.output.contains("--adopt"), "\(context)\n\(plan.output)")
            let live = try workspace.inventoryProblems(requireAll: false)
            #expect(live == [], "\(context): \(live)")
            let existing = try liveNames(workspace)
            for step in steps where Self.creates.contains(step.operation) {
                #expect(
                    !existing.contains(step.address),
                    "\(context): plans \(step.operation) for \(step.address), which exists")
            }
            #expect(steps.count <= total, "\(context): \(steps.count) steps left of \(total)")
            if try workspace.expectConverges(attempts: 1, context) { convergedAfterKill += 1 }
        }
        #expect(tried > 0, "\(testCase): no apply was ever killed, so this run tested nothing")
        Reliability.record("kill", ["killPoints": tried, "converged": convergedAfterKill, "writesInFullApply": total])
    }

    /// `Stack/x`, `Stream/x`, `StreamConsumer/x` for everything live in moto.
    func liveNames(_ workspace: Workspace) throws -> Set<String> {
        let out = try workspace.boto3(
            """
            names = ['Stack/' + s['StackName'] for s in cfn.describe_stacks()['Stacks'] if s['StackStatus'] != 'DELETE_COMPLETE']
            for name in kinesis.list_streams()['StreamNames']:
                names.append('Stream/' + name)
                arn = kinesis.describe_stream_summary(StreamName=name)['StreamDescriptionSummary']['StreamARN']
                names += ['StreamConsumer/' + c['ConsumerName'] for c in kinesis.list_stream_consumers(StreamARN=arn)['Consumers']]
            print(json.dumps(names))
            """)
        return Set((try? JSONDecoder().decode([String].self, from: Data(out.utf8))) ?? [])
    }

    @Test("without the proxy's CreateStream-tags rule (moto's gap), a kill after CreateStream needs --adopt")
    func motoGapIsWhyTheRuleExists() throws {
        let workspace = try Workspace(copying: ["examples/direct-stream"], proxied: true)
        defer { workspace.stop() }
        let proxy = try #require(workspace.proxy)
        try proxy.configure(#"{"rules": {"create_stream_tags": false}, "pause": {"after_write": 1}}"#)
        let apply = try workspace.start("apply", "--auto-approve", ".")
        let held = try proxy.waitForPause(whileRunning: { apply.isRunning })
        #expect(held?.operation == "CreateStream")
        apply.send(SIGKILL)
        _ = try apply.wait()
        try proxy.release()
        let plan = try workspace.reconcile("plan", ".")
        // moto dropped CreateStream's Tags: the stream looks unowned, and the product refuses to take it silently.
        #expect(plan.exitCode == 1)
        #expect(plan.stderr.contains("--adopt"), "\(plan.output)")
    }
}
