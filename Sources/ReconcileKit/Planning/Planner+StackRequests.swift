import AWSClient
import Crypto
import Formats
import Foundation

/// What CreateStack and UpdateStack send, and the token that makes a retry safe.
extension PlanBuilder {
    /// The request of the next step (its index is part of the token).
    func stackRequest(
        _ spec: StackSpec, template: JSONValue, tags: [String: String], protect: Bool, fingerprint: String
    ) -> StackRequest {
        var request = StackRequest(
            stack: spec.name, templateBody: TemplateSynthesizer.render(template), tags: tags,
            parameters: spec.parameters, capabilities: spec.capabilities, enableTerminationProtection: protect,
            clientRequestToken: "")
        request.clientRequestToken = Self.requestToken(
            spec.name, steps.count, fingerprint, request.membersWithoutToken)
        return request
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
