import AWSClient
import Formats

/// One AWS write call: a typed action on one resource, after the steps it depends on.
public struct PlanStep: Sendable, Hashable {
    public var index: Int
    public var action: StepAction
    public var address: ResourceAddress
    public var region: String
    public var dependsOn: [Int]
    public var reason: String

    public init(
        index: Int, action: StepAction, address: ResourceAddress, region: String, dependsOn: [Int] = [],
        reason: String
    ) {
        self.index = index
        self.action = action
        self.address = address
        self.region = region
        self.dependsOn = dependsOn
        self.reason = reason
    }

    /// `service:Operation`, e.g. `kinesis:UpdateShardCount`.
    public var operation: String { action.operation.description }

    /// Botocore-shaped parameters as the plan document shows them (a reference as `${…}`).
    public var parameters: JSONValue { action.documentParameters }
}

/// A parameter value that exists only once an earlier step of the same apply has run.
public enum StepReference: Sendable, Hashable, CustomStringConvertible {
    /// The ARN of a stream the plan creates.
    case streamARN(stream: String)
    /// The ARN of a consumer the plan registers.
    case consumerARN(stream: String, consumer: String)

    /// `Stream/NAME.StreamARN`, `Stream/NAME/consumer/CONSUMER.ConsumerARN`
    public var description: String {
        switch self {
        case .streamARN(let stream): "Stream/\(stream).StreamARN"
        case .consumerARN(let stream, let consumer): "Stream/\(stream)/consumer/\(consumer).ConsumerARN"
        }
    }

    /// How the plan document writes it: `${Stream/NAME.StreamARN}`.
    public var documentText: String { "${\(description)}" }

    /// Reads the document's form back (a real ARN never has it).
    init?(documentText text: String) {
        let prefix = "${Stream/"
        guard text.hasPrefix(prefix), text.hasSuffix("}") else { return nil }
        for suffix in [".StreamARN}", ".ConsumerARN}"] where text.hasSuffix(suffix) {
            guard text.count > prefix.count + suffix.count else { return nil }
            let middle = String(text.dropFirst(prefix.count).dropLast(suffix.count))
            if suffix == ".StreamARN}" {
                self = .streamARN(stream: middle)
                return
            }
            let parts = middle.components(separatedBy: "/consumer/")
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
            self = .consumerARN(stream: parts[0], consumer: parts[1])
            return
        }
        return nil
    }
}

/// The document keeps formatVersion 1's shape: `operation` plus botocore-shaped `parameters`
/// (a reference as `${…}` text), read back into a typed action.
extension PlanStep: Codable {
    enum CodingKeys: String, CodingKey {
        case index, operation, address, region, parameters, dependsOn, reason
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let action: StepAction
        do {
            action = try StepAction(
                operation: try container.decode(String.self, forKey: .operation),
                parameters: try container.decode(JSONValue.self, forKey: .parameters))
        } catch let error as StepDecodingError {
            throw DecodingError.dataCorruptedError(
                forKey: .parameters, in: container, debugDescription: error.description)
        }
        self.init(
            index: try container.decode(Int.self, forKey: .index), action: action,
            address: try container.decode(ResourceAddress.self, forKey: .address),
            region: try container.decode(String.self, forKey: .region),
            dependsOn: try container.decode([Int].self, forKey: .dependsOn),
            reason: try container.decode(String.self, forKey: .reason))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(index, forKey: .index)
        try container.encode(operation, forKey: .operation)
        try container.encode(address, forKey: .address)
        try container.encode(region, forKey: .region)
        try container.encode(parameters, forKey: .parameters)
        try container.encode(dependsOn, forKey: .dependsOn)
        try container.encode(reason, forKey: .reason)
    }
}
