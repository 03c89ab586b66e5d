import Formats

// The Kinesis writes on a stream's own settings, each encoding itself in botocore's shape
// (`AWSRequest`). Tags and consumers have files of their own.

public struct CreateStreamInput: KinesisRequest {
    public var streamName: String
    /// `PROVISIONED` or `ON_DEMAND`.
    public var streamMode: String
    /// Only provisioned streams send it.
    public var shardCount: Int?
    /// Applied atomically with the create (at most 50).
    public var tags: [String: String]
    /// `MaxRecordSizeInKiB`; nil leaves AWS's default.
    public var maxRecordSizeKiB: Int?
    /// `WarmThroughputMiBps` (ON_DEMAND only); nil means none.
    public var warmThroughputMiBps: Int?

    public init(
        streamName: String, streamMode: String, shardCount: Int?, tags: [String: String],
        maxRecordSizeKiB: Int? = nil, warmThroughputMiBps: Int? = nil
    ) {
        self.streamName = streamName
        self.streamMode = streamMode
        self.shardCount = shardCount
        self.tags = tags
        self.maxRecordSizeKiB = maxRecordSizeKiB
        self.warmThroughputMiBps = warmThroughputMiBps
    }

    public var operation: AWSOperation { .createStream }

    public var parameters: JSONValue {
        var parameters: [String: JSONValue] = [
            "StreamName": .string(streamName), "StreamModeDetails": ["StreamMode": .string(streamMode)],
            "Tags": TagEncoding.map(tags)
        ]
        if let shardCount { parameters["ShardCount"] = .int(shardCount) }
        if let maxRecordSizeKiB { parameters["MaxRecordSizeInKiB"] = .int(maxRecordSizeKiB) }
        if let warmThroughputMiBps { parameters["WarmThroughputMiBps"] = .int(warmThroughputMiBps) }
        return .object(parameters)
    }
}

/// Deletes the stream together with its consumers (`EnforceConsumerDeletion`).
public struct DeleteStreamInput: KinesisRequest {
    public var streamName: String

    public init(streamName: String) { self.streamName = streamName }

    public var operation: AWSOperation { .deleteStream }

    public var parameters: JSONValue { ["StreamName": .string(streamName), "EnforceConsumerDeletion": true] }
}

/// Reshards uniformly to `targetShardCount` open shards.
public struct UpdateShardCountInput: KinesisRequest {
    public var streamName: String
    public var targetShardCount: Int

    public init(streamName: String, targetShardCount: Int) {
        self.streamName = streamName
        self.targetShardCount = targetShardCount
    }

    public var operation: AWSOperation { .updateShardCount }

    public var parameters: JSONValue {
        [
            "StreamName": .string(streamName), "TargetShardCount": .int(targetShardCount),
            "ScalingType": "UNIFORM_SCALING"
        ]
    }
}

/// IncreaseStreamRetentionPeriod or DecreaseStreamRetentionPeriod: the same members, one call
/// per direction.
public struct StreamRetentionPeriodInput: KinesisRequest {
    public enum Direction: Sendable, Hashable {
        case increase, decrease
    }

    public var streamName: String
    public var retentionPeriodHours: Int
    public var direction: Direction

    public init(streamName: String, retentionPeriodHours: Int, direction: Direction) {
        self.streamName = streamName
        self.retentionPeriodHours = retentionPeriodHours
        self.direction = direction
    }

    public var operation: AWSOperation {
        direction == .increase ? .increaseStreamRetentionPeriod : .decreaseStreamRetentionPeriod
    }

    public var parameters: JSONValue {
        ["StreamName": .string(streamName), "RetentionPeriodHours": .int(retentionPeriodHours)]
    }
}

/// StartStreamEncryption (`.on`) or StopStreamEncryption (`.off`), both with a KMS key.
public struct StreamEncryptionInput: KinesisRequest {
    public var streamName: String
    public var keyId: String
    public var toggle: Toggle

    public init(streamName: String, keyId: String, toggle: Toggle) {
        self.streamName = streamName
        self.keyId = keyId
        self.toggle = toggle
    }

    public var operation: AWSOperation { toggle == .on ? .startStreamEncryption : .stopStreamEncryption }

    public var parameters: JSONValue {
        ["StreamName": .string(streamName), "EncryptionType": "KMS", "KeyId": .string(keyId)]
    }
}

/// Switches between provisioned and on-demand capacity; the stream is named by ARN.
public struct UpdateStreamModeInput: KinesisRequest {
    public var streamARN: String
    /// `PROVISIONED` or `ON_DEMAND`.
    public var streamMode: String

    public init(streamARN: String, streamMode: String) {
        self.streamARN = streamARN
        self.streamMode = streamMode
    }

    public var operation: AWSOperation { .updateStreamMode }

    public var parameters: JSONValue {
        ["StreamARN": .string(streamARN), "StreamModeDetails": ["StreamMode": .string(streamMode)]]
    }
}

/// EnableEnhancedMonitoring (`.on`) or DisableEnhancedMonitoring (`.off`) of shard-level metrics.
public struct EnhancedMonitoringInput: KinesisRequest {
    public var streamName: String
    public var shardLevelMetrics: [String]
    public var toggle: Toggle

    public init(streamName: String, shardLevelMetrics: [String], toggle: Toggle) {
        self.streamName = streamName
        self.shardLevelMetrics = shardLevelMetrics
        self.toggle = toggle
    }

    public var operation: AWSOperation { toggle == .on ? .enableEnhancedMonitoring : .disableEnhancedMonitoring }

    public var parameters: JSONValue {
        ["StreamName": .string(streamName), "ShardLevelMetrics": .array(shardLevelMetrics.map(JSONValue.string))]
    }
}

/// The largest record the stream takes, in KiB (1024–10240).
public struct UpdateMaxRecordSizeInput: KinesisRequest {
    public var streamARN: String
    public var maxRecordSizeKiB: Int

    public init(streamARN: String, maxRecordSizeKiB: Int) {
        self.streamARN = streamARN
        self.maxRecordSizeKiB = maxRecordSizeKiB
    }

    public var operation: AWSOperation { .updateMaxRecordSize }

    public var parameters: JSONValue { ["StreamARN": .string(streamARN), "MaxRecordSizeInKiB": .int(maxRecordSizeKiB)] }
}

/// The throughput an on-demand stream keeps warm, in MiB/s.
public struct UpdateStreamWarmThroughputInput: KinesisRequest {
    public var streamARN: String
    public var warmThroughputMiBps: Int

    public init(streamARN: String, warmThroughputMiBps: Int) {
        self.streamARN = streamARN
        self.warmThroughputMiBps = warmThroughputMiBps
    }

    public var operation: AWSOperation { .updateStreamWarmThroughput }

    public var parameters: JSONValue {
        ["StreamARN": .string(streamARN), "WarmThroughputMiBps": .int(warmThroughputMiBps)]
    }
}
