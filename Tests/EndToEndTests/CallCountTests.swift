import Formats
import Foundation
import TestSupport
import Testing

/// A plan makes the fewest calls that give a correct diff, counted by the fault
/// proxy (counts, never times).
@Suite("AWS calls made by a plan", .serialized)
struct CallCountTests {
    static let directCount = 4
    static let stacks = ["count-stack-a", "count-stack-b"]
    static let membersPerStack = 3
    /// Direct streams with a declared consumer (one consumer each).
    static let withConsumers = ["count-direct-0", "count-direct-1"]

    static var manifests: String {
        var documents: [String] = []
        for index in 0..<directCount {
            documents.append(
                """
                apiVersion: reconcile/v1
                kind: Stream
                metadata:
                  name: count-direct-\(index)
                spec:
                  shardCount: 1
                  tags: {team: data}

                """)
        }
        for stream in withConsumers {
            documents.append(
                """
                apiVersion: reconcile/v1
                kind: StreamConsumer
                metadata:
                  name: \(stream)-reader
                spec:
                  stream: \(stream)

                """)
        }
        for stack in stacks {
            documents.append(
                """
                apiVersion: reconcile/v1
                kind: Stack
                metadata:
                  name: \(stack)

                """)
            for member in 0..<membersPerStack {
                documents.append(
                    """
                    apiVersion: reconcile/v1
                    kind: Stream
                    metadata:
                      name: \(stack)-s\(member)
                      stack: \(stack)
                    spec:
                      shardCount: 1
                      tags: {team: data}

                    """)
            }
        }
        return documents.joined(separator: "---\n")
    }

    @Test(
        "a no-op plan: 1 Kinesis call per stream (+2 with a consumer), 2 CloudFormation calls per stack, one GetResources, one discovery pass, nothing read twice"
    )
    func noOpPlanCalls() throws {
        let workspace = try Workspace(proxied: true)
        defer { workspace.stop() }
        try workspace.write("all.yaml", Self.manifests)
        let apply = try workspace.reconcile("apply", "--auto-approve", ".")
        try #require(apply.exitCode == 0, "\(apply.output)")
        // Someone else's stream in the region, never tagged so absent from the bulk answer:
        // discovery reads its tags once, nothing more. An undeclared stream of this project: its
        // tags once (the bulk answer is confirmed), then its summary (to list it). Another
        // project's stream: the bulk answer shows whose it is, so no call at all.
        _ = try workspace.boto3(
            """
            kinesis.create_stream(StreamName='count-other', ShardCount=1)
            kinesis.add_tags_to_stream(StreamName='count-other', Tags={'reconcile:project': 'other'})
            kinesis.create_stream(StreamName='count-foreign', ShardCount=1)
            kinesis.create_stream(StreamName='count-orphan', ShardCount=1)
            kinesis.add_tags_to_stream(StreamName='count-orphan', Tags={'reconcile:project': 'default'})
            """)
        let proxy = try #require(workspace.proxy)
        try proxy.resetLog()

        let plan = try workspace.reconcile("plan", "--detailed-exitcode", ".")
        #expect(plan.exitCode == 0, "\(plan.output)")
        #expect(plan.stdout.contains("No changes."), "\(plan.stdout)")
        #expect(plan.stdout.contains("count-orphan"), "listed as not declared: \(plan.stdout)")
        #expect(!plan.stdout.contains("count-other"), "another project's: \(plan.stdout)")

        let requests = try proxy.requests().filter { $0.operation != nil && $0.service != "moto-api" }
        #expect(requests.allSatisfy { $0.isRead }, "a plan only reads: \(requests.filter { !$0.isRead })")
        // Discovery: ListStreams pages, DescribeStacks without a name, tags of undeclared streams.
        let declaredStreams = Set(
            (0..<Self.directCount).map { "count-direct-\($0)" }
                + Self.stacks.flatMap { stack in (0..<Self.membersPerStack).map { "\(stack)-s\($0)" } })
        func isDiscovery(_ request: ProxyRequest) -> Bool {
            request.operation == "ListStreams" || (request.operation == "DescribeStacks" && request.resource == nil)
                || (request.service == "kinesis" && !declaredStreams.contains(request.resource ?? ""))
        }
        let discovery = requests.filter(isDiscovery)
        let perResource = requests.filter { !isDiscovery($0) }
        func count(_ operation: String, in list: [ProxyRequest]) -> Int {
            list.filter { $0.operation == operation }.count
        }

        #expect(count("ListStreams", in: discovery) == 1)
        #expect(count("DescribeStacks", in: discovery) == 1)
        #expect(
            discovery.filter { $0.operation == "ListTagsForStream" }.compactMap(\.resource).sorted()
                == ["count-foreign", "count-orphan"])
        #expect(discovery.filter { $0.operation == "DescribeStreamSummary" }.compactMap(\.resource) == ["count-orphan"])
        #expect(discovery.count == 5, "\(discovery)")

        let members = Self.stacks.count * Self.membersPerStack
        let kinesis = perResource.filter { $0.service == "kinesis" }
        let cloudFormation = perResource.filter { $0.service == "cloudformation" }
        // Tags (ownership, declared tags, drift) of every declared stream: one bulk answer for the
        // region, which shows them as declared, so no ListTagsForStream.
        #expect(count("GetResources", in: perResource) == 1)
        #expect(perResource.filter { $0.service == "tagging" }.count == 1)
        // Direct: DescribeStreamSummary, + ListStreamConsumers and the declared consumer's
        // ListTagsForResource where consumers are declared. Stack members: DescribeStreamSummary for
        // the drift check.
        #expect(count("DescribeStreamSummary", in: kinesis) == Self.directCount + members)
        #expect(count("ListTagsForStream", in: kinesis) == 0)
        #expect(count("ListStreamConsumers", in: kinesis) == Self.withConsumers.count)
        #expect(count("ListTagsForResource", in: kinesis) == Self.withConsumers.count)
        #expect(kinesis.count == Self.directCount + 2 * Self.withConsumers.count + members, "\(kinesis)")
        #expect(count("DescribeStacks", in: cloudFormation) == Self.stacks.count)
        #expect(count("GetTemplate", in: cloudFormation) == Self.stacks.count)
        #expect(cloudFormation.count == 2 * Self.stacks.count, "\(cloudFormation)")
        #expect(requests.allSatisfy { $0.fault == nil && $0.status == 200 })

        // Nothing read twice: one (operation, resource) pair per request.
        let keys = perResource.map { "\($0.operation ?? "-") \($0.resource ?? "-")" }
        let repeated = Dictionary(grouping: keys, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(repeated.isEmpty, "read twice: \(repeated)")
    }
}
