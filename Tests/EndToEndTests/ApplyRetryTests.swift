import Foundation
import TestSupport
import Testing

/// Writes whose answer was lost on the way back: the retried call finds the change already made.
@Suite("apply: a write that went through although its answer was lost")
struct ApplyRetryTests {
    @Test("a consumer registered by a lost first attempt is found by stream and name, then waited for")
    func lostRegistrationAnswer() throws {
        let workspace = try Workspace(copying: ["examples/fan-out"])
        defer { workspace.stop() }
        let proxy = try #require(workspace.proxy)
        try proxy.configure(
            #"""
            {"rules": {"consumer_busy_seconds": 1},
             "script": [{"operation": "RegisterStreamConsumer", "nth": 1, "fault": "reset_after"}]}
            """#)

        let apply = try workspace.reconcile("apply", "--auto-approve", ".")
        #expect(apply.exitCode == 0, "\(apply.output)")
        #expect(apply.output.contains("consumer was already registered"), "\(apply.output)")

        let log = try proxy.requests()
        let registrations = log.filter { $0.operation == "RegisterStreamConsumer" }
        #expect(registrations.first?.fault == "reset_after")
        #expect(registrations.count == 2, "\(registrations)")
        let afterRetry = log.drop { $0.operation != "RegisterStreamConsumer" || $0.fault != nil }.dropFirst()
        #expect(afterRetry.contains { $0.operation == "DescribeStreamConsumer" })
        #expect(!afterRetry.contains { $0.operation == "ListStreamConsumers" })

        let consumers = try workspace.boto3(
            """
            arn = kinesis.describe_stream_summary(StreamName='example-fanout-orders')['StreamDescriptionSummary']['StreamARN']
            for consumer in kinesis.list_stream_consumers(StreamARN=arn)['Consumers']:
                print(consumer['ConsumerName'], consumer['ConsumerStatus'])
            """)
        #expect(consumers.trimmingCharacters(in: .whitespacesAndNewlines) == "example-fanout-analytics ACTIVE")
        let plan = try workspace.reconcile("plan", "--detailed-exitcode", ".")
        #expect(plan.exitCode == 0, "\(plan.output)")
    }
}
