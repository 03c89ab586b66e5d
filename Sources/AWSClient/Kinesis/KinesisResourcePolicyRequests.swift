import Formats

// Resource policies of streams and consumers (the ARN says which).

/// Attaches a policy document (JSON text) to a stream or consumer, replacing any earlier one.
public struct PutResourcePolicyInput: KinesisRequest {
    public var resourceARN: String
    public var policy: String

    public init(resourceARN: String, policy: String) {
        self.resourceARN = resourceARN
        self.policy = policy
    }

    public var operation: AWSOperation { .putResourcePolicy }

    public var parameters: JSONValue { ["ResourceARN": .string(resourceARN), "Policy": .string(policy)] }
}

public struct DeleteResourcePolicyInput: KinesisRequest {
    public var resourceARN: String

    public init(resourceARN: String) { self.resourceARN = resourceARN }

    public var operation: AWSOperation { .deleteResourcePolicy }

    public var parameters: JSONValue { ["ResourceARN": .string(resourceARN)] }
}
