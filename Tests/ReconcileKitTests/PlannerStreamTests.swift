import AWSClient
import Testing

@testable import ReconcileKit

/// Desired × live → changes and steps, for directly managed streams.
@Suite("Planner: directly managed streams")
struct PlannerStreamTests {
    static let region = "eu-central-1"
    static let project = "default"

    static func plan(
        _ desired: DesiredState, live: LiveState = LiveState(), prune: Bool = false, adopt: Bool = false,
        mode: PlanMode = .apply
    ) throws -> Plan {
        let regions = Dictionary(uniqueKeysWithValues: desired.addresses.map { ($0, region) })
        return try Planner.plan(
            desired: desired, regions: regions, live: live,
            options: PlanOptions(project: project, mode: mode, prune: prune, adopt: adopt))
    }

    static func live(
        _ name: String, shards: Int = 1, retention: Int = 24, mode: StreamMode = .provisioned,
        key: String? = nil, metrics: [String] = [], tags: [String: String] = [:],
        consumers: [LiveConsumer]? = nil, owner: String? = "default"
    ) -> LiveStream {
        var allTags = tags
        if let owner { allTags[OwnershipTag.key] = owner }
        return LiveStream(
            name: name, region: region, arn: "arn:aws:kinesis:\(region):123456789012:stream/\(name)", mode: mode,
            openShardCount: shards, retentionPeriodHours: retention, encryptionKeyId: key, shardLevelMetrics: metrics,
            tags: allTags, consumers: consumers)
    }

    static func operations(_ plan: Plan) -> [String] { plan.steps.map(\.operation) }

    @Test("a new stream is CreateStream, then the calls CreateStream cannot make, then tags")
    func createsStreamWithFollowUpCalls() throws {
        let spec = StreamSpec(
            name: "orders", shardCount: 2, retentionPeriodHours: 48, encryption: .kms(keyId: "alias/aws/kinesis"),
            shardLevelMetrics: ["IncomingBytes"], tags: ["env": "dev"])
        let plan = try Self.plan(DesiredState(streams: [spec]))
        #expect(
            Self.operations(plan) == [
                "kinesis:CreateStream", "kinesis:IncreaseStreamRetentionPeriod", "kinesis:StartStreamEncryption",
                "kinesis:EnableEnhancedMonitoring", "kinesis:AddTagsToStream"
            ])
        #expect(plan.steps[0].parameters["ShardCount"] == 2)
        #expect(plan.steps[0].parameters["StreamModeDetails"]?["StreamMode"] == "PROVISIONED")
        #expect(plan.steps[4].parameters["Tags"] == ["env": "dev", "reconcile:project": "default"])
        // Each step waits for the one before: Kinesis allows one change at a time per stream.
        #expect(plan.steps.map(\.dependsOn) == [[], [0], [1], [2], [3]])
        #expect(plan.summary == PlanSummary(create: 1, capacity: plan.summary.capacity))
        #expect(plan.changes[0].action == .create)
        #expect(plan.changes[0].properties.contains { $0.path == "shardCount" && $0.before == .null && $0.after == 2 })
    }

    @Test("an on-demand stream is created without a shard count")
    func createsOnDemandStream() throws {
        let plan = try Self.plan(DesiredState(streams: [StreamSpec(name: "clicks", mode: .onDemand, shardCount: nil)]))
        #expect(plan.steps[0].parameters["ShardCount"] == nil)
        #expect(plan.steps[0].parameters["StreamModeDetails"]?["StreamMode"] == "ON_DEMAND")
    }

    @Test(
        "scaling up doubles at most per call: 1 → 8 is 2, 4, 8",
        arguments: [
            (1, 8, [2, 4, 8]), (8, 3, [4, 3]), (4, 5, [5]), (10, 1, [5, 3, 2, 1]), (3, 3, [])
        ])
    func scalesWithinKinesisRules(from: Int, to: Int, expected: [Int]) throws {
        let plan = try Self.plan(
            DesiredState(streams: [StreamSpec(name: "s", shardCount: to)]),
            live: LiveState(streams: ["s": Self.live("s", shards: from)]))
        let targets = plan.steps.filter { $0.operation == "kinesis:UpdateShardCount" }.compactMap {
            $0.parameters["TargetShardCount"]?.intValue
        }
        #expect(targets == expected)
        #expect(
            plan.steps.allSatisfy {
                $0.parameters["ScalingType"] == nil || $0.parameters["ScalingType"] == "UNIFORM_SCALING"
            })
        #expect(ShardScaling.steps(from: from, to: to) == expected)
    }

    @Test("retention goes up with Increase and down with Decrease, and a decrease is destructive")
    func retentionBothWays() throws {
        let up = try Self.plan(
            DesiredState(streams: [StreamSpec(name: "s", retentionPeriodHours: 168)]),
            live: LiveState(streams: ["s": Self.live("s")]))
        #expect(Self.operations(up) == ["kinesis:IncreaseStreamRetentionPeriod"])
        #expect(up.changes[0].destructiveReasons.isEmpty)
        let down = try Self.plan(
            DesiredState(streams: [StreamSpec(name: "s", retentionPeriodHours: 24)]),
            live: LiveState(streams: ["s": Self.live("s", retention: 168)]))
        #expect(Self.operations(down) == ["kinesis:DecreaseStreamRetentionPeriod"])
        #expect(down.changes[0].properties == [PropertyChange(path: "retentionPeriodHours", before: 168, after: 24)])
        #expect(down.changes[0].isDestructive)
    }

    @Test("encryption on, off and key change")
    func encryptionChanges() throws {
        let on = try Self.plan(
            DesiredState(streams: [StreamSpec(name: "s", encryption: .kms(keyId: "alias/a"))]),
            live: LiveState(streams: ["s": Self.live("s")]))
        #expect(Self.operations(on) == ["kinesis:StartStreamEncryption"])
        let off = try Self.plan(
            DesiredState(streams: [StreamSpec(name: "s")]),
            live: LiveState(streams: ["s": Self.live("s", key: "alias/a")]))
        #expect(Self.operations(off) == ["kinesis:StopStreamEncryption"])
        #expect(off.steps[0].parameters["KeyId"] == "alias/a")
        #expect(off.changes[0].destructiveReasons.contains { $0.contains("encryption removed") })
        let rotate = try Self.plan(
            DesiredState(streams: [StreamSpec(name: "s", encryption: .kms(keyId: "alias/b"))]),
            live: LiveState(streams: ["s": Self.live("s", key: "alias/a")]))
        #expect(Self.operations(rotate) == ["kinesis:StartStreamEncryption"])
        #expect(rotate.steps[0].parameters["KeyId"] == "alias/b")
    }

    @Test("tags are added and removed at most 10 per call, and the ownership tag is never shown as a change")
    func tagsInChunks() throws {
        let desiredTags = Dictionary(uniqueKeysWithValues: (0..<23).map { ("k\($0)", "v") })
        let liveTags = Dictionary(uniqueKeysWithValues: (0..<12).map { ("old\($0)", "v") })
        let plan = try Self.plan(
            DesiredState(streams: [StreamSpec(name: "s", tags: desiredTags)]),
            live: LiveState(streams: ["s": Self.live("s", tags: liveTags)]))
        let adds = plan.steps.filter { $0.operation == "kinesis:AddTagsToStream" }
        let removes = plan.steps.filter { $0.operation == "kinesis:RemoveTagsFromStream" }
        #expect(adds.map { $0.parameters["Tags"]?.objectValue?.count ?? 0 } == [10, 10, 3])
        #expect(removes.map { $0.parameters["TagKeys"]?.arrayValue?.count ?? 0 } == [10, 2])
        #expect(!plan.changes[0].properties.contains { $0.path.contains(OwnershipTag.key) })
        #expect(
            removes.allSatisfy { !($0.parameters["TagKeys"]?.arrayValue ?? []).contains(.string(OwnershipTag.key)) })
    }

    @Test("switching to PROVISIONED is UpdateStreamMode, then scaling from the on-demand shard count")
    func modeSwitchThenScale() throws {
        let plan = try Self.plan(
            DesiredState(streams: [StreamSpec(name: "s", mode: .provisioned, shardCount: 1)]),
            live: LiveState(streams: ["s": Self.live("s", shards: 4, mode: .onDemand)]))
        #expect(
            Self.operations(plan) == [
                "kinesis:UpdateStreamMode", "kinesis:UpdateShardCount", "kinesis:UpdateShardCount"
            ])
        #expect(plan.steps[0].parameters["StreamARN"]?.stringValue?.hasPrefix("arn:aws:kinesis:") == true)
        #expect(plan.steps[1...].compactMap { $0.parameters["TargetShardCount"]?.intValue } == [2, 1])
        let toOnDemand = try Self.plan(
            DesiredState(streams: [StreamSpec(name: "s", mode: .onDemand, shardCount: nil)]),
            live: LiveState(streams: ["s": Self.live("s", shards: 2)]))
        #expect(Self.operations(toOnDemand) == ["kinesis:UpdateStreamMode"])
    }

    @Test("an unchanged stream plans nothing")
    func noChanges() throws {
        let plan = try Self.plan(
            DesiredState(streams: [StreamSpec(name: "s", tags: ["a": "b"])]),
            live: LiveState(streams: ["s": Self.live("s", tags: ["a": "b"])]))
        #expect(!plan.hasChanges)
        #expect(plan.changes.map(\.action) == [.noop])
        #expect(
            PlanTextRenderer.render(plan, style: TextStyle(colored: false)).hasSuffix(
                "No changes. Live state matches the manifests."))
    }

    @Test("a stream that exists without this project's tag fails the plan and names --adopt")
    func refusesToTakeOver() throws {
        #expect {
            try Self.plan(
                DesiredState(streams: [StreamSpec(name: "s")]),
                live: LiveState(streams: ["s": Self.live("s", owner: nil)]))
        } throws: { error in
            String(describing: error).contains("Stream/s") && String(describing: error).contains("--adopt")
        }
        #expect(throws: PlanError.self) {
            try Self.plan(
                DesiredState(streams: [StreamSpec(name: "s")]),
                live: LiveState(streams: ["s": Self.live("s", owner: "other")]))
        }
    }

    @Test("--adopt tags the stream first, then converges it")
    func adoptTagsFirst() throws {
        let plan = try Self.plan(
            DesiredState(streams: [StreamSpec(name: "s", retentionPeriodHours: 48)]),
            live: LiveState(streams: ["s": Self.live("s", owner: nil)]), adopt: true)
        #expect(Self.operations(plan) == ["kinesis:AddTagsToStream", "kinesis:IncreaseStreamRetentionPeriod"])
        #expect(plan.steps[0].parameters["Tags"] == ["reconcile:project": "default"])
        #expect(plan.steps[1].dependsOn == [0])
        #expect(plan.changes[0].properties.first?.path == "tags.reconcile:project")
    }

    @Test("consumers: registered after a new stream with its ARN resolved at apply time; existing ones left")
    func consumers() throws {
        let desired = DesiredState(
            streams: [StreamSpec(name: "s")], consumers: [ConsumerSpec(name: "app", stream: "s")])
        let fresh = try Self.plan(desired)
        let register = try #require(fresh.steps.first { $0.operation == "kinesis:RegisterStreamConsumer" })
        #expect(register.parameters["StreamARN"] == "${Stream/s.StreamARN}")
        #expect(register.dependsOn == [fresh.steps.count - 2])
        let existing = try Self.plan(
            desired,
            live: LiveState(streams: ["s": Self.live("s", consumers: [LiveConsumer(name: "app", arn: "arn:c")])]))
        #expect(!existing.hasChanges)
    }

    @Test("undeclared project resources are listed, and deleted only with --prune")
    func prune() throws {
        let live = LiveState(
            streams: ["s": Self.live("s", consumers: [LiveConsumer(name: "old-app", arn: "arn:consumer/old-app")])],
            undeclaredStreams: [Self.live("gone")])
        let desired = DesiredState(streams: [StreamSpec(name: "s")])
        let listed = try Self.plan(desired, live: live)
        #expect(!listed.hasChanges)
        #expect(listed.notDeclared.map(\.address.description) == ["Stream/gone", "StreamConsumer/old-app"])
        let pruned = try Self.plan(desired, live: live, prune: true)
        #expect(Set(Self.operations(pruned)) == ["kinesis:DeregisterStreamConsumer", "kinesis:DeleteStream"])
        #expect(
            pruned.steps.first { $0.operation == "kinesis:DeregisterStreamConsumer" }?.parameters["ConsumerARN"]
                == "arn:consumer/old-app")
        #expect(pruned.summary.delete == 2)
        #expect(pruned.changes.filter(\.isDestructive).count == 2)
    }

    @Test("every --prune step carries the region of the live resource it deletes, consumers included")
    func pruneStepsCarryLiveRegions() throws {
        let live = LiveState(
            streams: ["s": Self.live("s", consumers: [LiveConsumer(name: "old-app", arn: "arn:consumer/old-app")])],
            undeclaredStreams: [Self.live("gone")])
        let pruned = try Self.plan(DesiredState(streams: [StreamSpec(name: "s")]), live: live, prune: true)
        #expect(pruned.steps.count == 2)
        #expect(pruned.steps.map(\.region) == [Self.region, Self.region])
    }

    @Test("destroy deletes consumers before their stream and leaves Retain streams")
    func destroy() throws {
        let desired = DesiredState(
            streams: [StreamSpec(name: "s"), StreamSpec(name: "kept", deletionPolicy: .retain)],
            consumers: [ConsumerSpec(name: "app", stream: "s")])
        let live = LiveState(streams: [
            "s": Self.live("s", consumers: [LiveConsumer(name: "app", arn: "arn:c/app")]), "kept": Self.live("kept")
        ])
        let plan = try Self.plan(desired, live: live, mode: .destroy)
        #expect(Self.operations(plan) == ["kinesis:DeregisterStreamConsumer", "kinesis:DeleteStream"])
        #expect(plan.steps[1].dependsOn == [0])
        #expect(plan.retained.map(\.address.description) == ["Stream/kept"])
        #expect(plan.mode == .destroy)
        #expect(plan.summary == PlanSummary(delete: 2, capacity: plan.summary.capacity))
    }

    @Test("destroy refuses streams this project does not own")
    func destroyRefusesForeign() {
        #expect(throws: PlanError.self) {
            try Self.plan(
                DesiredState(streams: [StreamSpec(name: "s")]),
                live: LiveState(streams: ["s": Self.live("s", owner: "other")]), mode: .destroy)
        }
    }

    @Test("dependsOn orders steps: a stream waits for the stream it depends on")
    func dependsOnOrdersSteps() throws {
        let desired = DesiredState(streams: [
            StreamSpec(name: "a-second", dependsOn: [.stream("b-first")]), StreamSpec(name: "b-first")
        ])
        let plan = try Self.plan(desired)
        let firstCreate = try #require(plan.steps.firstIndex { $0.address == .stream("b-first") })
        let secondCreate = try #require(plan.steps.first { $0.address == .stream("a-second") })
        #expect(plan.steps[firstCreate].index < secondCreate.index)
        #expect(secondCreate.dependsOn == [plan.steps.last { $0.address == .stream("b-first") }?.index ?? -1])
    }

    @Test("10,000 streams plan with dependsOn indices that always point backwards")
    func largePlansStayValid() throws {
        let streams = (0..<10_000).map {
            StreamSpec(
                name: String(format: "s%05d", $0),
                dependsOn: $0 > 0 && $0 % 100 == 0 ? [.stream(String(format: "s%05d", $0 - 1))] : [])
        }
        let plan = try Self.plan(DesiredState(streams: streams))
        #expect(plan.summary.create == 10_000)
        #expect(plan.steps.allSatisfy { step in step.dependsOn.allSatisfy { $0 < step.index } })
    }
}
