import Formats

/// One resource of a `GetResources` answer: its ARN and every tag it has.
public struct TaggedResource: Sendable, Hashable {
    public var arn: String
    public var tags: [String: String]

    public init(arn: String, tags: [String: String]) {
        self.arn = arn
        self.tags = tags
    }

    /// Reads one `ResourceTagMappingList` entry (`{ResourceARN, Tags: [{Key, Value}]}`).
    init?(json: JSONValue) {
        guard let arn = json["ResourceARN"]?.stringValue else { return nil }
        var tags: [String: String] = [:]
        for tag in json["Tags"]?.arrayValue ?? [] {
            if let key = tag["Key"]?.stringValue { tags[key] = tag["Value"]?.stringValue ?? "" }
        }
        self.init(arn: arn, tags: tags)
    }
}

/// A `TagFilters` entry: resources with tag `key`, and (when `values` is not empty) one of those values.
public struct TagFilter: Sendable, Hashable {
    public var key: String
    public var values: [String]

    public init(key: String, values: [String] = []) {
        self.key = key
        self.values = values
    }

    var json: JSONValue {
        var object: [String: JSONValue] = ["Key": .string(key)]
        if !values.isEmpty { object["Values"] = .array(values.map(JSONValue.string)) }
        return .object(object)
    }
}

/// The `ResourceTypeFilters` reconcile reads (`service:resourceType`, as the Tagging API names them).
public enum TaggedResourceType: String, Sendable, Hashable, CaseIterable {
    case kinesisStream = "kinesis:stream"
}
