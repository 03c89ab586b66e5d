import AWSClient
import Formats
import Testing

@testable import ReconcileKit

/// Maximum record size, warm throughput and consumer tags: desired × live → changes and steps.
@Suite("Planner: maximum record size, warm throughput and consumer tags")
struct StreamLimitsPlanTests {
    typealias Helpers = PlannerStreamTests

    static func operations(_ plan: Plan) -> [String] { plan.steps.map(\.operation) }

    @Test("a new stream gets its record size and warm throughput from CreateStream, with no follow-up call")
    func createCarriesTheValues() throws {
        let spec = StreamSpec(
            name: "clicks", mode: .onDemand, shardCount: nil, maxRecordSizeKiB: 4096, warmThroughputMiBps: 100)
        let plan = try Helpers.plan(DesiredState(streams: [spec]))
        #expect(Self.operations(plan) == ["kinesis:CreateStream", "kinesis:AddTagsToStream"])
        #expect(plan.steps[0].parameters["MaxRecordSizeInKiB"] == 4096)
        #expect(plan.steps[0].parameters["WarmThroughputMiBps"] == 100)
        let paths = plan.changes[0].properties.map(\.path)
        #expect(paths.contains("maxRecordSizeKiB") && paths.contains("warmThroughputMiBps"))
    }

    @Test("a stream without the fields is created and shown as before: no parameters, no properties")
    func absentFieldsChangeNothing() throws {
        let plan = try Helpers.plan(DesiredState(streams: [StreamSpec(name: "plain")]))
        #expect(plan.steps[0].parameters["MaxRecordSizeInKiB"] == nil)
        #expect(plan.steps[0].parameters["WarmThroughputMiBps"] == nil)
        #expect(!plan.changes[0].properties.contains { $0.path == "maxRecordSizeKiB" })
    }

    @Test("a changed record size is UpdateMaxRecordSize by ARN; a removed one goes back to 1024")
    func recordSizeUpdates() throws {
        var live = Helpers.live("orders")
        live.maxRecordSizeKiB = 2048
        let changed = try Helpers.plan(
            DesiredState(streams: [StreamSpec(name: "orders", maxRecordSizeKiB: 8192)]),
            live: LiveState(streams: ["orders": live]))
        #expect(Self.operations(changed) == ["kinesis:UpdateMaxRecordSize"])
        #expect(changed.steps[0].parameters["StreamARN"] == .string(live.arn))
        #expect(changed.steps[0].parameters["MaxRecordSizeInKiB"] == 8192)
        #expect(
            changed.changes[0].properties == [PropertyChange(path: "maxRecordSizeKiB", before: 2048, after: 8192)])
        let removed = try Helpers.plan(
            DesiredState(streams: [StreamSpec(name: "orders")]), live: LiveState(streams: ["orders": live]))
        #expect(
            removed.steps.map(\.action) == [
                .updateMaxRecordSize(stream: .arn(live.arn, stream: "orders"), kibibytes: 1024)
            ])
    }

    @Test("switching to ON_DEMAND sets the mode first, then the warm throughput; back to PROVISIONED needs no call")
    func warmThroughputFollowsTheMode() throws {
        let toOnDemand = try Helpers.plan(
            DesiredState(streams: [StreamSpec(name: "s", mode: .onDemand, warmThroughputMiBps: 100)]),
            live: LiveState(streams: ["s": Helpers.live("s")]))
        #expect(Self.operations(toOnDemand) == ["kinesis:UpdateStreamMode", "kinesis:UpdateStreamWarmThroughput"])
        #expect(toOnDemand.steps[1].dependsOn == [0])
        var warm = Helpers.live("s", mode: .onDemand)
        warm.warmThroughputMiBps = 100
        let toProvisioned = try Helpers.plan(
            DesiredState(streams: [StreamSpec(name: "s", shardCount: 1)]), live: LiveState(streams: ["s": warm]))
        #expect(Self.operations(toProvisioned) == ["kinesis:UpdateStreamMode"])
        #expect(toProvisioned.changes[0].properties.contains { $0.path == "warmThroughputMiBps" && $0.after == 0 })
    }

    @Test("an existing consumer's tags are changed on its ARN: TagResource, then UntagResource for undeclared ones")
    func consumerTags() throws {
        let arn = "arn:aws:kinesis:eu-central-1:123456789012:stream/s/consumer/app:1700000000"
        let live = Helpers.live("s", consumers: [LiveConsumer(name: "app", arn: arn, tags: ["tier": "1", "team": "x"])])
        let plan = try Helpers.plan(
            DesiredState(
                streams: [StreamSpec(name: "s")],
                consumers: [ConsumerSpec(name: "app", stream: "s", tags: ["team": "data", "owner": "ops"])]),
            live: LiveState(streams: ["s": live]))
        #expect(
            plan.steps.map(\.action) == [
                .tagConsumer(consumerARN: arn, tags: ["team": "data", "owner": "ops"]),
                .untagConsumer(consumerARN: arn, keys: ["tier"])
            ])
        #expect(plan.steps[1].dependsOn == [0])
        let consumer = try #require(plan.changes.first { $0.address == .consumer("app") })
        #expect(consumer.properties.map(\.path) == ["tags.owner", "tags.team", "tags.tier"])
        #expect(plan.steps[0].action.streamName == "s")
    }

    @Test("a new consumer is registered with its tags")
    func newConsumerTags() throws {
        let plan = try Helpers.plan(
            DesiredState(
                streams: [StreamSpec(name: "s")],
                consumers: [ConsumerSpec(name: "app", stream: "s", tags: ["team": "data"])]),
            live: LiveState(streams: ["s": Helpers.live("s", consumers: [])]))
        #expect(Self.operations(plan) == ["kinesis:RegisterStreamConsumer"])
        #expect(plan.steps[0].parameters["Tags"] == ["team": "data"])
    }
}
