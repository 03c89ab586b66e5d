import Formats

extension StreamAttributes {
    /// Properties shown for a stream being created (before is null).
    static func creationProperties(_ attributes: StreamAttributes) -> [PropertyChange] {
        PropertyChange.fromNull(attributes.asProperties())
    }

    static func deletionProperties(_ attributes: StreamAttributes) -> [PropertyChange] {
        attributes.asProperties().map { PropertyChange(path: $0.path, before: $0.value, after: .null) }
    }

    /// Why going from `live` to `desired` loses data or availability.
    static func destructiveReasons(from live: StreamAttributes, to desired: StreamAttributes) -> [DestructiveReason] {
        var reasons: [DestructiveReason] = []
        if desired.retentionPeriodHours < live.retentionPeriodHours {
            reasons.append(
                .retentionDecreased(fromHours: live.retentionPeriodHours, toHours: desired.retentionPeriodHours))
        }
        if live.encryptionKeyId != nil && desired.encryptionKeyId == nil { reasons.append(.encryptionRemoved) }
        return reasons
    }

    /// Every property as (path, value), for creation and deletion listings.
    func asProperties() -> [(path: String, value: JSONValue)] {
        var result: [(String, JSONValue)] = [("streamMode", .string(mode.rawValue))]
        if let shardCount { result.append(("shardCount", .int(shardCount))) }
        result.append(("retentionPeriodHours", .int(retentionPeriodHours)))
        if let encryptionKeyId {
            result.append(("encryption.type", "KMS"))
            result.append(("encryption.keyId", .string(encryptionKeyId)))
        }
        if !shardLevelMetrics.isEmpty {
            result.append(("shardLevelMetrics", .array(shardLevelMetrics.map(JSONValue.string))))
        }
        // Shown only when not AWS's default, so a manifest without them reads as before.
        if maxRecordSizeKiB != StreamSpec.defaultMaxRecordSizeKiB {
            result.append(("maxRecordSizeKiB", .int(maxRecordSizeKiB)))
        }
        if warmThroughputMiBps != 0 { result.append(("warmThroughputMiBps", .int(warmThroughputMiBps))) }
        for (key, value) in tags.sorted(by: { $0.key < $1.key }) { result.append(("tags.\(key)", .string(value))) }
        return result
    }
}

extension PropertyChange {
    static func fromNull(_ properties: [(path: String, value: JSONValue)]) -> [PropertyChange] {
        properties.map { PropertyChange(path: $0.path, before: .null, after: $0.value) }
    }
}
