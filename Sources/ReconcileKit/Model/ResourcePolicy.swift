import Formats
import Foundation

/// A Kinesis resource-based policy (`spec.resourcePolicy`): an IAM policy document attached to a
/// stream or a consumer. Held as JSON; compared by meaning, not by spelling.
public struct ResourcePolicy: Sendable, Hashable {
    /// The largest document reconcile sends, in bytes of its compact JSON. The Kinesis API reference gives
    /// no size for `PutResourcePolicy`'s `Policy` (a plain string); AWS's resource-based policies elsewhere
    /// (DynamoDB's `PutResourcePolicy`: "The maximum size supported for a resource-based policy document is
    /// 20 KB") stop at 20 KB, and that is the limit validate applies, so that an oversized document fails
    /// before any call rather than halfway through an apply.
    public static let maximumBytes = 20_480

    /// The document as declared (or as AWS returned it).
    public var document: JSONValue

    public init(document: JSONValue) { self.document = document }

    /// Parses `GetResourcePolicy`'s `Policy` string; nil when it holds no policy (`""`, `{}`) or no JSON.
    public init?(policyText text: String) {
        guard let document = try? JSONValue.parse(Data(text.utf8)), case .object(let members) = document,
            !members.isEmpty
        else { return nil }
        self.document = document
    }

    /// What `PutResourcePolicy` sends: compact JSON, keys sorted, so the same document is always the same text.
    public var policyText: String { document.serializedString() }

    /// The statements, each as a list of one (a single statement written as a mapping).
    public var statements: [ResourcePolicyStatement] {
        let items: [JSONValue]
        switch document["Statement"] {
        case .array(let list)?: items = list
        case .object(let single)?: items = [.object(single)]
        default: items = []
        }
        return items.map(ResourcePolicyStatement.init(json:))
    }

    /// True when both grant the same: statements compared as a set, after `ResourcePolicyStatement`'s normalisation.
    public func isEquivalent(to other: ResourcePolicy) -> Bool {
        Set(statements.map(\.normalized)) == Set(other.statements.map(\.normalized))
            && (document["Version"] ?? "2008-10-17") == (other.document["Version"] ?? "2008-10-17")
            && document["Id"] == other.document["Id"]
    }
}

/// One statement of a resource policy, with the normalisation AWS applies: a single value and a list of one
/// mean the same (`"Action": "kinesis:PutRecord"` is `["kinesis:PutRecord"]`), value order does not matter,
/// and an account id principal is that account's root (`"123456789012"` is `arn:aws:iam::123456789012:root`).
public struct ResourcePolicyStatement: Sendable, Hashable {
    public var json: JSONValue

    public init(json: JSONValue) { self.json = json }

    public var sid: String? { json["Sid"]?.stringValue }
    public var effect: String { json["Effect"]?.stringValue ?? "" }

    /// The statement with every list-valued element as a sorted list of unique values.
    public var normalized: JSONValue {
        guard case .object(var members) = json else { return json }
        for key in ["Action", "NotAction", "Resource", "NotResource"] {
            if let value = members[key] { members[key] = Self.sortedList(value) }
        }
        for key in ["Principal", "NotPrincipal"] {
            if let value = members[key] { members[key] = Self.normalizedPrincipal(value) }
        }
        if case .object(let operators)? = members["Condition"] {
            members["Condition"] = .object(
                operators.mapValues { keys in
                    guard case .object(let byKey) = keys else { return keys }
                    return .object(byKey.mapValues(Self.sortedList))
                })
        }
        return .object(members)
    }

    /// The principals this statement names, as `TYPE:value` (`AWS:arn:aws:iam::123456789012:root`, `*`).
    public var principals: [String] {
        switch normalized["Principal"] {
        case .string(let any)?: return [any]
        case .object(let byType)?:
            return byType.sorted { $0.key < $1.key }.flatMap { type, values in
                (values.arrayValue ?? []).compactMap(\.stringValue).map { "\(type):\($0)" }
            }
        default: return []
        }
    }

    static func sortedList(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items):
            let texts = items.map { $0.stringValue ?? $0.serializedString() }
            return .array(Set(texts).sorted().map(JSONValue.string))
        case .string, .int, .bool, .double:
            return .array([.string(value.stringValue ?? value.serializedString())])
        default:
            return value
        }
    }

    static func normalizedPrincipal(_ value: JSONValue) -> JSONValue {
        guard case .object(let byType) = value else { return value }
        return .object(
            byType.mapValues { values in
                guard case .array(let list) = sortedList(values) else { return values }
                let accounts = list.map { item -> JSONValue in
                    guard let text = item.stringValue, text.count == 12, text.allSatisfy(\.isNumber) else {
                        return item
                    }
                    return .string("arn:aws:iam::\(text):root")
                }
                return sortedList(.array(accounts))
            })
    }
}

/// Live state and plan documents hold the document as it is.
extension ResourcePolicy: Codable {
    public init(from decoder: Decoder) throws {
        self.init(document: try JSONValue(from: decoder))
    }

    public func encode(to encoder: Encoder) throws { try document.encode(to: encoder) }
}
