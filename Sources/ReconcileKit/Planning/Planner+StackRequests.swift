import Crypto
import Formats
import Foundation

/// What CreateStack and UpdateStack send, and the token that makes a retry safe.
extension PlanBuilder {
    func stackParameters(_ spec: StackSpec, template: JSONValue, tags: [String: String]) -> [String: JSONValue] {
        var parameters: [String: JSONValue] = [
            "StackName": .string(spec.name),
            "TemplateBody": .string(TemplateSynthesizer.render(template)),
            "Tags": TagParameters.cloudFormationList(tags),
        ]
        if !spec.parameters.isEmpty {
            parameters["Parameters"] = .array(
                spec.parameters.sorted { $0.key < $1.key }.map {
                    ["ParameterKey": .string($0.key), "ParameterValue": .string($0.value)]
                })
        }
        if !spec.capabilities.isEmpty { parameters["Capabilities"] = .array(spec.capabilities.sorted().map(JSONValue.string)) }
        return parameters
    }

    /// A CloudFormation ClientRequestToken derived from the stack, the step and everything the
    /// request sends (template, parameters, tags, capabilities, termination protection), so a
    /// retried request is recognised by CloudFormation and never acts twice, while a request that
    /// differs in anything gets a token of its own.
    static func requestToken(
        _ stack: String, _ step: Int, _ fingerprint: String, _ request: [String: JSONValue]
    ) -> String {
        var hasher = SHA256()
        hasher.update(data: Data("\(stack)\n\(step)\n\(fingerprint)\n".utf8))
        hasher.update(data: JSONValue.object(request).serialized())
        let digest = hasher.finalize().lowercaseHex
        return "reconcile-\(digest.prefix(40))"
    }
}
