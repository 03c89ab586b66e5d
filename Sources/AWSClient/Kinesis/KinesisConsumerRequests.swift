import Formats

// Enhanced fan-out consumer writes.

/// Registers a consumer on the stream named by ARN; AWS answers with the consumer (`CREATING`).
public struct RegisterStreamConsumerInput: KinesisRequest {
    public var streamARN: String
    public var consumerName: String
    /// Sent only when there are any.
    public var tags: [String: String]

    public init(streamARN: String, consumerName: String, tags: [String: String] = [:]) {
        self.streamARN = streamARN
        self.consumerName = consumerName
        self.tags = tags
    }

    public var operation: AWSOperation { .registerStreamConsumer }

    public var parameters: JSONValue {
        var parameters: [String: JSONValue] = ["StreamARN": .string(streamARN), "ConsumerName": .string(consumerName)]
        if !tags.isEmpty { parameters["Tags"] = TagEncoding.map(tags) }
        return .object(parameters)
    }
}

public struct DeregisterStreamConsumerInput: KinesisRequest {
    public var consumerARN: String

    public init(consumerARN: String) { self.consumerARN = consumerARN }

    public var operation: AWSOperation { .deregisterStreamConsumer }

    public var parameters: JSONValue { ["ConsumerARN": .string(consumerARN)] }
}
