import AWSClient
import Foundation
import TestSupport
import Testing

@Suite("Resource Groups Tagging API client")
struct TaggingClientTests {
    @Test("its endpoint comes from AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API, else tagging.REGION")
    func endpoints() throws {
        let variable = AWSEnvironment([
            "AWS_ENDPOINT_URL_RESOURCE_GROUPS_TAGGING_API": "http://tagging.local:5", "AWS_ENDPOINT_URL": "http://all:4"
        ])
        #expect(
            try EndpointResolver.endpoint(for: .tagging, region: "x", cliEndpoint: nil, environment: variable)
                .absoluteString == "http://tagging.local:5")
        #expect(
            try EndpointResolver.endpoint(
                for: .tagging, region: "eu-central-1", cliEndpoint: nil, environment: AWSEnvironment([:])
            ).absoluteString == "https://tagging.eu-central-1.amazonaws.com")
        // Left on AWS's endpoint, the Tagging API keeps the quotas on even when Kinesis is local.
        let partial = AWSEnvironment([
            "AWS_ENDPOINT_URL_KINESIS": "http://127.0.0.1:1", "AWS_ENDPOINT_URL_CLOUDFORMATION": "http://127.0.0.1:2"
        ])
        #expect(!RateLimits.endpointsAreLoopback(cliEndpoint: nil, environment: partial))
    }

    @Test("GetResources is a read granted as tag:GetResources, paced in a family of its own")
    func operation() {
        #expect(AWSOperation.getResources.iamActions == ["tag:GetResources"])
        #expect(AWSOperation.getResources.access == .read)
        #expect(AWSOperation.named("tagging:GetResources") == .getResources)
        #expect(RateLimits.family(service: .tagging, operation: "GetResources") == "tagging:GetResources")
        #expect(RateLimits.awsDefaults.rates["tagging:GetResources"] != nil)
    }

    @Test("getResources follows every page and returns each stream's ARN and tags, filtered by TagFilters")
    func pagesThroughTheProxy() async throws {
        let moto = try await startMoto()
        defer { moto.stop() }
        let proxy = try await offPool { try FaultProxy(in: moto) }
        defer { proxy.stop() }
        _ = try await offPool {
            try Subprocess.python(
                """
                import boto3
                kinesis = boto3.client('kinesis')
                for index in range(5):
                    team = 'even' if index % 2 == 0 else 'odd'
                    kinesis.create_stream(StreamName=f'page-{index}', ShardCount=1)
                    kinesis.add_tags_to_stream(StreamName=f'page-{index}', Tags={'team': team})
                kinesis.create_stream(StreamName='untagged', ShardCount=1)
                """, environment: moto.clientEnvironment)
        }
        let log = EventLog()
        let client = makeClient(endpoint: proxy.endpoint, log: log)
        let tagging = try client.tagging(region: testRegion)

        let all = try await tagging.getResources(types: [.kinesisStream], pageSize: 2)
        #expect(all.map { $0.arn.components(separatedBy: "/").last ?? "" }.sorted() == (0..<5).map { "page-\($0)" })
        #expect(all.allSatisfy { $0.arn.hasPrefix("arn:aws:kinesis:\(testRegion):") })
        #expect(all.first { $0.arn.hasSuffix("/page-1") }?.tags == ["team": "odd"])
        #expect(log.events.filter { $0.operation == "GetResources" }.count == 3, "pages of 2, 2 and 1")

        let even = try await tagging.getResources(
            types: [.kinesisStream], tagFilters: [TagFilter(key: "team", values: ["even"])])
        #expect(even.count == 3 && even.allSatisfy { $0.tags["team"] == "even" })
        #expect(try proxy.modelViolations().isEmpty)
        try await client.shutdown()
    }
}
