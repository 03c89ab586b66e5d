import AWSClient
import Formats
import Foundation
import Testing

@testable import ReconcileKit

/// Resource policies: comparison by meaning, the statement diff, and the steps the planner makes.
@Suite("Resource policies: comparison, diff and planning")
struct ResourcePolicyPlanningTests {
    static func policy(_ statements: JSONValue...) -> ResourcePolicy {
        ResourcePolicy(document: ["Version": "2012-10-17", "Statement": .array(statements)])
    }

    static func allow(_ sid: String, _ principal: JSONValue, _ action: JSONValue) -> JSONValue {
        ["Sid": .string(sid), "Effect": "Allow", "Principal": ["AWS": principal], "Action": action, "Resource": "*"]
    }

    @Test("a single value and a list of one, value order and an account id versus its root ARN are the same policy")
    func equivalence() {
        let written = Self.policy(Self.allow("A", "111122223333", ["kinesis:PutRecord", "kinesis:ListShards"]))
        let returned = Self.policy(
            Self.allow("A", ["arn:aws:iam::111122223333:root"], ["kinesis:ListShards", "kinesis:PutRecord"]))
        #expect(written.isEquivalent(to: returned))
        let single = ResourcePolicy(document: ["Version": "2012-10-17", "Statement": Self.allow("A", "1", "x")])
        #expect(single.isEquivalent(to: Self.policy(Self.allow("A", ["1"], ["x"]))))
        #expect(!written.isEquivalent(to: Self.policy(Self.allow("A", "111122223333", "kinesis:PutRecord"))))
    }

    @Test("the diff pairs statements by Sid and names only principals that gain access")
    func diff() {
        let before = Self.policy(
            Self.allow("Keep", "1", "a"), Self.allow("Change", "2", "b"), Self.allow("Drop", "3", "c"))
        let after = Self.policy(
            Self.allow("Keep", "1", "a"), Self.allow("Change", "2", ["b", "d"]), Self.allow("New", "4", "e"))
        let diff = ResourcePolicyDiff(from: before, to: after)
        #expect(diff.added.map(\.sid) == ["New"])
        #expect(diff.removed.map(\.sid) == ["Drop"])
        #expect(diff.changed.map(\.after.sid) == ["Change"])
        #expect(diff.newPrincipals == ["AWS:4"])
        #expect(diff.added[0].compactText == "New: Allow AWS:4 e on *")
    }

    static let arn = "arn:aws:kinesis:eu-central-1:123456789012:stream/orders"

    static func live(policy: ResourcePolicy?, managed: Bool) -> LiveState {
        var tags = [OwnershipTag.key: "default"]
        if managed { tags[OwnershipTag.resourcePolicyKey] = OwnershipTag.resourcePolicyValue }
        var stream = LiveStream(name: "orders", region: "eu-central-1", arn: arn, tags: tags)
        stream.resourcePolicy = policy
        return LiveState(streams: ["orders": stream])
    }

    @Test("a declared policy on an existing stream: tag, then PutResourcePolicy; equal in meaning: nothing")
    func putsAndTags() throws {
        var spec = StreamSpec(name: "orders")
        spec.resourcePolicy = Self.policy(Self.allow("A", "1", "x"))
        let plan = try PlannerStreamTests.plan(
            DesiredState(streams: [spec]), live: Self.live(policy: nil, managed: false))
        #expect(PlannerStreamTests.operations(plan) == ["kinesis:AddTagsToStream", "kinesis:PutResourcePolicy"])
        #expect(plan.steps[0].parameters["Tags"] == [OwnershipTag.resourcePolicyKey: "managed"])
        #expect(plan.steps[1].parameters["ResourceARN"] == .string(Self.arn))
        #expect(
            plan.accessChanges == [
                AccessChange(address: .stream("orders"), region: "eu-central-1", newPrincipals: ["AWS:1"])
            ])
        #expect(plan.changes[0].properties.map(\.path) == ["resourcePolicy"])
        let statements = try #require(plan.changes[0].properties[0].statements)
        #expect(statements.added.map { $0["Sid"] } == ["A"])
        #expect(statements.removed.isEmpty && statements.changed.isEmpty)
        #expect(PlanJSONRenderer.render(plan).contains("\"statements\" : {"))

        let same = Self.policy(Self.allow("A", ["1"], ["x"]))
        let unchanged = try PlannerStreamTests.plan(
            DesiredState(streams: [spec]), live: Self.live(policy: same, managed: true))
        #expect(unchanged.steps.isEmpty)
        #expect(unchanged.accessChanges == nil)
    }

    @Test("a policy no longer declared is deleted only where reconcile manages policies")
    func deletesOnlyManaged() throws {
        let live = Self.policy(Self.allow("A", "1", "x"))
        let desired = DesiredState(streams: [StreamSpec(name: "orders")])
        let managed = try PlannerStreamTests.plan(desired, live: Self.live(policy: live, managed: true))
        #expect(PlannerStreamTests.operations(managed) == ["kinesis:DeleteResourcePolicy"])
        let foreign = try PlannerStreamTests.plan(desired, live: Self.live(policy: live, managed: false))
        #expect(foreign.steps.isEmpty)
    }

    @Test("a new consumer's policy names it by reference, and the plan document reads back the same steps")
    func consumerReferenceRoundTrip() throws {
        var consumer = ConsumerSpec(name: "reader", stream: "orders")
        consumer.resourcePolicy = Self.policy(Self.allow("A", "1", "kinesis:SubscribeToShard"))
        let plan = try PlannerStreamTests.plan(
            DesiredState(streams: [StreamSpec(name: "orders")], consumers: [consumer]))
        let put = try #require(plan.steps.last)
        #expect(put.parameters["ResourceARN"] == "${Stream/orders/consumer/reader.ConsumerARN}")
        #expect(plan.steps.first?.parameters["Tags"]?[OwnershipTag.resourcePolicyKey] == "managed")
        let decoded = try PlanJSONRenderer.parse(Data(PlanJSONRenderer.render(plan).utf8))
        #expect(decoded.steps == plan.steps)
        #expect(decoded.accessChanges == plan.accessChanges)
    }
}

extension ResourcePolicyPlanningTests {
    @Test("a stack stream's policy added to the template shows its statements and who gains access")
    func stackTemplatePolicy() throws {
        var member = StreamSpec(name: "orders", stack: "s")
        let desiredWithout = DesiredState(stacks: [StackSpec(name: "s")], streams: [member])
        member.resourcePolicy = Self.policy(Self.allow("A", "111122223333", "kinesis:GetRecords"))
        let desired = DesiredState(stacks: [StackSpec(name: "s")], streams: [member])
        let deployed = TemplateSynthesizer.template(for: StackSpec(name: "s"), in: desiredWithout)
        let stack = LiveStack(
            name: "s", region: "eu-central-1", stackId: "arn:aws:cloudformation:eu-central-1:1:stack/s/x",
            tags: [OwnershipTag.key: "default"], template: deployed)
        let stream = LiveStream(
            name: "orders", region: "eu-central-1", arn: Self.arn, tags: ["aws:cloudformation:stack-name": "s"])
        let plan = try PlannerStreamTests.plan(
            desired, live: LiveState(stacks: ["s": stack], streams: ["orders": stream]))
        let change = try #require(plan.changes.first { $0.address == .stack("s") })
        let property = try #require(change.properties.first { $0.path == "template.Resources.OrdersResourcePolicy" })
        let lines = PlanWording.propertyLines(property)
        #expect(
            lines.first?.text
                == "template.Resources.OrdersResourcePolicy (resource policy of Orders): statements 1 added")
        #expect(lines.last?.text == "    + A: Allow AWS:arn:aws:iam::111122223333:root kinesis:GetRecords on *")
        #expect(plan.accessChanges?.first?.address == .stack("s"))
        #expect(plan.accessChanges?.first?.newPrincipals == ["AWS:arn:aws:iam::111122223333:root"])
    }
}
