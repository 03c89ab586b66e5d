import Foundation
import TestSupport
import Testing

/// The plan reads the account's Kinesis quotas (DescribeLimits, set low through the proxy) and
/// refuses what would go over them before anything is written.
@Suite("Account quotas checked at plan time", .serialized)
struct AccountQuotaEndToEndTests {
    static func stream(_ name: String, shards: Int? = nil, onDemand: Bool = false) -> String {
        let spec = onDemand ? "streamMode: ON_DEMAND" : "shardCount: \(shards ?? 1)"
        return "apiVersion: reconcile/v1\nkind: Stream\nmetadata:\n  name: \(name)\nspec:\n  \(spec)\n"
    }

    static func limits(shards: Int? = nil, onDemand: Int? = nil) -> String {
        var limits: [String] = []
        if let shards { limits.append("\"shard_limit\": \(shards)") }
        if let onDemand { limits.append("\"on_demand_stream_limit\": \(onDemand)") }
        return "{\"rules\": {\"account_limits\": {\(limits.joined(separator: ", "))}}}"
    }

    static func describeLimitsCalls(_ workspace: Workspace) throws -> Int {
        try #require(workspace.proxy).requests().filter { $0.operation == "DescribeLimits" }.count
    }

    @Test(
        "a new stream over the shard limit: plan and apply exit 1 with the figures, one DescribeLimits, nothing created"
    )
    func newStreamOverShardLimit() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        _ = try workspace.boto3("kinesis.create_stream(StreamName='someone-else', ShardCount=4)")
        try #require(workspace.proxy).configure(Self.limits(shards: 6))
        try workspace.write("big.yaml", Self.stream("big", shards: 3))

        let plan = try workspace.reconcile("plan", ".")
        #expect(plan.exitCode == 1, "\(plan.output)")
        #expect(plan.stderr.contains("The plan needs up to 3 more Kinesis shards in eu-central-1"), "\(plan.output)")
        #expect(plan.stderr.contains("4 of its 6 open") && plan.stderr.contains("Stream/big: creates 3 shards"))
        #expect(try Self.describeLimitsCalls(workspace) == 1)

        let apply = try workspace.reconcile("apply", "--auto-approve", ".")
        #expect(apply.exitCode == 1, "\(apply.output)")
        let writes = try #require(workspace.proxy).requests().filter { !$0.isRead && $0.operation != nil }
        #expect(writes.isEmpty, "\(writes)")
        #expect(try workspace.streamNames() == ["someone-else"])
    }

    @Test("a resize whose final count fits but whose resharding peak does not: refused, shard count unchanged")
    func resizePeakOverShardLimit() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        try workspace.write("grow.yaml", Self.stream("grow", shards: 2))
        let create = try workspace.reconcile("apply", "--auto-approve", ".")
        try #require(create.exitCode == 0, "\(create.output)")
        // 2 open of 5: 4 shards would fit, but 2 → 4 holds 2 parents and 4 children at once.
        try #require(workspace.proxy).configure(Self.limits(shards: 5))
        try workspace.write("grow.yaml", Self.stream("grow", shards: 4))

        let apply = try workspace.reconcile("apply", "--auto-approve", ".")
        #expect(apply.exitCode == 1, "\(apply.output)")
        #expect(apply.stderr.contains("Stream/grow: 2 → 4 shards holds up to 6 while resharding"), "\(apply.output)")
        let open = try workspace.boto3(
            "print(kinesis.describe_stream_summary(StreamName='grow')['StreamDescriptionSummary']['OpenShardCount'])")
        #expect(open == "2")
    }

    @Test("an on-demand stream over the on-demand stream limit: plan exits 1 naming it; nothing created")
    func onDemandOverLimit() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        _ = try workspace.boto3(
            "kinesis.create_stream(StreamName='existing-od', StreamModeDetails={'StreamMode': 'ON_DEMAND'})")
        try #require(workspace.proxy).configure(Self.limits(onDemand: 1))
        try workspace.write("od.yaml", Self.stream("clicks", onDemand: true))

        let plan = try workspace.reconcile("plan", ".")
        #expect(plan.exitCode == 1, "\(plan.output)")
        #expect(
            plan.stderr.contains("1 more stream in on-demand mode in eu-central-1 (Stream/clicks)"), "\(plan.output)")
        #expect(plan.stderr.contains("runs 1 of its 1 on-demand streams"))
        let apply = try workspace.reconcile("apply", "--auto-approve", ".")
        #expect(apply.exitCode == 1)
        #expect(try workspace.streamNames() == ["existing-od"])
    }

    @Test("a resize needing 11 UpdateShardCount calls plans with a warning in text, JSON and Markdown")
    func warnsOverTenRounds() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        try workspace.write("wide.yaml", Self.stream("wide", shards: 1))
        let create = try workspace.reconcile("apply", "--auto-approve", ".")
        try #require(create.exitCode == 0, "\(create.output)")
        try workspace.write("wide.yaml", Self.stream("wide", shards: 2000))
        let proxy = try #require(workspace.proxy)
        try proxy.resetLog()

        let text = try workspace.reconcile("plan", ".")
        #expect(text.exitCode == 0, "\(text.output)")
        #expect(text.stdout.contains("Warnings:"), "\(text.stdout)")
        #expect(text.stdout.contains("Stream/wide needs 11 UpdateShardCount calls to reach 2000 shards"))
        #expect(text.stdout.contains("AWS allows 10 per stream in any rolling 24 hours"))
        #expect(try Self.describeLimitsCalls(workspace) == 1)

        let json = try workspace.reconcile("plan", "--output", "json", ".")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json.output)")
        let warnings = try #require(document["warnings"] as? [[String: Any]])
        #expect(warnings.count == 1)
        #expect(warnings.first?["kind"] as? String == "reshardingRoundsOverDailyLimit")
        #expect(warnings.first?["address"] as? String == "Stream/wide")

        let markdown = try workspace.reconcile("plan", "--output", "markdown", ".")
        #expect(markdown.stdout.contains("⚠️ **Warning** (eu-central-1): Stream/wide needs 11"), "\(markdown.stdout)")
        #expect(try proxy.requests().allSatisfy { $0.isRead || $0.operation == nil })
    }
}
