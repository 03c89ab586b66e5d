import Formats

/// How a stack's template, parameters and tags differ from the deployed ones, and which of
/// its resources are Kinesis members (shown as changes of their own).
extension PlanBuilder {
    static let kinesisStreamType = "AWS::Kinesis::Stream"
    static let kinesisConsumerType = "AWS::Kinesis::StreamConsumer"

    func isKinesisMember(_ resource: JSONValue) -> Bool {
        let type = resource["Type"]?.stringValue
        return type == Self.kinesisStreamType || type == Self.kinesisConsumerType
    }

    func memberAddress(logicalId: String, resource: JSONValue) -> ResourceAddress {
        if resource["Type"]?.stringValue == Self.kinesisStreamType {
            return .stream(resource["Properties"]?["Name"]?.stringValue ?? logicalId)
        }
        return .consumer(resource["Properties"]?["ConsumerName"]?.stringValue ?? logicalId)
    }

    static func addingResources(_ extra: [String: JSONValue], to template: JSONValue) -> JSONValue {
        guard !extra.isEmpty, var root = template.objectValue else { return template }
        var resources = root["Resources"]?.objectValue ?? [:]
        resources.merge(extra) { declared, _ in declared }
        root["Resources"] = .object(resources)
        return .object(root)
    }

    /// Pass-through differences between two templates, section by section, leaving out
    /// Kinesis members (they are shown as their own changes).
    static func templateDifferences(from old: JSONValue, to new: JSONValue) -> [PropertyChange] {
        var result: [PropertyChange] = []
        if old["Description"] != new["Description"] {
            result.append(
                PropertyChange(
                    path: "description", before: old["Description"] ?? .null, after: new["Description"] ?? .null))
        }
        for section in ManifestVocabulary.templateSections {
            let before = old[section]?.objectValue ?? [:]
            let after = new[section]?.objectValue ?? [:]
            for key in Set(before.keys).union(after.keys).sorted() where before[key] != after[key] {
                let type = (after[key] ?? before[key])?["Type"]?.stringValue
                if section == "Resources" && (type == kinesisStreamType || type == kinesisConsumerType) { continue }
                result.append(
                    PropertyChange(
                        path: "template.\(section).\(key)", before: before[key] ?? .null, after: after[key] ?? .null))
            }
        }
        return result
    }

    static func mapDifferences(_ prefix: String, from old: [String: String], to new: [String: String])
        -> [PropertyChange]
    {
        Set(old.keys).union(new.keys).sorted().compactMap { key in
            old[key] == new[key]
                ? nil
                : PropertyChange(
                    path: "\(prefix).\(key)", before: old[key].map(JSONValue.string) ?? .null,
                    after: new[key].map(JSONValue.string) ?? .null)
        }
    }

    static func describe(_ stackProperties: [PropertyChange], _ members: [ResourceChange]) -> String {
        var parts = stackProperties.map(\.path)
        parts += members.filter { $0.action != .noop }.map { "\($0.action.rawValue) \($0.address)" }
        return parts.isEmpty ? "template, parameters or tags differ" : parts.joined(separator: ", ")
    }
}
