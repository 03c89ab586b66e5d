/// Why a change loses data or availability, in the words plans show a reviewer.
public enum DestructiveReason: Sendable, Hashable, CustomStringConvertible {
    case streamDeleted
    case consumerDeregistered
    case stackDeleted
    case failedStackRecreated
    case retentionDecreased(fromHours: Int, toHours: Int)
    case encryptionRemoved

    public var description: String {
        switch self {
        case .streamDeleted: "stream deleted with its data"
        case .consumerDeregistered: "consumer deregistered"
        case .stackDeleted: "stack and every resource in it deleted"
        case .failedStackRecreated: "failed stack deleted and created again"
        case .retentionDecreased(let from, let to):
            "retention decreased \(from)h → \(to)h: older records become unreadable"
        case .encryptionRemoved: "encryption removed: new records are stored unencrypted"
        }
    }

    /// The reason a deletion of this kind of resource has.
    static func deletion(of kind: ResourceKind) -> DestructiveReason {
        switch kind {
        case .stack: .stackDeleted
        case .stream: .streamDeleted
        case .streamConsumer: .consumerDeregistered
        }
    }

    /// Reads the plan document's text back; nil for text no plan writes.
    init?(text: String) {
        let fixed: [DestructiveReason] = [
            .streamDeleted, .consumerDeregistered, .stackDeleted, .failedStackRecreated, .encryptionRemoved
        ]
        if let match = fixed.first(where: { $0.description == text }) {
            self = match
            return
        }
        let prefix = "retention decreased "
        let suffix = "h: older records become unreadable"
        guard text.hasPrefix(prefix), text.hasSuffix(suffix) else { return nil }
        let hours = text.dropFirst(prefix.count).dropLast(suffix.count).components(separatedBy: "h → ")
        guard hours.count == 2, let from = Int(hours[0]), let to = Int(hours[1]) else { return nil }
        self = .retentionDecreased(fromHours: from, toHours: to)
    }
}

extension DestructiveReason: Codable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = DestructiveReason(text: text) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "unknown reason '\(text)'"))
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
