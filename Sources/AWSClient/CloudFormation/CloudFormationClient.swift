import Formats
import Foundation

/// CloudFormation over the Query protocol (version 2010-05-15) in one region.
public struct CloudFormationClient: ServiceClient {
    let endpoint: ServiceEndpoint

    static let wire = QueryProtocol(version: "2010-05-15")

    /// A typed write, sent in its own encoding; returns the `<ActionResult>` element.
    public func send(_ request: any CloudFormationRequest) async throws -> XMLNode {
        try await send(request.operation, request.parameters)
    }

    /// The stack, or nil when CloudFormation says it does not exist.
    public func describeStack(name: String) async throws -> CloudFormationStack? {
        let stack: JSONValue = ["StackName": .string(name)]
        guard let result = try await send(.describeStacks, stack, nilWhen: \.isMissingStack) else { return nil }
        return result.members("Stacks").compactMap(CloudFormationStack.init(xml:)).first
    }

    /// Every stack in the region that is not deleted (every page).
    public func describeStacks() async throws -> [CloudFormationStack] {
        var stacks: [CloudFormationStack] = []
        var token: String?
        while true {
            let result = try await send(.describeStacks, token.map { ["NextToken": .string($0)] } ?? [:])
            stacks += result.members("Stacks").compactMap(CloudFormationStack.init(xml:))
            guard let next = result.text(of: "NextToken"), !next.isEmpty else { return stacks }
            token = next
        }
    }

    /// The stack's template as submitted (`TemplateBody`).
    public func getTemplate(stackName: String) async throws -> String {
        let result = try await send(.getTemplate, ["StackName": .string(stackName)])
        guard let body = result.text(of: "TemplateBody") else {
            throw AWSClientError.missingField(service: .cloudformation, operation: "GetTemplate", field: "TemplateBody")
        }
        return body
    }

    /// Every resource of the stack (every page).
    public func listStackResources(stackName: String) async throws -> [StackResourceSummary] {
        var resources: [StackResourceSummary] = []
        var token: String?
        while true {
            var parameters: [String: JSONValue] = ["StackName": .string(stackName)]
            if let token { parameters["NextToken"] = .string(token) }
            let result = try await send(.listStackResources, .object(parameters))
            resources += result.members("StackResourceSummaries").compactMap(StackResourceSummary.init(xml:))
            guard let next = result.text(of: "NextToken"), !next.isEmpty else { return resources }
            token = next
        }
    }

    /// The first page of the stack's events, newest first (as CloudFormation orders them).
    public func describeStackEvents(stackName: String) async throws -> [StackEvent] {
        let result = try await send(.describeStackEvents, ["StackName": .string(stackName)])
        return result.members("StackEvents").compactMap(StackEvent.init(xml:))
    }
}
