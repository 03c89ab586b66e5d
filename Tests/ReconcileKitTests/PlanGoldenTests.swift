import AWSClient
import Foundation
import TestSupport
import Testing

@testable import ReconcileKit

/// The text and Markdown plans a reviewer reads, compared with checked-in golden files.
/// Set RECONCILE_UPDATE_GOLDEN=1 to rewrite them after an intended change, then review the diff.
@Suite("Plan rendering golden files")
struct PlanGoldenTests {
    static let folder = PackagePaths.root.appendingPathComponent("Tests/Fixtures/golden")

    /// A plan with every kind of change: create, update with drift, destructive update,
    /// replacement of a failed stack, prune deletion, and something left undeclared.
    static func mixedPlan() throws -> Plan {
        let region = "eu-central-1"
        let stack = StackSpec(name: "ingest", description: "Ingest streams", tags: ["team": "data"])
        let desired = DesiredState(
            stacks: [stack, StackSpec(name: "broken")],
            streams: [
                StreamSpec(name: "clicks", shardCount: 8, retentionPeriodHours: 24, tags: ["env": "prod"]),
                StreamSpec(name: "orders", stack: "ingest", shardCount: 2),
                StreamSpec(name: "payments", encryption: .kms(keyId: "alias/aws/kinesis"))
            ],
            consumers: [ConsumerSpec(name: "analytics", stream: "clicks")])
        let deployedIngest = TemplateSynthesizer.template(
            for: stack,
            in: DesiredState(stacks: [stack], streams: [StreamSpec(name: "orders", stack: "ingest", shardCount: 2)]))
        func stream(_ name: String, shards: Int = 1, retention: Int = 24, tags: [String: String] = [:]) -> LiveStream {
            LiveStream(
                name: name, region: region, arn: "arn:aws:kinesis:\(region):123456789012:stream/\(name)",
                openShardCount: shards, retentionPeriodHours: retention,
                tags: tags.merging([OwnershipTag.key: "default"]) { a, _ in a }, consumers: [])
        }
        let live = LiveState(
            stacks: [
                "ingest": LiveStack(
                    name: "ingest", region: region, stackId: "arn:stack/ingest",
                    tags: ["team": "data", OwnershipTag.key: "default"],
                    template: deployedIngest),
                "broken": LiveStack(
                    name: "broken", region: region, stackId: "arn:stack/broken", status: "ROLLBACK_COMPLETE",
                    tags: [OwnershipTag.key: "default"])
            ],
            streams: [
                "clicks": stream("clicks", shards: 1, retention: 48, tags: ["env": "dev"]),
                "orders": stream("orders", shards: 2, retention: 72)
            ],
            undeclaredStreams: [stream("old-events")])
        let regions = Dictionary(uniqueKeysWithValues: desired.addresses.map { ($0, region) })
        return try Planner.plan(
            desired: desired, regions: regions, live: live, options: PlanOptions(project: "default", prune: true))
    }

    static func compare(_ rendered: String, golden name: String) throws {
        let url = folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RECONCILE_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try rendered.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(rendered == expected, "differs from \(name); if intended, regenerate with RECONCILE_UPDATE_GOLDEN=1")
    }

    @Test("the text plan reads as the golden file")
    func text() throws {
        try Self.compare(
            PlanTextRenderer.render(try Self.mixedPlan(), style: TextStyle(colored: false)) + "\n",
            golden: "mixed-plan.txt")
    }

    @Test("the Markdown plan reads as the golden file")
    func markdown() throws {
        try Self.compare(PlanMarkdownRenderer.render(try Self.mixedPlan()) + "\n", golden: "mixed-plan.md")
    }
}
