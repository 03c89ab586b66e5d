import AWSClient
import Formats
import Foundation
import Testing

@testable import ReconcileKit

/// Capacity and cost deltas of stream changes, against hand-computed figures
/// (730 hours a month; us-east-1: $0.015 per shard-hour, $0.020 per extended-retention
/// shard-hour, $0.040 per on-demand stream-hour).
@Suite("Capacity and cost delta in plans")
struct CapacityTests {
    static func plan(
        _ streams: [StreamSpec], live: [LiveStream] = [], region: String = "us-east-1", mode: PlanMode = .apply
    ) throws -> Plan {
        let desired = DesiredState(streams: streams)
        let regions = Dictionary(uniqueKeysWithValues: desired.addresses.map { ($0, region) })
        var state = LiveState()
        for stream in live { state.streams[stream.name] = stream }
        return try Planner.plan(
            desired: desired, regions: regions, live: state, options: PlanOptions(project: "default", mode: mode))
    }

    static func live(
        _ name: String, shards: Int = 1, retention: Int = 24, mode: StreamMode = .provisioned,
        region: String = "us-east-1"
    ) -> LiveStream {
        LiveStream(
            name: name, region: region, arn: "arn:aws:kinesis:\(region):123456789012:stream/\(name)", mode: mode,
            openShardCount: shards, retentionPeriodHours: retention, tags: [OwnershipTag.key: "default"])
    }

    @Test("create: 2 shards at 48 h retention is 1460 shard-hours plus 1460 extended-retention shard-hours")
    func create() throws {
        let plan = try Self.plan([StreamSpec(name: "s", shardCount: 2, retentionPeriodHours: 48)])
        let capacity = try #require(plan.changes.first?.capacity)
        #expect(capacity.shardHours == 1460)
        #expect(capacity.extendedRetentionShardHours == 1460)
        #expect(capacity.streamHours == 0)
        // 1460 × 0.015 + 1460 × 0.020 = 21.90 + 29.20
        #expect(capacity.estimatedMonthlyCostUSD == 51.10)
        #expect(plan.summary.capacity?.estimatedMonthlyCostUSD == 51.10)
    }

    @Test("resize 2 → 4 shards adds 1460 shard-hours ($21.90)")
    func resize() throws {
        let plan = try Self.plan([StreamSpec(name: "s", shardCount: 4)], live: [Self.live("s", shards: 2)])
        let capacity = try #require(plan.changes.first?.capacity)
        #expect(capacity == CapacityDelta(shardHours: 1460, estimatedMonthlyCostUSD: 21.90))
    }

    @Test("mode switch: 3 provisioned shards → on-demand is -2190 shard-hours, +730 stream-hours (-$3.65)")
    func modeSwitch() throws {
        let plan = try Self.plan([StreamSpec(name: "s", mode: .onDemand)], live: [Self.live("s", shards: 3)])
        let capacity = try #require(plan.changes.first?.capacity)
        #expect(capacity.shardHours == -2190)
        #expect(capacity.streamHours == 730)
        #expect(capacity.extendedRetentionShardHours == 0)
        // -2190 × 0.015 + 730 × 0.040 = -32.85 + 29.20
        #expect(capacity.estimatedMonthlyCostUSD == -3.65)
    }

    @Test("retention 24 → 48 h on 2 shards adds 1460 extended-retention shard-hours ($29.20); back down removes them")
    func retention() throws {
        let up = try Self.plan(
            [StreamSpec(name: "s", shardCount: 2, retentionPeriodHours: 48)], live: [Self.live("s", shards: 2)])
        #expect(
            up.changes.first?.capacity
                == CapacityDelta(extendedRetentionShardHours: 1460, estimatedMonthlyCostUSD: 29.20))
        let down = try Self.plan(
            [StreamSpec(name: "s", shardCount: 2)], live: [Self.live("s", shards: 2, retention: 168)])
        #expect(
            down.changes.first?.capacity
                == CapacityDelta(extendedRetentionShardHours: -1460, estimatedMonthlyCostUSD: -29.20))
    }

    @Test("delete (destroy) of a 1-shard stream at 72 h removes 730 + 730 shard-hours (-$25.55)")
    func delete() throws {
        let plan = try Self.plan(
            [StreamSpec(name: "s", shardCount: 1, retentionPeriodHours: 72)], live: [Self.live("s", retention: 72)],
            mode: .destroy)
        let capacity = try #require(plan.changes.first?.capacity)
        #expect(
            capacity
                == CapacityDelta(shardHours: -730, extendedRetentionShardHours: -730, estimatedMonthlyCostUSD: -25.55))
    }

    @Test("a region without a price gets capacity only, never a guessed price")
    func unpricedRegion() throws {
        let plan = try Self.plan([StreamSpec(name: "s", shardCount: 1)], region: "eu-central-1")
        let capacity = try #require(plan.changes.first?.capacity)
        #expect(capacity.shardHours == 730)
        #expect(capacity.estimatedMonthlyCostUSD == nil)
        #expect(capacity.unpricedRegions == ["eu-central-1"])
        #expect(plan.summary.capacity?.estimatedMonthlyCostUSD == nil)
        let text = PlanTextRenderer.render(plan, style: TextStyle(colored: false))
        #expect(text.contains("+730 shard-hours per month (no price table for eu-central-1: capacity only)"))
        #expect(text.hasSuffix("Plan: 1 to create, 0 to update, 0 to replace, 0 to delete."))
    }

    @Test("text, Markdown and JSON carry the figures; --no-cost removes them and keeps the last line")
    func renderers() throws {
        let plan = try Self.plan([StreamSpec(name: "s", shardCount: 2), StreamSpec(name: "t", mode: .onDemand)])
        #expect(
            plan.summary.capacity == CapacityDelta(shardHours: 1460, streamHours: 730, estimatedMonthlyCostUSD: 51.10))
        let text = PlanTextRenderer.render(plan, style: TextStyle(colored: false))
        #expect(
            text.contains(
                "Capacity: +1460 shard-hours, +730 on-demand stream-hours per month (≈ +$51.10/month at list prices)"))
        #expect(text.hasSuffix("Plan: 2 to create, 0 to update, 0 to replace, 0 to delete."))
        let hidden = PlanTextRenderer.render(plan, style: TextStyle(colored: false), showCapacity: false)
        #expect(!hidden.contains("capacity") && !hidden.contains("Capacity"))
        #expect(PlanMarkdownRenderer.render(plan).contains("**Capacity:**"))
        #expect(!PlanMarkdownRenderer.render(plan, showCapacity: false).contains("Capacity"))
        let json = try JSONValue.parse(Data(PlanJSONRenderer.render(plan).utf8))
        #expect(json["summary"]?["capacity"]?["shardHours"]?.intValue == 1460)
        #expect(json["summary"]?["create"]?.intValue == 2)
        #expect(json["changes"]?.arrayValue?.first?["capacity"]?["streamHours"] != nil)
        let stripped = try JSONValue.parse(Data(PlanJSONRenderer.render(plan.withoutCapacity()).utf8))
        #expect(stripped["summary"]?["capacity"] == nil)
    }
}
