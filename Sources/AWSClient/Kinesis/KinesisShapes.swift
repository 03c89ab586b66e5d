import Formats
import Foundation

/// What `DescribeStreamSummary` says about a stream, flattened for comparison with a manifest.
public struct KinesisStreamSummary: Sendable, Hashable {
    public var streamName: String
    public var streamARN: String
    public var streamStatus: String
    /// `PROVISIONED` or `ON_DEMAND`.
    public var streamMode: String
    public var openShardCount: Int
    public var retentionPeriodHours: Int
    /// `NONE` or `KMS`.
    public var encryptionType: String
    public var keyId: String?
    /// Shard-level metrics enabled, sorted, all monitoring entries flattened together.
    public var enhancedMetrics: [String]
    public var consumerCount: Int?
    /// `MaxRecordSizeInKiB`; nil when the endpoint does not report it.
    public var maxRecordSizeKiB: Int?
    /// `WarmThroughput.TargetMiBps`: what the stream is set to (it may still be scaling towards it); nil
    /// when absent (provisioned streams, accounts without warm throughput).
    public var warmThroughputTargetMiBps: Int?

    public init(
        streamName: String, streamARN: String, streamStatus: String, streamMode: String, openShardCount: Int,
        retentionPeriodHours: Int, encryptionType: String, keyId: String?, enhancedMetrics: [String],
        consumerCount: Int?, maxRecordSizeKiB: Int? = nil, warmThroughputTargetMiBps: Int? = nil
    ) {
        self.streamName = streamName
        self.streamARN = streamARN
        self.streamStatus = streamStatus
        self.streamMode = streamMode
        self.openShardCount = openShardCount
        self.retentionPeriodHours = retentionPeriodHours
        self.encryptionType = encryptionType
        self.keyId = keyId
        self.enhancedMetrics = enhancedMetrics
        self.consumerCount = consumerCount
        self.maxRecordSizeKiB = maxRecordSizeKiB
        self.warmThroughputTargetMiBps = warmThroughputTargetMiBps
    }

    /// Reads `StreamDescriptionSummary` from a DescribeStreamSummary answer.
    init?(json: JSONValue) {
        guard let summary = json["StreamDescriptionSummary"], let name = summary["StreamName"]?.stringValue,
            let arn = summary["StreamARN"]?.stringValue
        else { return nil }
        streamName = name
        streamARN = arn
        streamStatus = summary["StreamStatus"]?.stringValue ?? ""
        streamMode = summary["StreamModeDetails"]?["StreamMode"]?.stringValue ?? "PROVISIONED"
        openShardCount = summary["OpenShardCount"]?.intValue ?? 0
        retentionPeriodHours = summary["RetentionPeriodHours"]?.intValue ?? 24
        encryptionType = summary["EncryptionType"]?.stringValue ?? "NONE"
        keyId = summary["KeyId"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        let metrics = (summary["EnhancedMonitoring"]?.arrayValue ?? []).flatMap {
            ($0["ShardLevelMetrics"]?.arrayValue ?? []).compactMap(\.stringValue)
        }
        enhancedMetrics = Array(Set(metrics)).sorted()
        consumerCount = summary["ConsumerCount"]?.intValue
        maxRecordSizeKiB = summary["MaxRecordSizeInKiB"]?.intValue
        warmThroughputTargetMiBps = summary["WarmThroughput"]?["TargetMiBps"]?.intValue
    }
}

/// A registered stream consumer (enhanced fan-out).
public struct KinesisConsumer: Sendable, Hashable, Codable {
    public var name: String
    public var arn: String
    public var status: String
    /// The consumer's tags (ListTagsForResource); nil when they were not read.
    public var tags: [String: String]?

    public init(name: String, arn: String, status: String = "ACTIVE", tags: [String: String]? = nil) {
        self.name = name
        self.arn = arn
        self.status = status
        self.tags = tags
    }

    init?(json: JSONValue) {
        guard let name = json["ConsumerName"]?.stringValue, let arn = json["ConsumerARN"]?.stringValue else {
            return nil
        }
        self.init(name: name, arn: arn, status: json["ConsumerStatus"]?.stringValue ?? "")
    }
}

/// A shard; open shards have no ending sequence number.
public struct KinesisShard: Sendable, Hashable {
    public var shardId: String
    public var endingSequenceNumber: String?

    public init(shardId: String, endingSequenceNumber: String?) {
        self.shardId = shardId
        self.endingSequenceNumber = endingSequenceNumber
    }

    public var isOpen: Bool { endingSequenceNumber == nil }
}

/// A data record read back with GetRecords.
public struct KinesisRecord: Sendable, Hashable {
    public var sequenceNumber: String
    public var partitionKey: String
    public var data: Data

    public init(sequenceNumber: String, partitionKey: String, data: Data) {
        self.sequenceNumber = sequenceNumber
        self.partitionKey = partitionKey
        self.data = data
    }
}
