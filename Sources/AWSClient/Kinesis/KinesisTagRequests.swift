import Formats

// Tag writes on a stream named by name (at most 10 tags per call).

public struct AddTagsToStreamInput: KinesisRequest {
    public var streamName: String
    public var tags: [String: String]

    public init(streamName: String, tags: [String: String]) {
        self.streamName = streamName
        self.tags = tags
    }

    public var operation: AWSOperation { .addTagsToStream }

    public var parameters: JSONValue {
        ["StreamName": .string(streamName), "Tags": TagEncoding.map(tags)]
    }
}

public struct RemoveTagsFromStreamInput: KinesisRequest {
    public var streamName: String
    public var tagKeys: [String]

    public init(streamName: String, tagKeys: [String]) {
        self.streamName = streamName
        self.tagKeys = tagKeys
    }

    public var operation: AWSOperation { .removeTagsFromStream }

    public var parameters: JSONValue {
        ["StreamName": .string(streamName), "TagKeys": .array(tagKeys.map(JSONValue.string))]
    }
}

/// Tags a Kinesis resource by ARN (reconcile: a consumer; Kinesis has no per-consumer tag call).
public struct TagResourceInput: KinesisRequest {
    public var resourceARN: String
    public var tags: [String: String]

    public init(resourceARN: String, tags: [String: String]) {
        self.resourceARN = resourceARN
        self.tags = tags
    }

    public var operation: AWSOperation { .tagResource }

    public var parameters: JSONValue { ["ResourceARN": .string(resourceARN), "Tags": TagEncoding.map(tags)] }
}

public struct UntagResourceInput: KinesisRequest {
    public var resourceARN: String
    public var tagKeys: [String]

    public init(resourceARN: String, tagKeys: [String]) {
        self.resourceARN = resourceARN
        self.tagKeys = tagKeys
    }

    public var operation: AWSOperation { .untagResource }

    public var parameters: JSONValue {
        ["ResourceARN": .string(resourceARN), "TagKeys": .array(tagKeys.map(JSONValue.string))]
    }
}
