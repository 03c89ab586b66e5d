import Formats

// Enhanced fan-out consumer writes.

/// Registers a consumer on the stream named by ARN; AWS answers with the consumer (`CREATING`).
public struct RegisterStreamConsumerInput: KinesisRequest {
    public var streamARN: String
    public var consumerName: String

    public init(streamARN: String, consumerName: String) {
        self.streamARN = streamARN
        self.consumerName = consumerName
    }

    public var operation: AWSOperation { .registerStreamConsumer }

    public var parameters: JSONValue { ["StreamARN": .string(streamARN), "ConsumerName": .string(consumerName)] }
}

public struct DeregisterStreamConsumerInput: KinesisRequest {
    public var consumerARN: String

    public init(consumerARN: String) { self.consumerARN = consumerARN }

    public var operation: AWSOperation { .deregisterStreamConsumer }

    public var parameters: JSONValue { ["ConsumerARN": .string(consumerARN)] }
}
