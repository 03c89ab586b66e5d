import AWSClient
import Formats
import Foundation
import Testing

@testable import ReconcileKit

/// Desired × live → changes and steps, for stacks and the streams in them.
@Suite("Planner: stacks")
struct PlannerStackTests {
    static let region = "eu-central-1"

    static func plan(
        _ desired: DesiredState, live: LiveState = LiveState(), prune: Bool = false, adopt: Bool = false,
        mode: PlanMode = .apply
    ) throws -> Plan {
        let regions = Dictionary(uniqueKeysWithValues: desired.addresses.map { ($0, region) })
        return try Planner.plan(
            desired: desired, regions: regions, live: live,
            options: PlanOptions(project: "default", mode: mode, prune: prune, adopt: adopt))
    }

    static let stack = StackSpec(name: "infra", description: "streams", tags: ["team": "data"])

    static func seed(shards: Int = 1, retention: Int = 24) -> DesiredState {
        DesiredState(
            stacks: [stack],
            streams: [StreamSpec(name: "events", stack: "infra", shardCount: shards, retentionPeriodHours: retention)])
    }

    /// The live stack as reconcile would have left it after applying `desired`.
    static func deployed(
        _ desired: DesiredState, status: String = "CREATE_COMPLETE", protected: Bool = false, owner: String = "default"
    ) -> LiveStack {
        LiveStack(
            name: "infra", region: region, stackId: "arn:stack/infra", status: status,
            tags: ["team": "data", OwnershipTag.key: owner], terminationProtection: protected,
            template: TemplateSynthesizer.template(for: stack, in: desired))
    }

    static func liveStream(shards: Int = 1, retention: Int = 24) -> LiveStream {
        LiveStream(
            name: "events", region: region, arn: "arn:aws:kinesis:\(region):1:stream/events", openShardCount: shards,
            retentionPeriodHours: retention, tags: ["team": "data", OwnershipTag.key: "default"])
    }

    @Test("two stack requests that differ only in their tags get different ClientRequestTokens")
    func requestTokenCoversTags() throws {
        func token(_ tags: [String: String]) throws -> String? {
            let stack = StackSpec(name: "infra", description: "streams", tags: tags)
            let plan = try Self.plan(DesiredState(stacks: [stack]))
            return plan.steps.first?.parameters["ClientRequestToken"]?.stringValue
        }
        let first = try #require(try token(["team": "data"]))
        let second = try #require(try token(["team": "ops"]))
        #expect(first != second)
        #expect(try token(["team": "data"]) == first)
    }

    @Test("a new stack is one CreateStack with the synthesized template, tags and the ownership tag")
    func createsStack() throws {
        let plan = try Self.plan(Self.seed())
        #expect(plan.steps.map(\.operation) == ["cloudformation:CreateStack"])
        let parameters = plan.steps[0].parameters
        #expect(parameters["StackName"] == "infra")
        let body = try #require(parameters["TemplateBody"]?.stringValue)
        #expect(body.contains("AWS::Kinesis::Stream"))
        #expect(parameters["Tags"]?.arrayValue?.contains(["Key": "reconcile:project", "Value": "default"]) == true)
        #expect(parameters["ClientRequestToken"]?.stringValue?.hasPrefix("reconcile-") == true)
        #expect(plan.summary == PlanSummary(create: 2, capacity: plan.summary.capacity))
        #expect(plan.changes.first { $0.address == .stream("events") }?.managedBy == "Stack/infra")
    }

    @Test("an unchanged stack plans nothing")
    func unchanged() throws {
        let desired = Self.seed()
        let plan = try Self.plan(
            desired, live: LiveState(stacks: ["infra": Self.deployed(desired)], streams: ["events": Self.liveStream()]))
        #expect(!plan.hasChanges, "\(plan.changes)")
    }

    @Test("a shard change larger than one legal step is successive UpdateStacks with intermediate templates")
    func reshardsThroughIntermediateTemplates() throws {
        let before = Self.seed(shards: 1)
        let plan = try Self.plan(
            Self.seed(shards: 8),
            live: LiveState(stacks: ["infra": Self.deployed(before)], streams: ["events": Self.liveStream(shards: 1)]))
        #expect(plan.steps.map(\.operation) == Array(repeating: "cloudformation:UpdateStack", count: 3))
        let counts = plan.steps.compactMap { step -> Int? in
            guard let body = step.parameters["TemplateBody"]?.stringValue, let template = TemplateBody.parse(body)
            else { return nil }
            return template["Resources"]?["Events"]?["Properties"]?["ShardCount"]?.intValue
        }
        #expect(counts == [2, 4, 8])
        #expect(plan.steps.map(\.dependsOn) == [[], [0], [1]])
        #expect(plan.changes.first { $0.address == .stream("events") }?.properties.first?.path == "shardCount")
    }

    @Test("a live value changed outside reconcile is drift, fixed with a Kinesis call")
    func driftIsFixedDirectly() throws {
        let desired = Self.seed(retention: 24)
        let plan = try Self.plan(
            desired,
            live: LiveState(
                stacks: ["infra": Self.deployed(desired)], streams: ["events": Self.liveStream(retention: 72)]))
        let change = try #require(plan.changes.first { $0.address == .stream("events") })
        #expect(change.drift)
        #expect(change.properties == [PropertyChange(path: "retentionPeriodHours", before: 72, after: 24, drift: true)])
        #expect(plan.steps.map(\.operation) == ["kinesis:DecreaseStreamRetentionPeriod"])
        #expect(PlanTextRenderer.render(plan, style: TextStyle(colored: false)).contains("drift"))
    }

    @Test("a stack in ROLLBACK_COMPLETE is deleted, then created again")
    func rollbackCompleteIsReplaced() throws {
        let desired = Self.seed()
        let plan = try Self.plan(
            desired, live: LiveState(stacks: ["infra": Self.deployed(desired, status: "ROLLBACK_COMPLETE")]))
        #expect(plan.steps.map(\.operation) == ["cloudformation:DeleteStack", "cloudformation:CreateStack"])
        #expect(plan.steps[1].dependsOn == [0])
        #expect(plan.changes.first { $0.address == .stack("infra") }?.action == .replace)
        #expect(plan.summary.replace == 1)
        #expect(plan.changes.contains { $0.isDestructive })
    }

    @Test(
        "a stack in any *_IN_PROGRESS state fails the plan clearly",
        arguments: ["UPDATE_IN_PROGRESS", "CREATE_IN_PROGRESS", "DELETE_IN_PROGRESS"])
    func inProgressFails(status: String) {
        let desired = Self.seed()
        #expect {
            try Self.plan(desired, live: LiveState(stacks: ["infra": Self.deployed(desired, status: status)]))
        } throws: { error in
            String(describing: error).contains(status) && String(describing: error).contains("Stack/infra")
        }
    }

    @Test("UPDATE_ROLLBACK_FAILED fails with guidance")
    func rollbackFailedFails() {
        let desired = Self.seed()
        #expect {
            try Self.plan(
                desired, live: LiveState(stacks: ["infra": Self.deployed(desired, status: "UPDATE_ROLLBACK_FAILED")]))
        } throws: { error in String(describing: error).contains("continue-update-rollback") }
    }

    @Test("a stack of another project is refused without --adopt; with it, UpdateStack adds the tag")
    func stackOwnership() throws {
        let desired = Self.seed()
        let foreign = LiveState(
            stacks: ["infra": Self.deployed(desired, owner: "other")], streams: ["events": Self.liveStream()])
        #expect(throws: PlanError.self) { try Self.plan(desired, live: foreign) }
        let adopted = try Self.plan(desired, live: foreign, adopt: true)
        #expect(adopted.steps.map(\.operation) == ["cloudformation:UpdateStack"])
        #expect(adopted.changes.first?.properties.contains { $0.path == "tags.reconcile:project" } == true)
    }

    @Test("destroy deletes the stack, keeps Retain members, and refuses a protected stack")
    func destroyStack() throws {
        let desired = DesiredState(
            stacks: [Self.stack],
            streams: [
                StreamSpec(name: "events", stack: "infra"),
                StreamSpec(name: "kept", stack: "infra", deletionPolicy: .retain)
            ])
        let plan = try Self.plan(desired, live: LiveState(stacks: ["infra": Self.deployed(desired)]), mode: .destroy)
        #expect(plan.steps.map(\.operation) == ["cloudformation:DeleteStack"])
        #expect(plan.retained.map(\.address) == [.stream("kept")])
        #expect(plan.changes.map(\.address).contains(.stream("events")))
        #expect(throws: PlanError.self) {
            try Self.plan(
                desired, live: LiveState(stacks: ["infra": Self.deployed(desired, protected: true)]), mode: .destroy)
        }
    }

    @Test("a member removed from the manifests stays in the template until --prune")
    func undeclaredMembers() throws {
        let before = DesiredState(
            stacks: [Self.stack],
            streams: [StreamSpec(name: "events", stack: "infra"), StreamSpec(name: "old", stack: "infra")])
        let live = LiveState(stacks: ["infra": Self.deployed(before)], streams: ["events": Self.liveStream()])
        let kept = try Self.plan(Self.seed(), live: live)
        #expect(!kept.hasChanges)
        #expect(kept.notDeclared.map(\.address) == [.stream("old")])
        let pruned = try Self.plan(Self.seed(), live: live, prune: true)
        #expect(pruned.steps.map(\.operation) == ["cloudformation:UpdateStack"])
        #expect(pruned.changes.contains { $0.address == .stream("old") && $0.action == .delete && $0.isDestructive })
        let body = try #require(pruned.steps[0].parameters["TemplateBody"]?.stringValue)
        #expect(!body.contains("\"old\""))
    }

    @Test("a stack waits for the stack it depends on")
    func stackDependencies() throws {
        let desired = DesiredState(stacks: [
            StackSpec(name: "a-app", dependsOn: [.stack("b-base")]), StackSpec(name: "b-base")
        ])
        let plan = try Self.plan(desired)
        #expect(plan.steps.map(\.address) == [.stack("b-base"), .stack("a-app")])
        #expect(plan.steps[1].dependsOn == [0])
    }
}

@Suite("Plan rendering")
struct PlanRenderingTests {
    @Test("the text plan ends with the summary and lists destructive changes under their own heading")
    func textPlan() throws {
        let desired = DesiredState(streams: [StreamSpec(name: "s", retentionPeriodHours: 24)])
        let live = LiveState(streams: ["s": PlannerStreamTests.live("s", retention: 48)])
        let plan = try PlannerStreamTests.plan(desired, live: live)
        let text = PlanTextRenderer.render(plan, style: TextStyle(colored: false))
        #expect(text.contains("~ Stream/s"))
        #expect(text.contains("retentionPeriodHours: 48 → 24"))
        #expect(text.contains("Destructive changes"))
        #expect(text.hasSuffix("Plan: 0 to create, 1 to update, 0 to replace, 0 to delete."))
        #expect(!text.contains("\u{1B}["))
        #expect(PlanTextRenderer.render(plan, style: TextStyle(colored: true)).contains("\u{1B}["))
    }

    @Test("the JSON plan round-trips and carries the SPEC's fields")
    func jsonPlan() throws {
        let plan = try PlannerStreamTests.plan(DesiredState(streams: [StreamSpec(name: "s")]))
        let text = PlanJSONRenderer.render(plan)
        let parsed = try PlanJSONRenderer.parse(Data(text.utf8))
        #expect(parsed == plan)
        let document = try JSONValue.parse(Data(text.utf8))
        #expect(document["formatVersion"] == 1)
        #expect(document["changes"]?.arrayValue?.first?["liveFingerprint"]?.stringValue?.hasPrefix("sha256:") == true)
        #expect(document["steps"]?.arrayValue?.first?["operation"] == "kinesis:CreateStream")
        #expect(throws: PlanFileError.self) { try PlanJSONRenderer.parse(Data("{\"formatVersion\": 2}".utf8)) }
        #expect(throws: PlanFileError.self) { try PlanJSONRenderer.parse(Data("not json".utf8)) }
    }

    @Test("a 2,000-stream Markdown plan stays under GitHub's comment limit and says what it left out")
    func markdownCap() throws {
        let streams = (0..<2_000).map {
            StreamSpec(
                name: "stream-with-a-long-name-\($0)", shardCount: 4, retentionPeriodHours: 168,
                tags: ["team": "data", "env": "prod"])
        }
        let plan = try PlannerStreamTests.plan(DesiredState(streams: streams))
        let markdown = PlanMarkdownRenderer.render(plan)
        #expect(markdown.count < 65_536)
        #expect(markdown.hasPrefix("### reconcile plan"))
        #expect(markdown.contains("Plan: 2000 to create"))
        #expect(markdown.contains("left out") || markdown.contains("cut here"))
        let small = PlanMarkdownRenderer.render(
            try PlannerStreamTests.plan(DesiredState(streams: [StreamSpec(name: "s")])))
        #expect(small.contains("<details>"))
        #expect(!small.contains("left out"))
    }
}
