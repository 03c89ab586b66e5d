/// A YAML node with its source location, converted out of Yams right after parsing.
///
/// Yams' `Node` is not `Sendable`, and its marks are easy to lose in conversion;
/// this value keeps a location on every scalar, sequence, mapping and key so every
/// diagnostic can point at the offending text.
public struct YAMLNode: Sendable, Hashable {
    public enum Content: Sendable, Hashable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var content: Content
    public var location: SourceLocation
    /// An explicit tag on a list or mapping (`!Join [...]`); scalars keep theirs in `YAMLScalar`.
    public var collectionTag: String?

    public init(_ content: Content, at location: SourceLocation, collectionTag: String? = nil) {
        self.content = content
        self.location = location
        self.collectionTag = collectionTag
    }

    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    public var mapping: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// True for an empty document or a `~`/`null`/empty plain scalar.
    public var isNull: Bool { scalar?.resolvedType == .null }

    /// What the node is, for "expected a mapping, found a sequence" messages.
    public var typeDescription: String {
        switch content {
        case .scalar(let scalar): scalar.resolvedType.description
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }
}

/// One `key: value` entry of a mapping, keys in source order.
public struct YAMLPair: Sendable, Hashable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}

/// A scalar's text as written, with what is needed to resolve its type.
public struct YAMLScalar: Sendable, Hashable {
    public enum ResolvedType: Sendable, Hashable, CustomStringConvertible {
        case null, bool, int, float, string

        public var description: String {
            switch self {
            case .null: "null"
            case .bool: "a boolean"
            case .int: "an integer"
            case .float: "a number"
            case .string: "a string"
            }
        }
    }

    /// The scalar's value text (quotes and escapes already processed).
    public var text: String
    /// Plain (unquoted, not a block scalar): only plain scalars resolve to non-strings.
    public var isPlain: Bool
    /// An explicit tag as written (`!Ref`, `tag:yaml.org,2002:str`); nil when implicit.
    public var tag: String?

    public init(text: String, isPlain: Bool, tag: String? = nil) {
        self.text = text
        self.isPlain = isPlain
        self.tag = tag
    }

    /// The YAML 1.2 core schema resolution of the scalar (explicit standard tags win).
    public var resolvedType: ResolvedType {
        switch tag {
        case "tag:yaml.org,2002:str": return .string
        case "tag:yaml.org,2002:int": return .int
        case "tag:yaml.org,2002:float": return .float
        case "tag:yaml.org,2002:bool": return .bool
        case "tag:yaml.org,2002:null": return .null
        case .some: return .string
        case .none: break
        }
        guard isPlain else { return .string }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE", "false", "False", "FALSE": return .bool
        default: break
        }
        if integerValue != nil { return .int }
        if floatValue != nil { return .float }
        return .string
    }

    /// Decimal, `0x` hexadecimal or `0o` octal integers, as the core schema reads them.
    public var integerValue: Int? {
        var text = Substring(self.text)
        if text.hasPrefix("0x") { return Int(text.dropFirst(2), radix: 16) }
        if text.hasPrefix("0o") { return Int(text.dropFirst(2), radix: 8) }
        if text.hasPrefix("+") { text = text.dropFirst() }
        guard !text.isEmpty, text.utf8.allSatisfy({ $0.isASCIIDigit || $0 == UInt8(ascii: "-") }),
            text.utf8.dropFirst().allSatisfy({ $0 != UInt8(ascii: "-") })
        else { return nil }
        return Int(text)
    }

    private static let floatSymbols = Array("+-.eE".utf8)

    public var floatValue: Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        guard text.utf8.contains(where: \.isASCIIDigit),
            text.utf8.allSatisfy({ $0.isASCIIDigit || Self.floatSymbols.contains($0) })
        else { return nil }
        return Double(text)
    }

    public var boolValue: Bool? {
        switch text {
        case "true", "True", "TRUE": true
        case "false", "False", "FALSE": false
        default: nil
        }
    }
}
