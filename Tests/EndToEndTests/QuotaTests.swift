import Formats
import Foundation
import TestSupport
import Testing

/// A plan stays within AWS's per-account Kinesis quotas, enforced by the proxy.
///
/// N is 60 streams, not 1,000: at AWS's ListTagsForStream quota (5 per second) 1,000 streams
/// need 200 s of tag reads alone, plus the apply that creates them, which is too slow for CI on
/// 2 cores. 60 streams (30 direct, 30 in 3 stacks) need 60 tag reads: the burst of 5 is used up
/// 11 times over, so the pacing is exercised the same way, in about 12 s.
@Suite("AWS quotas", .serialized)
struct QuotaTests {
    static let direct = 30
    static let stacks = 3
    static let membersPerStack = 10

    /// AWS's documented Kinesis control-plane quotas per account and region.
    static let awsQuotas = """
        {"rate_limits": [
          {"operations": ["DescribeStreamSummary"], "per_second": 20, "burst": 20},
          {"operations": ["ListTagsForStream", "AddTagsToStream", "RemoveTagsFromStream"], "per_second": 5, "burst": 5},
          {"operations": ["ListStreams"], "per_second": 5, "burst": 5}
        ]}
        """

    static var manifests: String {
        var documents = (0..<direct).map { index in
            """
            apiVersion: reconcile/v1
            kind: Stream
            metadata:
              name: quota-d-\(index)
            spec:
              shardCount: 1

            """
        }
        for stack in 0..<stacks {
            documents.append("apiVersion: reconcile/v1\nkind: Stack\nmetadata:\n  name: quota-stack-\(stack)\n")
            for member in 0..<membersPerStack {
                documents.append(
                    """
                    apiVersion: reconcile/v1
                    kind: Stream
                    metadata:
                      name: quota-s-\(stack)-\(member)
                      stack: quota-stack-\(stack)
                    spec:
                      shardCount: 1

                    """)
            }
        }
        return documents.joined(separator: "---\n")
    }

    @Test(
        "a 60-stream plan paced to AWS's quotas: exit 0, No changes, at most 3 throttled answers; unpaced, it is throttled"
    )
    func planWithinQuotas() throws {
        let workspace = try Workspace(proxied: true)
        defer { workspace.stop() }
        try workspace.write("all.yaml", Self.manifests)
        // The setup runs unthrottled (loopback endpoint: no client-side limits by default).
        let apply = try workspace.reconcile("apply", "--auto-approve", ".")
        try #require(apply.exitCode == 0, "\(apply.output)")
        let proxy = try #require(workspace.proxy)
        try proxy.configure(Self.awsQuotas)
        try proxy.resetLog()

        let plan = try workspace.reconcile("plan", "--rate-limits", "aws", ".")
        #expect(plan.exitCode == 0, "\(plan.output)")
        #expect(plan.stdout.contains("No changes."), "\(plan.stdout)")
        let requests = try proxy.requests()
        let throttled = requests.filter { $0.rule == "rate_limit" }
        #expect(throttled.count <= 3, "throttled: \(throttled)")
        // Tags come from one bulk answer; only streams it lacks (never tagged) are read one by one.
        let untagged = try workspace.boto3(
            """
            names = kinesis.list_streams(Limit=100)['StreamNames']
            print(sum(1 for name in names if not kinesis.list_tags_for_stream(StreamName=name)['Tags']))
            """)
        #expect(requests.filter { $0.operation == "GetResources" && $0.rule == "tagging_streams" }.count == 1)
        #expect(
            "\(requests.filter { $0.operation == "ListTagsForStream" && $0.rule == nil }.count)" == untagged,
            "\(requests)")

        // The same plan without client-side limits is throttled by the same proxy: the check
        // above is not vacuous. Retries may or may not get through; only the answers count.
        try proxy.configure(Self.awsQuotas)  // fresh buckets
        try proxy.resetLog()
        _ = try workspace.reconcile("plan", "--rate-limits", "off", ".")
        #expect(try proxy.requests().contains { $0.rule == "rate_limit" })
    }
}
