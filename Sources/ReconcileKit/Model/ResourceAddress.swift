/// The kinds of resource a manifest can declare.
public enum ResourceKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case stack = "Stack"
    case stream = "Stream"
    case streamConsumer = "StreamConsumer"

    public static func < (lhs: ResourceKind, rhs: ResourceKind) -> Bool {
        lhs.order < rhs.order
    }

    private var order: Int {
        switch self {
        case .stack: 0
        case .stream: 1
        case .streamConsumer: 2
        }
    }
}

/// `Kind/name`, the identity of a declared resource (e.g. `Stream/xyz-kinesis-data-stream`).
public struct ResourceAddress: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public var kind: ResourceKind
    public var name: String

    public init(kind: ResourceKind, name: String) {
        self.kind = kind
        self.name = name
    }

    /// Parses `Kind/name`; nil when the kind is unknown or the name empty.
    public init?(parsing text: String) {
        guard let slash = text.firstIndex(of: "/"),
            let kind = ResourceKind(rawValue: String(text[..<slash]))
        else { return nil }
        let name = String(text[text.index(after: slash)...])
        guard !name.isEmpty else { return nil }
        self.init(kind: kind, name: name)
    }

    public var description: String { "\(kind.rawValue)/\(name)" }

    public static func stack(_ name: String) -> ResourceAddress { .init(kind: .stack, name: name) }
    public static func stream(_ name: String) -> ResourceAddress { .init(kind: .stream, name: name) }
    public static func consumer(_ name: String) -> ResourceAddress { .init(kind: .streamConsumer, name: name) }

    public static func < (lhs: ResourceAddress, rhs: ResourceAddress) -> Bool {
        (lhs.kind, lhs.name) < (rhs.kind, rhs.name)
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = ResourceAddress(parsing: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not an address: \(text)"))
        }
        self = parsed
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
