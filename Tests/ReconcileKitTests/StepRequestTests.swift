import AWSClient
import Formats
import Testing

@testable import ReconcileKit

@Suite("step requests: each action sends one typed request, shown as is in the plan document")
struct StepRequestTests {
    static let desired = PolicyTests.rich
    static let regions = PolicyTests.regions(PolicyTests.rich)

    static func steps() throws -> [PlanStep] {
        try [PlanMode.apply, .destroy].flatMap {
            try PolicyGenerator.plannedSteps(desired: desired, regions: regions, mode: $0)
        }
    }

    @Test("the typed request of every step names the step's operation and goes to that operation's service")
    func requestMatchesOperation() throws {
        let steps = try Self.steps()
        #expect(Set(steps.map(\.action.operation)).count >= 15)
        for step in steps {
            switch step.action.request(resolving: { $0.documentText }) {
            case .kinesis(let request):
                #expect(request.operation == step.action.operation, "\(step.operation)")
                #expect(request.operation.service == .kinesis)
            case .cloudFormation(let request):
                #expect(request.operation == step.action.operation, "\(step.operation)")
                #expect(request.operation.service == .cloudformation)
            }
        }
    }

    @Test("a resolved reference changes only the stream ARN the request sends")
    func resolvedReference() {
        let action = StepAction.registerConsumer(stream: .created(stream: "orders"), consumer: "audit")
        let document = action.documentParameters
        let sent = action.request { _ in "arn:aws:kinesis:eu-west-1:123456789012:stream/orders" }.parameters
        #expect(document["StreamARN"]?.stringValue == "${Stream/orders.StreamARN}")
        #expect(sent["StreamARN"]?.stringValue == "arn:aws:kinesis:eu-west-1:123456789012:stream/orders")
        #expect(sent["ConsumerName"] == document["ConsumerName"])
    }

    @Test("a plan document's step reads back into the action that wrote it")
    func documentRoundTrip() throws {
        for step in try Self.steps() {
            let read = try StepAction(operation: step.operation, parameters: step.parameters)
            #expect(read == step.action, "\(step.operation)")
        }
    }
}
