import Formats
import Foundation

/// Kinesis Data Streams over JSON 1.1 in one region.
public struct KinesisClient: ServiceClient {
    let endpoint: ServiceEndpoint

    static let wire = JSONProtocol(targetPrefix: "Kinesis_20131202")

    /// A typed write, sent in its own encoding; returns the answer (`{}` when AWS sends none).
    public func send(_ request: any KinesisRequest) async throws -> JSONValue {
        try await send(request.operation, request.parameters)
    }

    static func isNotFound(_ error: AWSError) -> Bool { error.kinesisCode == .resourceNotFound }

    /// The stream's summary, or nil when it does not exist.
    public func describeStreamSummary(streamName: String) async throws -> KinesisStreamSummary? {
        let stream: JSONValue = ["StreamName": .string(streamName)]
        guard let answer = try await send(.describeStreamSummary, stream, nilWhen: Self.isNotFound) else { return nil }
        guard let summary = KinesisStreamSummary(json: answer) else {
            throw AWSClientError.missingField(
                service: .kinesis, operation: "DescribeStreamSummary", field: "StreamDescriptionSummary")
        }
        return summary
    }

    /// The `Policy` text of a stream's or consumer's resource policy; nil when none is attached (AWS and
    /// emulators answer `{}`, an empty string or no member) or the resource does not exist.
    public func getResourcePolicy(resourceARN: String) async throws -> String? {
        let answer: JSONValue
        do {
            answer = try await send(.getResourcePolicy, ["ResourceARN": .string(resourceARN)])
        } catch let error as AWSError where error.kinesisCode == .resourceNotFound {
            return nil
        }
        guard let text = answer["Policy"]?.stringValue else { return nil }
        let trimmed = text.filter { !$0.isWhitespace }
        return trimmed.isEmpty || trimmed == "{}" ? nil : text
    }

    /// All tags of the stream (every page).
    public func listTagsForStream(streamName: String) async throws -> [String: String] {
        var tags: [String: String] = [:]
        var exclusiveStart: String?
        while true {
            var input: [String: JSONValue] = ["StreamName": .string(streamName), "Limit": 50]
            if let exclusiveStart { input["ExclusiveStartTagKey"] = .string(exclusiveStart) }
            let answer = try await send(.listTagsForStream, .object(input))
            let page = answer["Tags"]?.arrayValue ?? []
            for tag in page {
                if let key = tag["Key"]?.stringValue { tags[key] = tag["Value"]?.stringValue ?? "" }
            }
            guard answer["HasMoreTags"]?.boolValue == true, let last = page.last?["Key"]?.stringValue else {
                return tags
            }
            exclusiveStart = last
        }
    }

    /// All tags of a Kinesis resource by ARN (a consumer's: Kinesis has no per-consumer tag call).
    public func listTagsForResource(resourceARN: String) async throws -> [String: String] {
        let answer = try await send(.listTagsForResource, ["ResourceARN": .string(resourceARN)])
        var tags: [String: String] = [:]
        for tag in answer["Tags"]?.arrayValue ?? [] {
            if let key = tag["Key"]?.stringValue { tags[key] = tag["Value"]?.stringValue ?? "" }
        }
        return tags
    }

    /// Every stream name in the region (every page).
    public func listStreams() async throws -> [String] {
        var names: [String] = []
        // AWS's page size is 100 by default (and at most); say it explicitly, as some endpoints
        // default lower (moto: 10, so 10× the calls).
        var input: [String: JSONValue] = ["Limit": .int(100)]
        while true {
            let answer = try await send(.listStreams, .object(input))
            let page = (answer["StreamNames"]?.arrayValue ?? []).compactMap(\.stringValue)
            names += page
            guard answer["HasMoreStreams"]?.boolValue == true else { return names }
            if let token = answer["NextToken"]?.stringValue {
                input = ["NextToken": .string(token), "Limit": .int(100)]
            } else if let last = page.last {
                input = ["ExclusiveStartStreamName": .string(last), "Limit": .int(100)]
            } else {
                return names
            }
        }
    }

    /// Every consumer registered on the stream (every page).
    public func listStreamConsumers(streamARN: String) async throws -> [KinesisConsumer] {
        var consumers: [KinesisConsumer] = []
        var token: String?
        while true {
            var input: [String: JSONValue] = ["StreamARN": .string(streamARN)]
            if let token { input = ["StreamARN": .string(streamARN), "NextToken": .string(token)] }
            let answer = try await send(.listStreamConsumers, .object(input))
            consumers += (answer["Consumers"]?.arrayValue ?? []).compactMap(KinesisConsumer.init(json:))
            guard let next = answer["NextToken"]?.stringValue, !next.isEmpty else { return consumers }
            token = next
        }
    }

    /// The consumer, or nil when it does not exist.
    public func describeStreamConsumer(consumerARN: String) async throws -> KinesisConsumer? {
        try await describeStreamConsumer(["ConsumerARN": .string(consumerARN)])
    }

    /// The consumer of that name on the stream, or nil: how a consumer whose registration
    /// answered without it (already registered) is found.
    public func describeStreamConsumer(streamARN: String, consumerName: String) async throws -> KinesisConsumer? {
        try await describeStreamConsumer(["StreamARN": .string(streamARN), "ConsumerName": .string(consumerName)])
    }

    private func describeStreamConsumer(_ input: JSONValue) async throws -> KinesisConsumer? {
        guard let answer = try await send(.describeStreamConsumer, input, nilWhen: Self.isNotFound) else { return nil }
        guard let description = answer["ConsumerDescription"], let consumer = KinesisConsumer(json: description) else {
            throw AWSClientError.missingField(
                service: .kinesis, operation: "DescribeStreamConsumer", field: "ConsumerDescription")
        }
        return consumer
    }

    /// Every shard of the stream, open and closed (every page).
    public func listShards(streamName: String) async throws -> [KinesisShard] {
        var shards: [KinesisShard] = []
        // ListShards forbids StreamName together with NextToken.
        var input: JSONValue = ["StreamName": .string(streamName)]
        while true {
            let answer = try await send(.listShards, input)
            for shard in answer["Shards"]?.arrayValue ?? [] {
                guard let shardId = shard["ShardId"]?.stringValue else { continue }
                shards.append(
                    KinesisShard(
                        shardId: shardId,
                        endingSequenceNumber: shard["SequenceNumberRange"]?["EndingSequenceNumber"]?.stringValue))
            }
            guard let next = answer["NextToken"]?.stringValue, !next.isEmpty else { return shards }
            input = ["NextToken": .string(next)]
        }
    }

    public func putRecord(streamName: String, data: Data, partitionKey: String) async throws -> (
        shardId: String, sequenceNumber: String
    ) {
        let answer = try await send(
            .putRecord,
            [
                "StreamName": .string(streamName), "Data": .string(data.base64EncodedString()),
                "PartitionKey": .string(partitionKey)
            ])
        guard let shardId = answer["ShardId"]?.stringValue, let sequence = answer["SequenceNumber"]?.stringValue else {
            throw AWSClientError.missingField(
                service: .kinesis, operation: "PutRecord", field: "ShardId/SequenceNumber")
        }
        return (shardId, sequence)
    }

    /// - Parameter type: `TRIM_HORIZON`, `LATEST`, `AT_SEQUENCE_NUMBER`, `AFTER_SEQUENCE_NUMBER`.
    public func getShardIterator(streamName: String, shardId: String, type: String, startingSequenceNumber: String?)
        async throws -> String
    {
        var input: [String: JSONValue] = [
            "StreamName": .string(streamName), "ShardId": .string(shardId), "ShardIteratorType": .string(type)
        ]
        if let startingSequenceNumber { input["StartingSequenceNumber"] = .string(startingSequenceNumber) }
        let answer = try await send(.getShardIterator, .object(input))
        guard let iterator = answer["ShardIterator"]?.stringValue else {
            throw AWSClientError.missingField(service: .kinesis, operation: "GetShardIterator", field: "ShardIterator")
        }
        return iterator
    }

    public func getRecords(shardIterator: String, limit: Int?) async throws -> (
        records: [KinesisRecord], nextShardIterator: String?
    ) {
        var input: [String: JSONValue] = ["ShardIterator": .string(shardIterator)]
        if let limit { input["Limit"] = .int(limit) }
        let answer = try await send(.getRecords, .object(input))
        let records = (answer["Records"]?.arrayValue ?? []).compactMap { record -> KinesisRecord? in
            guard let sequence = record["SequenceNumber"]?.stringValue, let key = record["PartitionKey"]?.stringValue,
                let encoded = record["Data"]?.stringValue, let data = Data(base64Encoded: encoded)
            else { return nil }
            return KinesisRecord(sequenceNumber: sequence, partitionKey: key, data: data)
        }
        return (records, answer["NextShardIterator"]?.stringValue)
    }
}
