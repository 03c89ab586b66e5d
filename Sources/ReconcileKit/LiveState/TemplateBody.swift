import AWSClient
import Formats
import Foundation
import Yams

/// Deployed template bodies, JSON or YAML, as `JSONValue` for structural comparison.
enum TemplateBody {
    static func parse(_ body: String) -> JSONValue? {
        if let json = try? JSONValue.parse(Data(body.utf8)) { return json }
        guard let node = try? Yams.compose(yaml: body) else { return nil }
        return convert(node)
    }

    private static func convert(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain {
                if let int = Int(scalar.string) { return .int(int) }
                if let double = Double(scalar.string), scalar.string.contains(".") { return .double(double) }
                if ["true", "false"].contains(scalar.string) { return .bool(scalar.string == "true") }
                if ["null", "~", ""].contains(scalar.string) { return .null }
            }
            return .string(scalar.string)
        case .sequence(let sequence):
            return .array(sequence.map(convert))
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping { object[key.string ?? ""] = convert(value) }
            return .object(object)
        case .alias:
            return .null
        }
    }
}
