import AWSClient
import Formats

/// What `export --drop-cdk-metadata` leaves out of a CDK stack's pass-through template:
/// the `AWS::CDK::Metadata` resource, the `BootstrapVersion` SSM parameter and the
/// `CheckBootstrapVersion` rule, then every condition nothing refers to any more.
/// None of them holds data; the plan lists each removal.
struct CDKLeftovers {
    static let metadataType = "AWS::CDK::Metadata"
    static let bootstrapParameter = "BootstrapVersion"
    static let bootstrapRule = "CheckBootstrapVersion"

    /// Template sections by name, each a map of entries by logical ID.
    var sections: [String: [String: JSONValue]]
    var parameters: [String: String]
    /// `Section.Name` of each entry left out, in order.
    private(set) var removed: [String] = []

    mutating func remove() {
        for (logicalId, resource) in (sections["Resources"] ?? [:]).sorted(by: { $0.key < $1.key })
        where resource["Type"]?.stringValue == Self.metadataType {
            drop("Resources", logicalId)
        }
        if sections["Rules"]?[Self.bootstrapRule] != nil { drop("Rules", Self.bootstrapRule) }
        let declared = sections["Parameters"]?[Self.bootstrapParameter]
        if declared?["Default"]?.stringValue?.hasPrefix("/cdk-bootstrap/") == true,
            !Self.references(in: .object(sections.mapValues(JSONValue.object))).refs.contains(Self.bootstrapParameter)
        {
            drop("Parameters", Self.bootstrapParameter)
            parameters[Self.bootstrapParameter] = nil
        }
        let used = usedConditions()
        for name in (sections["Conditions"] ?? [:]).keys.sorted() where !used.contains(name) {
            drop("Conditions", name)
        }
    }

    private mutating func drop(_ section: String, _ name: String) {
        sections[section]?[name] = nil
        if sections[section]?.isEmpty == true { sections[section] = nil }
        removed.append("\(section).\(name)")
    }

    /// Conditions named from resources, outputs and rules, and those they name in turn.
    func usedConditions() -> Set<String> {
        let conditions = sections["Conditions"] ?? [:]
        let users = sections.filter { $0.key != "Conditions" }
        var used = Self.references(in: .object(users.mapValues(JSONValue.object))).conditions
        var pending = Array(used)
        while let name = pending.popLast() {
            for next in Self.references(in: conditions[name] ?? .null).conditions where !used.contains(next) {
                used.insert(next)
                pending.append(next)
            }
        }
        return used
    }

    /// Condition names (`Condition: X`, `Fn::If [X, …]`) and `Ref` targets inside a value.
    static func references(in value: JSONValue) -> (conditions: Set<String>, refs: Set<String>) {
        var conditions: Set<String> = []
        var refs: Set<String> = []
        func walk(_ value: JSONValue) {
            switch value {
            case .object(let members):
                for (key, member) in members {
                    if key == "Condition", let name = member.stringValue { conditions.insert(name) }
                    if key == "Ref", let name = member.stringValue { refs.insert(name) }
                    if key == "Fn::If", let name = member.arrayValue?.first?.stringValue { conditions.insert(name) }
                    walk(member)
                }
            case .array(let items):
                items.forEach(walk)
            default:
                break
            }
        }
        walk(value)
        return (conditions, refs)
    }
}
