import Foundation
import TestSupport
import Testing

/// Tags are read in bulk (Resource Groups Tagging API), one paged GetResources per region, and
/// confirmed per stream only where that eventually consistent answer is not what the manifest
/// says. Counted by the fault proxy, which answers GetResources from moto's tags and can serve
/// them late (`tagging_lag_seconds`).
@Suite("Tags read in bulk, confirmed per stream only where needed", .serialized)
struct BulkTagCallCountTests {
    static let streamCount = 20

    static func name(_ index: Int) -> String { "bulk-\(String(format: "%02d", index))" }

    static func manifest(_ name: String, team: String) -> String {
        """
        apiVersion: reconcile/v1
        kind: Stream
        metadata:
          name: \(name)
        spec:
          shardCount: 1
          tags: {team: \(team)}

        """
    }

    static func manifests(teams: [String: String] = [:], extra: [String] = []) -> String {
        let names = (0..<streamCount).map(name) + extra
        return names.map { manifest($0, team: teams[$0] ?? "data") }.joined(separator: "---\n")
    }

    static func count(_ operation: String, _ requests: [ProxyRequest]) -> Int {
        requests.filter { $0.operation == operation }.count
    }

    /// A workspace behind the proxy in which the 20 streams of `manifests()` were applied.
    static func appliedStreams() throws -> (Workspace, FaultProxy) {
        let workspace = try Workspace()
        do {
            let proxy = try #require(workspace.proxy)
            try workspace.write("streams.yaml", manifests())
            let apply = try workspace.reconcile("apply", "--auto-approve", ".")
            try #require(apply.exitCode == 0, "\(apply.output)")
            return (workspace, proxy)
        } catch {
            workspace.stop()
            throw error
        }
    }

    /// The requests of one `plan` run, from an empty log.
    static func planRequests(_ workspace: Workspace, _ proxy: FaultProxy) throws -> (ProcessResult, [ProxyRequest]) {
        try proxy.resetLog()
        let plan = try workspace.reconcile("plan", "--detailed-exitcode", "--output", "json", ".")
        let requests = try proxy.requests().filter { $0.operation != nil && $0.service != "moto-api" }
        return (plan, requests)
    }

    @Test("a no-op plan of 20 direct streams makes one GetResources and no ListTagsForStream")
    func currentBulkAnswer() throws {
        let (workspace, proxy) = try Self.appliedStreams()
        defer { workspace.stop() }

        let (plan, requests) = try Self.planRequests(workspace, proxy)
        #expect(plan.exitCode == 0, "no changes: \(plan.output)")
        #expect(Self.count("ListTagsForStream", requests) == 0, "\(requests)")
        let bulk = requests.filter { $0.operation == "GetResources" }
        #expect(bulk.count == 1 && bulk.allSatisfy { $0.service == "tagging" && $0.rule == "tagging_streams" })
        #expect(Self.count("DescribeStreamSummary", requests) == Self.streamCount)
        // The rest is discovery: one ListStreams and one DescribeStacks page.
        #expect(requests.count == Self.streamCount + 3, "\(requests)")
        #expect(requests.allSatisfy { $0.isRead && $0.status == 200 })
    }

    @Test("streams in two regions: one GetResources per region, shared by its streams")
    func regions() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        let proxy = try #require(workspace.proxy)
        let documents = ["eu-central-1", "eu-west-1"].flatMap { region in
            (0..<3).map { index in
                Self.manifest("\(region)-\(index)", team: "data")
                    .replacingOccurrences(of: "metadata:\n", with: "metadata:\n  region: \(region)\n")
            }
        }
        try workspace.write("streams.yaml", documents.joined(separator: "---\n"))
        let apply = try workspace.reconcile("apply", "--auto-approve", ".")
        try #require(apply.exitCode == 0, "\(apply.output)")
        try proxy.resetLog()

        let plan = try workspace.reconcile("plan", "--detailed-exitcode", "--verbose", ".")
        #expect(plan.exitCode == 0, "no changes: \(plan.output)")
        let bulkLines = plan.stderr.split(separator: "\n").filter { $0.contains("tagging:GetResources") }
        #expect(bulkLines.count == 2, "\(bulkLines)")
        #expect(
            bulkLines.contains { $0.contains("[eu-central-1]") } && bulkLines.contains { $0.contains("[eu-west-1]") })
        #expect(Self.count("ListTagsForStream", try proxy.requests()) == 0)
    }

    @Test("without tag:GetResources the plan reads every stream's tags on its own, and --verbose says so")
    func accessDeniedFallsBack() throws {
        let (workspace, proxy) = try Self.appliedStreams()
        defer { workspace.stop() }
        try proxy.configure(#"{"script": [{"operation": "GetResources", "fault": "access_denied"}]}"#)
        try proxy.resetLog()

        let plan = try workspace.reconcile("plan", "--detailed-exitcode", "--verbose", ".")
        #expect(plan.exitCode == 0, "no changes: \(plan.output)")
        #expect(plan.stderr.contains("note: tag:GetResources is not allowed in eu-central-1"), "\(plan.stderr)")
        let requests = try proxy.requests()
        #expect(Self.count("GetResources", requests) == 1, "denied once, not retried")
        #expect(Self.count("ListTagsForStream", requests) == Self.streamCount)
        // Without --verbose, nothing is said.
        let quiet = try workspace.reconcile("plan", ".")
        #expect(quiet.exitCode == 0 && !quiet.stderr.contains("GetResources"), "\(quiet.stderr)")
    }

    @Test(
        "with a stale bulk answer, the streams it shows unlike the manifest or lacks are confirmed, and only those"
    )
    func staleBulkAnswer() throws {
        let (workspace, proxy) = try Self.appliedStreams()
        defer { workspace.stop() }
        // The proxy keeps answering from the tags the next plan reads, as a lagging index would (it
        // forgets the one read by the apply, before the streams existed).
        try proxy.resetState()
        try proxy.configure(#"{"rules": {"tagging_lag_seconds": 600}}"#)
        let (seeded, seedRequests) = try Self.planRequests(workspace, proxy)
        try #require(seeded.exitCode == 0, "\(seeded.output)")
        #expect(Self.count("ListTagsForStream", seedRequests) == 0)

        // Outside reconcile: bulk-03 already gets the team the manifest will ask for, and a stream
        // the manifest will declare is created, tagged as the project's; the stale answer shows neither.
        let (changed, unchanged, created) = (Self.name(3), Self.name(7), "bulk-new")
        _ = try workspace.boto3(
            """
            kinesis.add_tags_to_stream(StreamName='\(changed)', Tags={'team': 'ops'})
            kinesis.create_stream(StreamName='\(created)', ShardCount=1)
            kinesis.add_tags_to_stream(StreamName='\(created)', Tags={'team': 'data', 'reconcile:project': 'default'})
            """)
        try workspace.write(
            "streams.yaml", Self.manifests(teams: [changed: "ops", unchanged: "ops"], extra: [created]))

        let (plan, requests) = try Self.planRequests(workspace, proxy)
        #expect(plan.exitCode == 2, "changes: \(plan.output)")
        // Only bulk-07 really differs: bulk-03 and bulk-new read right once confirmed.
        #expect(try ExportTests.changedProperties(plan.stdout) == ["Stream/\(unchanged)": ["tags.team"]])
        let confirmed = requests.filter { $0.operation == "ListTagsForStream" }.compactMap(\.resource).sorted()
        #expect(confirmed == [changed, unchanged, created].sorted(), "\(requests)")
        #expect(Self.count("GetResources", requests) == 1)
    }
    static func consumers(team: String) -> String {
        ["reader-a", "reader-b"].map { name in
            """
            ---
            apiVersion: reconcile/v1
            kind: StreamConsumer
            metadata:
              name: \(name)
            spec:
              stream: \(Self.name(0))
              tags: {team: \(team)}

            """
        }.joined()
    }

    @Test(
        "declared consumers' tags come from the bulk answer when it lists them as declared, else one ListTagsForResource each"
    )
    func consumerTags() throws {
        let (workspace, proxy) = try Self.appliedStreams()
        defer { workspace.stop() }
        try workspace.write("streams.yaml", Self.manifests() + Self.consumers(team: "readers"))
        let apply = try workspace.reconcile("apply", "--auto-approve", ".")
        try #require(apply.exitCode == 0, "\(apply.output)")

        // AWS does not document whether the Tagging API lists consumers: by default the proxy's does not.
        var (plan, requests) = try Self.planRequests(workspace, proxy)
        #expect(plan.exitCode == 0, "no changes: \(plan.output)")
        #expect(Self.count("ListTagsForResource", requests) == 2, "\(requests)")

        try proxy.configure(#"{"rules": {"tagging_lists_consumers": true}}"#)
        (plan, requests) = try Self.planRequests(workspace, proxy)
        #expect(plan.exitCode == 0, "no changes: \(plan.output)")
        #expect(Self.count("ListTagsForResource", requests) == 0, "listed as declared: \(requests)")

        // Declared otherwise: the bulk answer differs, so each consumer is confirmed before the plan shows it.
        try workspace.write("streams.yaml", Self.manifests() + Self.consumers(team: "writers"))
        (plan, requests) = try Self.planRequests(workspace, proxy)
        #expect(plan.exitCode == 2, "changes: \(plan.output)")
        #expect(Self.count("ListTagsForResource", requests) == 2, "\(requests)")
        #expect(plan.stdout.contains("writers"), "\(plan.stdout)")
    }
}
