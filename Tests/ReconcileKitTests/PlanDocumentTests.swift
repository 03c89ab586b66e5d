import AWSClient
import Formats
import Foundation
import Testing

@testable import ReconcileKit

/// The plan document (formatVersion 1) written and read back: references between steps stay
/// values of their own, and no other parameter text is ever taken for one.
@Suite("Plan document and step references")
struct PlanDocumentTests {
    static func plan(_ desired: DesiredState) throws -> Plan {
        let regions = Dictionary(uniqueKeysWithValues: desired.addresses.map { ($0, "eu-central-1") })
        return try Planner.plan(
            desired: desired, regions: regions, live: LiveState(), options: PlanOptions(project: "default"))
    }

    @Test("a consumer of a new stream refers to its ARN; the document writes ${…} and reads it back as a reference")
    func referenceRoundTrip() throws {
        let plan = try Self.plan(
            DesiredState(streams: [StreamSpec(name: "s")], consumers: [ConsumerSpec(name: "app", stream: "s")]))
        let register = try #require(plan.steps.first { $0.operation == "kinesis:RegisterStreamConsumer" })
        #expect(register.action == .registerConsumer(stream: .created(stream: "s"), consumer: "app"))
        #expect(register.action.reference == .streamARN(stream: "s"))

        let text = PlanJSONRenderer.render(plan)
        #expect(text.contains(#""StreamARN" : "${Stream/s.StreamARN}""#))
        let read = try PlanJSONRenderer.parse(Data(text.utf8))
        #expect(read == plan)
        #expect(PlanJSONRenderer.render(read) == text)
    }

    @Test("tag values and stack parameters shaped like ${…} are plain values, in the plan and after reading it")
    func dollarBracesArePlainValues() throws {
        let plan = try Self.plan(
            DesiredState(
                stacks: [StackSpec(name: "infra", tags: ["env": "${env}"], parameters: ["Env": "${env}"])],
                streams: [StreamSpec(name: "s", tags: ["env": "${env}", "StreamARN": "${Stream/x.StreamARN}"])]))
        let read = try PlanJSONRenderer.parse(Data(PlanJSONRenderer.render(plan).utf8))
        for step in plan.steps + read.steps {
            #expect(step.action.reference == nil, "\(step.operation)")
        }
        let tags = read.steps.compactMap { step -> [String: String]? in
            if case .addTags(_, let tags) = step.action { return tags }
            return nil
        }.first
        #expect(tags?["env"] == "${env}")
        #expect(tags?["StreamARN"] == "${Stream/x.StreamARN}")
        let stack = read.steps.compactMap { step -> StackRequest? in
            if case .createStack(let request) = step.action { return request }
            return nil
        }.first
        #expect(stack?.parameters == ["Env": "${env}"])
    }

    @Test("managedBy and destructive reasons are written as the plan's words and read back as the same values")
    func changeLabelsRoundTrip() throws {
        let desired = DesiredState(
            stacks: [StackSpec(name: "infra")],
            streams: [StreamSpec(name: "member", stack: "infra"), StreamSpec(name: "direct", retentionPeriodHours: 24)])
        let live = LiveState(streams: [
            "direct": LiveStream(
                name: "direct", region: "eu-central-1", arn: "arn:aws:kinesis:eu-central-1:1:stream/direct",
                openShardCount: 1, retentionPeriodHours: 48, encryptionKeyId: "alias/k",
                tags: [OwnershipTag.key: "default"])
        ])
        let regions = Dictionary(uniqueKeysWithValues: desired.addresses.map { ($0, "eu-central-1") })
        let plan = try Planner.plan(
            desired: desired, regions: regions, live: live, options: PlanOptions(project: "default"))
        let text = PlanJSONRenderer.render(plan)
        let document = try JSONValue.parse(Data(text.utf8))
        let changes = document["changes"]?.arrayValue ?? []
        func change(_ address: String) -> JSONValue? { changes.first { $0["address"] == .string(address) } }
        #expect(change("Stack/infra")?["managedBy"] == "cloudformation")
        #expect(change("Stream/member")?["managedBy"] == "Stack/infra")
        #expect(change("Stream/direct")?["managedBy"] == "kinesis")
        #expect(
            change("Stream/direct")?["destructiveReasons"] == [
                "retention decreased 48h → 24h: older records become unreadable",
                "encryption removed: new records are stored unencrypted"
            ])
        let read = try PlanJSONRenderer.parse(Data(text.utf8))
        #expect(read == plan)
        #expect(PlanJSONRenderer.render(read) == text)
    }

    @Test("every kind of step the planner emits reads back from the plan document as the same typed action")
    func everyActionRoundTrips() throws {
        let regions = PolicyTests.regions(PolicyTests.rich)
        let steps =
            try PolicyGenerator.plannedSteps(desired: PolicyTests.rich, regions: regions, mode: .apply)
            + PolicyGenerator.plannedSteps(desired: PolicyTests.rich, regions: regions, mode: .destroy)
        let writes = AWSOperation.all.filter { $0.access == .write && $0 != .putRecord }.map(\.description)
        #expect(Set(steps.map(\.operation)) == Set(writes))
        let plan = Plan(project: "p", mode: .apply, changes: [], steps: steps)
        let text = PlanJSONRenderer.render(plan)
        let read = try PlanJSONRenderer.parse(Data(text.utf8))
        #expect(read.steps == steps)
        #expect(PlanJSONRenderer.render(read) == text)
    }

    @Test("a step whose operation or parameters reconcile does not know makes the plan file malformed")
    func unknownStepsAreRefused() throws {
        let plan = try Self.plan(DesiredState(streams: [StreamSpec(name: "s")]))
        let text = PlanJSONRenderer.render(plan)
        for (from, to) in [("kinesis:CreateStream", "kinesis:SplitShard"), ("\"StreamName\"", "\"Stream\"")] {
            let edited = text.replacingOccurrences(of: from, with: to)
            #expect(edited != text)
            #expect(throws: PlanFileError.self) { _ = try PlanJSONRenderer.parse(Data(edited.utf8)) }
        }
    }
}
