import Formats

/// The two shapes AWS APIs take tags in.
public enum TagEncoding {
    /// `{"key": "value", …}`: Kinesis' tag maps (CreateStream, AddTagsToStream, TagResource, …).
    public static func map(_ tags: [String: String]) -> JSONValue { .object(tags.mapValues(JSONValue.string)) }

    /// `[{"Key": …, "Value": …}, …]` sorted by key: CloudFormation's stacks and resource properties.
    public static func keyValueList(_ tags: [String: String]) -> JSONValue {
        .array(tags.sorted { $0.key < $1.key }.map { ["Key": .string($0.key), "Value": .string($0.value)] })
    }
}
