import AWSClient
import Testing

@testable import ReconcileKit

/// Big plans in a pull-request comment: every address first (destroys and replaces always), the
/// details while room remains, what was cut counted and named, and the body within the limit.
@Suite("Markdown plan within a comment's size")
struct PlanMarkdownBudgetTests {
    static let marker = "<!-- reconcile-plan -->\n"
    static let detailsURL = "https://github.example/acme/infra/actions/runs/42"

    /// `creates` new direct streams, `deletes` undeclared project streams (with --prune) and
    /// `replaces` stacks left in ROLLBACK_COMPLETE, each holding one stream.
    static func plan(creates: Int, deletes: Int, replaces: Int) throws -> Plan {
        let created = (0..<creates).map {
            StreamSpec(
                name: "stream-with-a-long-name-\($0)", shardCount: 4, retentionPeriodHours: 168,
                tags: ["team": "data", "env": "prod"])
        }
        let stacks = (0..<replaces).map { StackSpec(name: "failed-stack-\($0)", description: "streams") }
        let members = stacks.map { StreamSpec(name: "member-of-\($0.name)", stack: $0.name) }
        let failed = Dictionary(
            uniqueKeysWithValues: stacks.map {
                (
                    $0.name,
                    LiveStack(
                        name: $0.name, region: PlannerStackTests.region, stackId: "arn:stack/\($0.name)",
                        status: "ROLLBACK_COMPLETE", tags: [OwnershipTag.key: "default"])
                )
            })
        let undeclared = (0..<deletes).map { PlannerStreamTests.live("old-stream-\($0)", shards: 2) }
        return try PlannerStackTests.plan(
            DesiredState(stacks: stacks, streams: created + members),
            live: LiveState(stacks: failed, undeclaredStreams: undeclared), prune: true)
    }

    /// The comment the pipeline posts: its marker, then the plan rendered with room for the marker.
    static func commentBody(_ plan: Plan) -> String {
        let room = PlanMarkdownRenderer.characterLimit - marker.utf16.count
        return marker + PlanMarkdownRenderer.render(plan, maxCharacters: room, detailsURL: detailsURL)
    }

    @Test(
        "1,000 and 10,000 changes: every destroy and replace is listed and the comment stays within 65,536",
        arguments: [
            (creates: 1_000, deletes: 30, replaces: 10), (creates: 10_000, deletes: 200, replaces: 100)
        ])
    func bigPlans(size: (creates: Int, deletes: Int, replaces: Int)) throws {
        let plan = try Self.plan(creates: size.creates, deletes: size.deletes, replaces: size.replaces)
        #expect(plan.summary.delete == size.deletes && plan.summary.replace == size.replaces)
        let body = Self.commentBody(plan)
        #expect(body.utf16.count <= PlanMarkdownRenderer.characterLimit)
        #expect(body.unicodeScalars.count <= PlanMarkdownRenderer.characterLimit)
        let destructive = plan.changes.filter { $0.action == .delete || $0.action == .replace }
        let missing = destructive.filter { !body.contains("` \($0.address) ⚠️") }
        #expect(missing.isEmpty, "not listed: \(missing.prefix(3).map(\.address))")
        #expect(body.contains("_Some detail was left out to fit the size limit:"))
        #expect(body.contains("The full plan: \(Self.detailsURL)"))
        let changed = plan.changes.filter { $0.action != .noop }.count
        #expect(body.contains(" of \(changed) changed resources"))
        // The price note is said once for the plan, not on every stream's capacity line.
        #expect(body.components(separatedBy: "no price table").count == 2)
    }

    @Test("when nothing must be cut the plan has every section and no notice")
    func smallPlanIsWhole() throws {
        let plan = try Self.plan(creates: 3, deletes: 1, replaces: 1)
        let markdown = PlanMarkdownRenderer.render(plan, detailsURL: Self.detailsURL)
        #expect(!markdown.contains("left out"))
        #expect(markdown.contains("AWS write calls, in order"))
        #expect(markdown.contains("<b>Managed directly with the Kinesis API</b>: details"))
        #expect(markdown.contains("⚠️ **2 destructive changes**"))
        #expect(!markdown.contains(Self.detailsURL))
    }

    @Test("a caller's reservation is kept: the result never exceeds --max-chars")
    func reservationIsKept() throws {
        let plan = try Self.plan(creates: 300, deletes: 5, replaces: 0)
        for limit in [PlanMarkdownRenderer.minimumCharacters, 10_000, 30_000] {
            let markdown = PlanMarkdownRenderer.render(plan, maxCharacters: limit)
            #expect(markdown.utf16.count <= limit)
            #expect(markdown.contains("Run `reconcile plan` on this commit for all of it."))
            for index in 0..<5 { #expect(markdown.contains("Stream/old-stream-\(index)")) }
        }
    }

    @Test("an address line that cannot be listed is counted in its group")
    func cutAddressesAreCounted() throws {
        let plan = try Self.plan(creates: 2_000, deletes: 0, replaces: 0)
        let markdown = PlanMarkdownRenderer.render(plan, maxCharacters: 20_000)
        let listed = markdown.components(separatedBy: "\n").filter { $0.hasPrefix("- `+` Stream/") }.count
        #expect(listed > 0 && listed < 2_000)
        #expect(markdown.contains("- _… and \(2_000 - listed) to create, not listed_"))
        #expect(markdown.contains("\(2_000 - listed) address lines"))
    }
}
