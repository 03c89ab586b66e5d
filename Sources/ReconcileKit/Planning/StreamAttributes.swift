import AWSClient
import Formats

/// The comparable properties of a stream, whichever source they come from: a manifest,
/// the live Kinesis stream, or a resource in a deployed template. Diffing two of these
/// gives the per-property changes the plan shows.
struct StreamAttributes: Sendable, Hashable {
    var mode: StreamMode
    /// nil for ON_DEMAND.
    var shardCount: Int?
    var retentionPeriodHours: Int
    var encryptionKeyId: String?
    var shardLevelMetrics: [String]
    var tags: [String: String]
    /// Effective values: AWS's default 1024 KiB when not declared or not reported.
    var maxRecordSizeKiB = StreamSpec.defaultMaxRecordSizeKiB
    /// 0: no warm throughput.
    var warmThroughputMiBps = 0

    init(spec: StreamSpec) {
        mode = spec.mode
        shardCount = spec.mode == .provisioned ? spec.shardCount : nil
        retentionPeriodHours = spec.retentionPeriodHours
        encryptionKeyId = spec.encryption.keyId
        shardLevelMetrics = spec.shardLevelMetrics.sorted()
        tags = spec.tags
        maxRecordSizeKiB = spec.maxRecordSizeKiB ?? StreamSpec.defaultMaxRecordSizeKiB
        warmThroughputMiBps = spec.warmThroughputMiBps ?? 0
    }

    init(live: LiveStream) {
        mode = live.mode
        shardCount = live.mode == .provisioned ? live.openShardCount : nil
        retentionPeriodHours = live.retentionPeriodHours
        encryptionKeyId = live.encryptionKeyId
        shardLevelMetrics = live.shardLevelMetrics.sorted()
        tags = live.tags.filter { !$0.key.hasPrefix("aws:") && !OwnershipTag.reservedKeys.contains($0.key) }
        maxRecordSizeKiB = live.maxRecordSizeKiB ?? StreamSpec.defaultMaxRecordSizeKiB
        warmThroughputMiBps = live.mode == .onDemand ? (live.warmThroughputMiBps ?? 0) : 0
    }

    /// Reads an `AWS::Kinesis::Stream` resource of a deployed template (the inverse of synthesis).
    init(templateResource resource: JSONValue) {
        let properties = resource["Properties"] ?? .object([:])
        mode =
            properties["StreamModeDetails"]?["StreamMode"]?.stringValue.flatMap(StreamMode.init(rawValue:))
            ?? .provisioned
        shardCount = mode == .provisioned ? (properties["ShardCount"]?.intValue ?? 1) : nil
        retentionPeriodHours = properties["RetentionPeriodHours"]?.intValue ?? 24
        let encryption = properties["StreamEncryption"]
        encryptionKeyId = encryption?["EncryptionType"]?.stringValue == "KMS" ? encryption?["KeyId"]?.stringValue : nil
        shardLevelMetrics = (properties["DesiredShardLevelMetrics"]?.arrayValue ?? []).compactMap(\.stringValue)
            .sorted()
        var tags: [String: String] = [:]
        for tag in properties["Tags"]?.arrayValue ?? [] {
            if let key = tag["Key"]?.stringValue { tags[key] = tag["Value"]?.stringValue ?? "" }
        }
        self.tags = tags
        maxRecordSizeKiB = properties["MaxRecordSizeInKiB"]?.intValue ?? StreamSpec.defaultMaxRecordSizeKiB
        warmThroughputMiBps = mode == .onDemand ? (properties["WarmThroughputMiBps"]?.intValue ?? 0) : 0
    }

    /// Property changes from `self` (before) to `desired` (after), in a stable order.
    /// `tagsMustMatchExactly: false` only reports declared tags that are missing or
    /// different (a stack-managed stream also carries the stack's propagated tags).
    func changes(to desired: StreamAttributes, tagsMustMatchExactly: Bool = true, drift: Bool = false)
        -> [PropertyChange]
    {
        var result: [PropertyChange] = []
        func add(_ path: String, _ before: JSONValue, _ after: JSONValue) {
            if before != after { result.append(PropertyChange(path: path, before: before, after: after, drift: drift)) }
        }
        add("streamMode", .string(mode.rawValue), .string(desired.mode.rawValue))
        add("shardCount", shardCount.map(JSONValue.int) ?? .null, desired.shardCount.map(JSONValue.int) ?? .null)
        add("retentionPeriodHours", .int(retentionPeriodHours), .int(desired.retentionPeriodHours))
        add(
            "encryption.type", .string(encryptionKeyId == nil ? "NONE" : "KMS"),
            .string(desired.encryptionKeyId == nil ? "NONE" : "KMS"))
        add(
            "encryption.keyId", encryptionKeyId.map(JSONValue.string) ?? .null,
            desired.encryptionKeyId.map(JSONValue.string) ?? .null)
        add(
            "shardLevelMetrics", .array(shardLevelMetrics.map(JSONValue.string)),
            .array(desired.shardLevelMetrics.map(JSONValue.string)))
        add("maxRecordSizeKiB", .int(maxRecordSizeKiB), .int(desired.maxRecordSizeKiB))
        add("warmThroughputMiBps", .int(warmThroughputMiBps), .int(desired.warmThroughputMiBps))
        let keys = Set(desired.tags.keys).union(tagsMustMatchExactly ? Set(tags.keys) : [])
        for key in keys.sorted() {
            add(
                "tags.\(key)", tags[key].map(JSONValue.string) ?? .null,
                desired.tags[key].map(JSONValue.string) ?? .null)
        }
        return result
    }
}

/// The ownership tag (SPEC 2).
public enum OwnershipTag {
    public static let key = "reconcile:project"
    /// Set on a directly managed stream once reconcile manages a resource policy of it or of one of its
    /// consumers, so that a later plan reads those policies (and can delete one the manifests no longer
    /// declare) while streams that never had one cost no extra call. Plans never show it as a change.
    public static let resourcePolicyKey = "reconcile:resource-policy"
    public static let resourcePolicyValue = "managed"
    /// Tags reconcile keeps on streams for itself, left out of every tag comparison and export.
    public static let reservedKeys: Set<String> = [key, resourcePolicyKey]
}
