/// The fixed words of the manifest format (SPEC 1).
enum ManifestVocabulary {
    static let apiVersion = "reconcile/v1"
    static let documentKeys = ["apiVersion", "kind", "metadata", "spec"]
    static let kinds = ResourceKind.allCases.map(\.rawValue)

    static let stackMetadataKeys = ["name", "region", "dependsOn"]
    static let streamMetadataKeys = ["name", "stack", "logicalId", "region", "dependsOn"]
    static let consumerMetadataKeys = ["name", "logicalId", "dependsOn"]

    static let stackSpecKeys = [
        "description", "tags", "terminationProtection", "capabilities", "parameters", "template"
    ]
    static let streamSpecKeys = [
        "streamMode", "shardCount", "retentionPeriodHours", "encryption", "shardLevelMetrics", "tags", "deletionPolicy",
        "resourcePolicy", "maxRecordSizeKiB", "warmThroughputMiBps"
    ]
    static let consumerSpecKeys = ["stream", "tags", "resourcePolicy"]
    static let encryptionKeys = ["type", "keyId"]

    static let templateSections = ["Parameters", "Rules", "Conditions", "Mappings", "Resources", "Outputs"]
    static let capabilities = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]
    static let streamModes = [StreamMode.provisioned.rawValue, StreamMode.onDemand.rawValue]
    static let encryptionTypes = ["KMS", "NONE"]
    static let deletionPolicies = [DeletionPolicy.delete.rawValue, DeletionPolicy.retain.rawValue]
    static let shardLevelMetrics = StreamSpec.allShardLevelMetrics + ["ALL"]

    static let shardCountRange = 1...100_000
    static let retentionRange = 24...8760
    static let maximumDescriptionLength = 1024
    /// CreateStream / UpdateMaxRecordSize `MaxRecordSizeInKiB` (AWS's API model).
    static let maxRecordSizeRange = 1024...10240
    /// `WarmThroughputMiBps`: at least 0 (the API model), at most 10 GiBps per on-demand stream (AWS's default
    /// limit, documented with UpdateStreamWarmThroughput).
    static let warmThroughputRange = 0...10240

    static func isStackName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first.isASCIILetter, name.utf8.count <= 128 else { return false }
        return name.utf8.allSatisfy { $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") }
    }

    /// Streams and consumers: `^[a-zA-Z0-9_.-]{1,128}$`.
    static func isStreamName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 128
            && name.utf8.allSatisfy {
                $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-")
            }
    }

    /// CloudFormation logical ids: `^[A-Za-z0-9]{1,255}$`.
    static func isLogicalId(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 255 && id.utf8.allSatisfy(\.isASCIIAlphanumeric)
    }
}
