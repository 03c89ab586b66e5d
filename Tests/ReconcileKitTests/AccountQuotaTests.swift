import AWSClient
import Testing

@testable import ReconcileKit

/// What a plan asks of the account's Kinesis quotas, and when it is too much.
@Suite("Account quotas at plan time")
struct AccountQuotaTests {
    static let region = PlannerStreamTests.region

    static func plan(_ desired: DesiredState, live: LiveState = LiveState()) throws -> Plan {
        try PlannerStreamTests.plan(desired, live: live)
    }

    static func demands(_ desired: DesiredState, live: LiveState = LiveState()) throws -> [StreamQuotaDemand] {
        let plan = try Self.plan(desired, live: live)
        return AccountQuotaCheck.demands(plan, desired: desired, live: live)[Self.region] ?? []
    }

    static func limits(shardLimit: Int = 10, open: Int = 0, onDemandLimit: Int = 2, onDemand: Int = 0)
        -> KinesisAccountLimits
    {
        KinesisAccountLimits(
            shardLimit: shardLimit, openShardCount: open, onDemandStreamCountLimit: onDemandLimit,
            onDemandStreamCount: onDemand)
    }

    @Test(
        "a resize peaks at the largest round's parents plus children",
        arguments: [
            (4, 8, 12), (4, 16, 24), (16, 4, 24), (1, 8, 12), (5, 7, 12), (3, 3, 3), (8, 3, 12), (1, 2000, 3024)
        ])
    func reshardingPeak(from: Int, to: Int, peak: Int) {
        #expect(ReshardingPeak.shards(from: from, to: to) == peak)
    }

    @Test("a new provisioned stream asks for its shards; a new on-demand stream for one on-demand stream")
    func newStreams() throws {
        let desired = DesiredState(streams: [
            StreamSpec(name: "p", shardCount: 3), StreamSpec(name: "o", mode: .onDemand, shardCount: nil)
        ])
        let demands = try Self.demands(desired).sorted { $0.address < $1.address }
        #expect(demands.map(\.extraShards) == [0, 3])
        #expect(demands.map(\.extraOnDemandStreams) == [1, 0])
    }

    @Test("scaling 4 → 16 asks for 20 more shards at its peak; scaling down 16 → 4 for 8; no change asks nothing")
    func resizes() throws {
        let live = LiveState(streams: [
            "up": PlannerStreamTests.live("up", shards: 4), "down": PlannerStreamTests.live("down", shards: 16),
            "same": PlannerStreamTests.live("same", shards: 2)
        ])
        let desired = DesiredState(streams: [
            StreamSpec(name: "up", shardCount: 16), StreamSpec(name: "down", shardCount: 4),
            StreamSpec(name: "same", shardCount: 2)
        ])
        let byName = Dictionary(
            uniqueKeysWithValues: try Self.demands(desired, live: live).map { ($0.address.name, $0) })
        #expect(byName["up"]?.extraShards == 20)
        #expect(byName["down"]?.extraShards == 8)
        #expect(byName["same"] == nil)
        #expect(byName["up"]?.explanation.contains("4 → 16 shards holds up to 24") == true)
    }

    @Test("switching to on-demand asks for an on-demand stream; switching to provisioned for the shards it then holds")
    func modeSwitches() throws {
        let live = LiveState(streams: [
            "to-od": PlannerStreamTests.live("to-od", shards: 2),
            "to-prov": PlannerStreamTests.live("to-prov", shards: 4, mode: .onDemand)
        ])
        let desired = DesiredState(streams: [
            StreamSpec(name: "to-od", mode: .onDemand, shardCount: nil), StreamSpec(name: "to-prov", shardCount: 4)
        ])
        let byName = Dictionary(
            uniqueKeysWithValues: try Self.demands(desired, live: live).map { ($0.address.name, $0) })
        #expect(byName["to-od"]?.extraOnDemandStreams == 1)
        #expect(byName["to-od"]?.extraShards == 0)
        #expect(byName["to-prov"]?.extraShards == 4)
    }

    @Test("over the shard limit is an error naming the region, the figures and each stream's share")
    func shardLimit() throws {
        let desired = DesiredState(streams: [StreamSpec(name: "a", shardCount: 4), StreamSpec(name: "b", shardCount: 3)]
        )
        let demands = try Self.demands(desired)
        #expect(AccountQuotaCheck.violations(demands, region: Self.region, limits: Self.limits(open: 3)).isEmpty)
        let errors = AccountQuotaCheck.violations(demands, region: Self.region, limits: Self.limits(open: 4))
        #expect(
            errors == [
                .shardLimitExceeded(
                    region: Self.region, limit: 10, open: 4, needed: 7,
                    streams: ["Stream/a: creates 4 shards", "Stream/b: creates 3 shards"])
            ])
        let text = errors.map(\.description).joined()
        #expect(text.contains("7 more Kinesis shards in eu-central-1") && text.contains("4 of its 10 open"))
    }

    @Test("over the on-demand stream limit is an error; at the limit is not")
    func onDemandLimit() throws {
        let desired = DesiredState(streams: [
            StreamSpec(name: "x", mode: .onDemand, shardCount: nil),
            StreamSpec(name: "y", mode: .onDemand, shardCount: nil)
        ])
        let demands = try Self.demands(desired)
        #expect(
            AccountQuotaCheck.violations(demands, region: Self.region, limits: Self.limits(onDemandLimit: 2)).isEmpty)
        let errors = AccountQuotaCheck.violations(
            demands, region: Self.region, limits: Self.limits(onDemandLimit: 2, onDemand: 1))
        #expect(
            errors == [
                .onDemandStreamLimitExceeded(
                    region: Self.region, limit: 2, current: 1, streams: ["Stream/x", "Stream/y"])
            ])
    }

    @Test("demands are grouped by region: one DescribeLimits per region that opens something")
    func demandsByRegion() throws {
        let desired = DesiredState(streams: [
            StreamSpec(name: "a", shardCount: 1), StreamSpec(name: "b", shardCount: 2),
            StreamSpec(name: "c", mode: .onDemand, shardCount: nil)
        ])
        let regions: [ResourceAddress: String] = [
            .stream("a"): "eu-central-1", .stream("b"): "us-east-1", .stream("c"): "us-east-1"
        ]
        let plan = try Planner.plan(
            desired: desired, regions: regions, live: LiveState(),
            options: PlanOptions(project: PlannerStreamTests.project, mode: .apply, prune: false, adopt: false))
        let demands = AccountQuotaCheck.demands(plan, desired: desired, live: LiveState())
        #expect(demands.keys.sorted() == ["eu-central-1", "us-east-1"])
        #expect(demands["us-east-1"]?.map(\.address.name).sorted() == ["b", "c"])
    }

    @Test("a plan that opens nothing has no demand, so no region is asked for its limits")
    func noDemandNoCall() throws {
        // A retention change and a no-op: steps to run, but no shard and no on-demand stream opened.
        let live = LiveState(streams: [
            "s": PlannerStreamTests.live("s", shards: 8), "same": PlannerStreamTests.live("same", shards: 2)
        ])
        let desired = DesiredState(streams: [
            StreamSpec(name: "s", shardCount: 8, retentionPeriodHours: 48), StreamSpec(name: "same", shardCount: 2)
        ])
        let plan = try Self.plan(desired, live: live)
        #expect(!plan.steps.isEmpty)
        #expect(AccountQuotaCheck.demands(plan, desired: desired, live: live).isEmpty)
    }

    @Test("more than 10 UpdateShardCount rounds for one stream is a warning; 10 is not")
    func reshardingRounds() throws {
        // 1 → 1024 is 10 doublings; 1 → 2000 needs an 11th call.
        let live = LiveState(streams: [
            "ten": PlannerStreamTests.live("ten", shards: 1), "eleven": PlannerStreamTests.live("eleven", shards: 1)
        ])
        let plan = try Self.plan(
            DesiredState(streams: [
                StreamSpec(name: "ten", shardCount: 1024), StreamSpec(name: "eleven", shardCount: 2000)
            ]),
            live: live)
        let warnings = try #require(plan.warnings)
        #expect(warnings.map(\.address) == [.stream("eleven")])
        #expect(warnings[0].kind == .reshardingRoundsOverDailyLimit)
        #expect(warnings[0].message.contains("11 UpdateShardCount calls to reach 2000 shards"))
        let text = PlanTextRenderer.render(plan, style: TextStyle(colored: false))
        #expect(text.contains("Warnings:\n  Stream/eleven [eu-central-1]: Stream/eleven needs 11"))
        #expect(PlanMarkdownRenderer.render(plan).contains("⚠️ **Warning** (eu-central-1): Stream/eleven needs 11"))
        #expect(PlanJSONRenderer.render(plan).contains("\"kind\" : \"reshardingRoundsOverDailyLimit\""))
    }

    @Test("Markdown lists five warnings in full and counts the rest, so the header stays within the comment")
    func markdownWarningsAreCapped() {
        let warnings = (0..<8).map {
            PlanWarning(
                kind: .reshardingRoundsOverDailyLimit, address: .stream("s\($0)"), region: Self.region,
                message: "warning \($0)")
        }
        let lines = PlanMarkdownRenderer.warningLines(warnings)
        #expect(lines.filter { $0.hasPrefix("⚠️ **Warning**") }.count == 5)
        #expect(lines.contains("⚠️ _… and 3 more warnings of the same kinds; `reconcile plan` lists all._"))
    }

    @Test("a plan without warnings has no warnings key in JSON")
    func noWarningsKey() throws {
        let plan = try Self.plan(DesiredState(streams: [StreamSpec(name: "s", shardCount: 2)]))
        #expect(plan.warnings == nil)
        #expect(!PlanJSONRenderer.render(plan).contains("warnings"))
    }
}
