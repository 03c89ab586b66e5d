import AWSClient
import Formats

/// Reads a stack's pass-through CloudFormation fragment into JSON, turning the YAML
/// short forms of intrinsic functions (`!Ref X`, `!GetAtt A.B`, `!Sub …`) into their
/// JSON forms.
struct TemplateFragmentReader {
    static let shortFormFunctions: [String: String] = [
        "!Ref": "Ref", "!Condition": "Condition", "!GetAtt": "Fn::GetAtt", "!Sub": "Fn::Sub", "!Join": "Fn::Join",
        "!Select": "Fn::Select", "!Split": "Fn::Split", "!FindInMap": "Fn::FindInMap", "!If": "Fn::If",
        "!Equals": "Fn::Equals", "!Not": "Fn::Not", "!And": "Fn::And", "!Or": "Fn::Or", "!Base64": "Fn::Base64",
        "!Cidr": "Fn::Cidr", "!GetAZs": "Fn::GetAZs", "!ImportValue": "Fn::ImportValue", "!Length": "Fn::Length",
        "!ToJsonString": "Fn::ToJsonString", "!Transform": "Fn::Transform"
    ]

    struct Result {
        var sections: [String: JSONValue] = [:]
        var logicalIds: [Located<String>] = []
        var parameterNames: [String: Located<String>] = [:]
        /// Parameters declared without a `Default`.
        var parametersWithoutDefault: [Located<String>] = []
    }

    static func read(_ node: YAMLNode, path: String, diagnostics: inout DiagnosticCollector) -> Result {
        var result = Result()
        guard let fragment = FieldReader(node, path: path, diagnostics: &diagnostics) else { return result }
        fragment.rejectUnknownKeys(
            allowed: ManifestVocabulary.templateSections,
            misplaced: [
                "Description": "\(path).Description is not allowed: the description comes from spec.description",
                "AWSTemplateFormatVersion": "\(path).AWSTemplateFormatVersion is not allowed: reconcile sets it",
                "Transform":
                    "\(path).Transform is not supported: only Parameters, Rules, Conditions, Mappings, Resources and Outputs"
            ],
            diagnostics: &diagnostics)
        for section in ManifestVocabulary.templateSections {
            guard let sectionNode = fragment.value(section) else { continue }
            let sectionPath = "\(path).\(section)"
            guard let entries = sectionNode.mapping else {
                diagnostics.error(
                    at: sectionNode.location, "\(sectionPath) must be a mapping, found \(sectionNode.typeDescription)")
                continue
            }
            var members: [String: JSONValue] = [:]
            for entry in entries {
                guard let name = entry.key.scalar?.text else { continue }
                let located = Located(value: name, location: entry.key.location)
                if section == "Resources" || section == "Parameters" {
                    if !ManifestVocabulary.isLogicalId(name) {
                        diagnostics.error(
                            at: entry.key.location,
                            "logical id '\(name)' in \(sectionPath) must be 1 to 255 letters and digits")
                    }
                    result.logicalIds.append(located)
                }
                if section == "Resources" {
                    checkResource(entry.value, path: "\(sectionPath).\(name)", diagnostics: &diagnostics)
                }
                if section == "Parameters" {
                    result.parameterNames[name] = located
                    if entry.value.mapping == nil {
                        diagnostics.error(
                            at: entry.value.location,
                            "\(sectionPath).\(name) must be a mapping, found \(entry.value.typeDescription)")
                    } else if entry.value.mapping?.contains(where: { $0.key.scalar?.text == "Default" }) == false {
                        result.parametersWithoutDefault.append(located)
                    }
                }
                if let value = json(from: entry.value, diagnostics: &diagnostics) { members[name] = value }
            }
            result.sections[section] = .object(members)
        }
        return result
    }

    private static func checkResource(_ node: YAMLNode, path: String, diagnostics: inout DiagnosticCollector) {
        guard let resource = FieldReader(node, path: path, diagnostics: &diagnostics) else { return }
        guard let type = resource.required("Type", diagnostics: &diagnostics) else { return }
        guard let text = type.scalar?.text, type.scalar?.resolvedType == .string, text.contains("::") else {
            diagnostics.error(at: type.location, "\(path).Type must be a resource type such as AWS::SNS::Topic")
            return
        }
    }

    /// YAML to JSON with types resolved; nil (after reporting) for unsupported tags.
    static func json(from node: YAMLNode, diagnostics: inout DiagnosticCollector) -> JSONValue? {
        switch node.content {
        case .scalar(let scalar):
            if let tag = scalar.tag, let function = shortFormFunctions[tag] {
                if function == "Fn::GetAtt" {
                    let parts = scalar.text.split(separator: ".", maxSplits: 1).map { JSONValue.string(String($0)) }
                    return .object([function: .array(parts)])
                }
                return .object([function: .string(scalar.text)])
            }
            if let tag = scalar.tag, !tag.hasPrefix("tag:yaml.org,2002:") {
                diagnostics.error(at: node.location, "unsupported YAML tag '\(tag)'")
                return nil
            }
            switch scalar.resolvedType {
            case .null: return .null
            case .bool: return scalar.boolValue.map(JSONValue.bool) ?? .string(scalar.text)
            case .int: return scalar.integerValue.map(JSONValue.int) ?? .string(scalar.text)
            case .float:
                guard let number = scalar.floatValue, number.isFinite else { return .string(scalar.text) }
                return .double(number)
            case .string: return .string(scalar.text)
            }
        case .sequence(let items):
            var values: [JSONValue] = []
            for item in items {
                if let value = json(from: item, diagnostics: &diagnostics) { values.append(value) }
            }
            return wrap(.array(values), node: node, diagnostics: &diagnostics)
        case .mapping(let pairs):
            var members: [String: JSONValue] = [:]
            for pair in pairs {
                guard let key = pair.key.scalar?.text else { continue }
                if let value = json(from: pair.value, diagnostics: &diagnostics) { members[key] = value }
            }
            return wrap(.object(members), node: node, diagnostics: &diagnostics)
        }
    }

    /// `!Join [",", [a, b]]` → `{"Fn::Join": [",", ["a", "b"]]}`.
    private static func wrap(_ value: JSONValue, node: YAMLNode, diagnostics: inout DiagnosticCollector) -> JSONValue? {
        guard let tag = node.collectionTag, !tag.hasPrefix("tag:yaml.org,2002:") else { return value }
        guard let function = shortFormFunctions[tag] else {
            diagnostics.error(at: node.location, "unsupported YAML tag '\(tag)'")
            return nil
        }
        return .object([function: value])
    }
}
