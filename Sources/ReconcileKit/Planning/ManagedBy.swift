/// Who changes a resource, as plans show it: `cloudformation` for a stack itself,
/// `Stack/NAME` for a member of a stack, `kinesis` for a directly managed stream or consumer.
public enum ManagedBy: Sendable, Hashable, CustomStringConvertible {
    case cloudFormation
    case stack(String)
    case kinesis

    public var description: String {
        switch self {
        case .cloudFormation: "cloudformation"
        case .stack(let name): "Stack/\(name)"
        case .kinesis: "kinesis"
        }
    }

    /// Reads the plan document's text back; nil for text no plan writes.
    init?(text: String) {
        switch text {
        case "cloudformation": self = .cloudFormation
        case "kinesis": self = .kinesis
        case let member where member.hasPrefix("Stack/") && member.count > "Stack/".count:
            self = .stack(String(member.dropFirst("Stack/".count)))
        default: return nil
        }
    }
}

extension ManagedBy: Codable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = ManagedBy(text: text) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "unknown managedBy '\(text)'"))
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
