import Formats

// The CloudFormation writes on a stack, each encoding itself in botocore's shape (`AWSRequest`).

/// What CreateStack and UpdateStack send.
public struct StackRequest: Sendable, Hashable {
    public var stack: String
    public var templateBody: String
    /// Sent sorted by key.
    public var tags: [String: String]
    public var parameters: [String: String]
    public var capabilities: [String]
    /// Only CreateStack sets it, and it is sent only when true.
    public var enableTerminationProtection: Bool
    public var clientRequestToken: String

    public init(
        stack: String, templateBody: String, tags: [String: String], parameters: [String: String],
        capabilities: [String], enableTerminationProtection: Bool, clientRequestToken: String
    ) {
        self.stack = stack
        self.templateBody = templateBody
        self.tags = tags
        self.parameters = parameters
        self.capabilities = capabilities
        self.enableTerminationProtection = enableTerminationProtection
        self.clientRequestToken = clientRequestToken
    }

    /// Every member but the token (what a token can be derived from).
    public var membersWithoutToken: [String: JSONValue] {
        var members: [String: JSONValue] = [
            "StackName": .string(stack), "TemplateBody": .string(templateBody),
            "Tags": TagEncoding.keyValueList(tags)
        ]
        if !parameters.isEmpty {
            members["Parameters"] = .array(
                parameters.sorted { $0.key < $1.key }.map {
                    ["ParameterKey": .string($0.key), "ParameterValue": .string($0.value)]
                })
        }
        if !capabilities.isEmpty { members["Capabilities"] = .array(capabilities.sorted().map(JSONValue.string)) }
        if enableTerminationProtection { members["EnableTerminationProtection"] = true }
        return members
    }
}

/// CreateStack or UpdateStack of a `StackRequest`.
public struct StackTemplateInput: CloudFormationRequest {
    public enum Kind: Sendable, Hashable {
        case create, update
    }

    public var kind: Kind
    public var request: StackRequest

    public init(_ kind: Kind, _ request: StackRequest) {
        self.kind = kind
        self.request = request
    }

    public var operation: AWSOperation { kind == .create ? .createStack : .updateStack }

    public var parameters: JSONValue {
        .object(request.membersWithoutToken.merging(["ClientRequestToken": .string(request.clientRequestToken)]) { $1 })
    }
}

public struct DeleteStackInput: CloudFormationRequest {
    public var stackName: String

    public init(stackName: String) { self.stackName = stackName }

    public var operation: AWSOperation { .deleteStack }

    public var parameters: JSONValue { ["StackName": .string(stackName)] }
}

public struct UpdateTerminationProtectionInput: CloudFormationRequest {
    public var stackName: String
    public var enableTerminationProtection: Bool

    public init(stackName: String, enableTerminationProtection: Bool) {
        self.stackName = stackName
        self.enableTerminationProtection = enableTerminationProtection
    }

    public var operation: AWSOperation { .updateTerminationProtection }

    public var parameters: JSONValue {
        ["StackName": .string(stackName), "EnableTerminationProtection": .bool(enableTerminationProtection)]
    }
}
