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
        ["StreamName": .string(streamName), "Tags": .object(tags.mapValues(JSONValue.string))]
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
