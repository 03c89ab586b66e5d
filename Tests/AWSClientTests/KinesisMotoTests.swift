import Formats
import Foundation
import TestSupport
import Testing

@testable import AWSClient

/// Kinesis operations against a real moto server, one per test; effects checked with our
/// typed calls and, where it proves more, with boto3.
@Suite("Kinesis against moto")
struct KinesisMotoTests {
    func boto3(_ moto: MotoServer, _ body: String) async throws -> String {
        let environment = moto.clientEnvironment
        return try await offPool {
            try Subprocess.python("import boto3, json\nk = boto3.client('kinesis')\n" + body, environment: environment)
        }.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("a stream is created, described, listed, rescaled, re-tuned and deleted")
    func streamLifecycle() async throws {
        let moto = try await startMoto()
        defer { moto.stop() }
        let client = makeClient(endpoint: moto.endpoint)
        let kinesis = try client.kinesis(region: testRegion)

        _ = try await kinesis.send("CreateStream", ["StreamName": "orders", "ShardCount": 1])
        _ = try await kinesis.send(
            "CreateStream", ["StreamName": "events", "StreamModeDetails": ["StreamMode": "ON_DEMAND"]])
        var summary = try #require(try await kinesis.describeStreamSummary(streamName: "orders"))
        #expect(summary.streamStatus == "ACTIVE")
        #expect(summary.streamMode == "PROVISIONED")
        #expect(summary.openShardCount == 1)
        #expect(summary.retentionPeriodHours == 24)
        #expect(summary.encryptionType == "NONE")
        #expect(summary.streamARN.hasSuffix(":stream/orders"))
        #expect(try await kinesis.describeStreamSummary(streamName: "events")?.streamMode == "ON_DEMAND")
        #expect(Set(try await kinesis.listStreams()) == ["orders", "events"])

        _ = try await kinesis.send(
            "UpdateShardCount", ["StreamName": "orders", "TargetShardCount": 2, "ScalingType": "UNIFORM_SCALING"])
        _ = try await kinesis.send(
            "IncreaseStreamRetentionPeriod", ["StreamName": "orders", "RetentionPeriodHours": 72])
        summary = try #require(try await kinesis.describeStreamSummary(streamName: "orders"))
        #expect(summary.openShardCount == 2)
        #expect(summary.retentionPeriodHours == 72)
        #expect(try await kinesis.listShards(streamName: "orders").filter(\.isOpen).count == 2)
        _ = try await kinesis.send(
            "DecreaseStreamRetentionPeriod", ["StreamName": "orders", "RetentionPeriodHours": 48])
        #expect(
            try await boto3(
                moto,
                "print(k.describe_stream_summary(StreamName='orders')['StreamDescriptionSummary']['RetentionPeriodHours'])"
            ) == "48")

        _ = try await kinesis.send(
            "StartStreamEncryption", ["StreamName": "orders", "EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"])
        summary = try #require(try await kinesis.describeStreamSummary(streamName: "orders"))
        #expect(summary.encryptionType == "KMS")
        #expect(summary.keyId == "alias/aws/kinesis")
        _ = try await kinesis.send(
            "StopStreamEncryption", ["StreamName": "orders", "EncryptionType": "KMS", "KeyId": "alias/aws/kinesis"])
        #expect(try await kinesis.describeStreamSummary(streamName: "orders")?.encryptionType == "NONE")

        _ = try await kinesis.send(
            "EnableEnhancedMonitoring",
            ["StreamName": "orders", "ShardLevelMetrics": ["OutgoingBytes", "IncomingBytes"]])
        #expect(
            try await kinesis.describeStreamSummary(streamName: "orders")?.enhancedMetrics == [
                "IncomingBytes", "OutgoingBytes"
            ])
        _ = try await kinesis.send(
            "DisableEnhancedMonitoring", ["StreamName": "orders", "ShardLevelMetrics": ["OutgoingBytes"]])
        #expect(try await kinesis.describeStreamSummary(streamName: "orders")?.enhancedMetrics == ["IncomingBytes"])

        _ = try await kinesis.send(
            "UpdateStreamMode",
            ["StreamARN": .string(summary.streamARN), "StreamModeDetails": ["StreamMode": "ON_DEMAND"]])
        #expect(try await kinesis.describeStreamSummary(streamName: "orders")?.streamMode == "ON_DEMAND")

        _ = try await kinesis.send("DeleteStream", ["StreamName": "orders"])
        #expect(try await kinesis.describeStreamSummary(streamName: "orders") == nil)
        #expect(try await kinesis.listStreams() == ["events"])
        try await client.shutdown()
    }

    @Test("tags are added, listed across pages and removed")
    func tags() async throws {
        let moto = try await startMoto()
        defer { moto.stop() }
        let client = makeClient(endpoint: moto.endpoint)
        let kinesis = try client.kinesis(region: testRegion)
        _ = try await kinesis.send("CreateStream", ["StreamName": "tagged", "ShardCount": 1])
        var expected: [String: String] = [:]
        for batch in 0..<7 {
            var tags: [String: JSONValue] = [:]
            for index in 0..<10 {
                let key = "key-\(batch)-\(index)"
                tags[key] = .string("value \(batch * 10 + index)")
                expected[key] = "value \(batch * 10 + index)"
            }
            _ = try await kinesis.send("AddTagsToStream", ["StreamName": "tagged", "Tags": .object(tags)])
        }
        #expect(try await kinesis.listTagsForStream(streamName: "tagged") == expected)
        _ = try await kinesis.send("RemoveTagsFromStream", ["StreamName": "tagged", "TagKeys": ["key-0-0", "key-6-9"]])
        expected["key-0-0"] = nil
        expected["key-6-9"] = nil
        #expect(try await kinesis.listTagsForStream(streamName: "tagged") == expected)
        let botoCount = try await boto3(
            moto,
            """
            tags, start = [], None
            while True:
                args = {'StreamName': 'tagged'}
                if start: args['ExclusiveStartTagKey'] = start
                page = k.list_tags_for_stream(**args)
                tags += page['Tags']
                if not page['HasMoreTags']: break
                start = page['Tags'][-1]['Key']
            print(len(tags))
            """)
        #expect(botoCount == "68")
        try await client.shutdown()
    }

    @Test("consumers are registered, listed, described and deregistered by ARN")
    func consumers() async throws {
        let moto = try await startMoto()
        defer { moto.stop() }
        let client = makeClient(endpoint: moto.endpoint)
        let kinesis = try client.kinesis(region: testRegion)
        _ = try await kinesis.send("CreateStream", ["StreamName": "fanout", "ShardCount": 1])
        let streamARN = try #require(try await kinesis.describeStreamSummary(streamName: "fanout")?.streamARN)
        let registered = try await kinesis.send(
            "RegisterStreamConsumer", ["StreamARN": .string(streamARN), "ConsumerName": "reader"])
        _ = try await kinesis.send(
            "RegisterStreamConsumer", ["StreamARN": .string(streamARN), "ConsumerName": "archiver"])
        let consumerARN = try #require(registered["Consumer"]?["ConsumerARN"]?.stringValue)
        let listed = try await kinesis.listStreamConsumers(streamARN: streamARN)
        #expect(Set(listed.map(\.name)) == ["reader", "archiver"])
        let described = try #require(try await kinesis.describeStreamConsumer(consumerARN: consumerARN))
        #expect(described.name == "reader")
        #expect(described.status == "ACTIVE")
        _ = try await kinesis.send("DeregisterStreamConsumer", ["ConsumerARN": .string(consumerARN)])
        #expect(try await kinesis.describeStreamConsumer(consumerARN: consumerARN) == nil)
        #expect(try await kinesis.listStreamConsumers(streamARN: streamARN).map(\.name) == ["archiver"])
        try await client.shutdown()
    }

    @Test("a record put is read back from its shard")
    func records() async throws {
        let moto = try await startMoto()
        defer { moto.stop() }
        let client = makeClient(endpoint: moto.endpoint)
        let kinesis = try client.kinesis(region: testRegion)
        _ = try await kinesis.send("CreateStream", ["StreamName": "data", "ShardCount": 1])
        let payload = Data("hello, kinesis ✓".utf8)
        let put = try await kinesis.putRecord(streamName: "data", data: payload, partitionKey: "pk-1")
        let iterator = try await kinesis.getShardIterator(
            streamName: "data", shardId: put.shardId, type: "TRIM_HORIZON", startingSequenceNumber: nil)
        let read = try await kinesis.getRecords(shardIterator: iterator, limit: 10)
        #expect(
            read.records == [KinesisRecord(sequenceNumber: put.sequenceNumber, partitionKey: "pk-1", data: payload)])
        #expect(read.nextShardIterator != nil)
        let after = try await kinesis.getShardIterator(
            streamName: "data", shardId: put.shardId, type: "AFTER_SEQUENCE_NUMBER",
            startingSequenceNumber: put.sequenceNumber)
        #expect(try await kinesis.getRecords(shardIterator: after, limit: nil).records.isEmpty)
        try await client.shutdown()
    }

    @Test("moto's JSON errors decode to typed AWS errors")
    func errors() async throws {
        let moto = try await startMoto()
        defer { moto.stop() }
        let client = makeClient(endpoint: moto.endpoint)
        let kinesis = try client.kinesis(region: testRegion)
        let error = await #expect(throws: AWSError.self) {
            _ = try await kinesis.send("ListTagsForStream", ["StreamName": "missing"])
        }
        #expect(error?.code == "ResourceNotFoundException")
        #expect(error?.statusCode == 400)
        #expect(error?.isRetryable == false)
        #expect(error?.message.contains("missing") == true)
        try await client.shutdown()
    }
}
