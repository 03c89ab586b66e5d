import Foundation

/// A stack as DescribeStacks reports it, with tags, parameters and outputs as dictionaries.
public struct CloudFormationStack: Sendable, Hashable {
    public var stackId: String
    public var stackName: String
    public var stackStatus: String
    public var stackStatusReason: String?
    public var description: String?
    public var tags: [String: String]
    public var parameters: [String: String]
    public var capabilities: [String]
    public var enableTerminationProtection: Bool
    public var outputs: [String: String]
    public var creationTime: Date?
    public var lastUpdatedTime: Date?

    public init(
        stackId: String, stackName: String, stackStatus: String, stackStatusReason: String? = nil,
        description: String? = nil,
        tags: [String: String] = [:], parameters: [String: String] = [:], capabilities: [String] = [],
        enableTerminationProtection: Bool = false, outputs: [String: String] = [:], creationTime: Date? = nil,
        lastUpdatedTime: Date? = nil
    ) {
        self.stackId = stackId
        self.stackName = stackName
        self.stackStatus = stackStatus
        self.stackStatusReason = stackStatusReason
        self.description = description
        self.tags = tags
        self.parameters = parameters
        self.capabilities = capabilities
        self.enableTerminationProtection = enableTerminationProtection
        self.outputs = outputs
        self.creationTime = creationTime
        self.lastUpdatedTime = lastUpdatedTime
    }

    /// Reads one `<member>` of `<Stacks>`.
    init?(xml: XMLNode) {
        guard let stackId = xml.text(of: "StackId"), let stackName = xml.text(of: "StackName") else { return nil }
        self.init(
            stackId: stackId, stackName: stackName, stackStatus: xml.text(of: "StackStatus") ?? "",
            stackStatusReason: xml.text(of: "StackStatusReason").flatMap(nonEmpty),
            description: xml.text(of: "Description").flatMap(nonEmpty),
            tags: pairs(xml.members("Tags"), key: "Key", value: "Value"),
            parameters: pairs(xml.members("Parameters"), key: "ParameterKey", value: "ParameterValue"),
            capabilities: xml.members("Capabilities").map(\.text),
            enableTerminationProtection: xml.text(of: "EnableTerminationProtection") == "true",
            outputs: pairs(xml.members("Outputs"), key: "OutputKey", value: "OutputValue"),
            creationTime: xml.text(of: "CreationTime").flatMap(AWSTimestamp.parse),
            lastUpdatedTime: xml.text(of: "LastUpdatedTime").flatMap(AWSTimestamp.parse))
    }
}

/// One entry of a stack's event history.
public struct StackEvent: Sendable, Hashable {
    public var eventId: String
    public var stackName: String
    public var logicalResourceId: String
    public var physicalResourceId: String?
    public var resourceType: String
    public var resourceStatus: String
    public var resourceStatusReason: String?
    public var timestamp: Date

    public init(
        eventId: String, stackName: String, logicalResourceId: String, physicalResourceId: String?,
        resourceType: String,
        resourceStatus: String, resourceStatusReason: String?, timestamp: Date
    ) {
        self.eventId = eventId
        self.stackName = stackName
        self.logicalResourceId = logicalResourceId
        self.physicalResourceId = physicalResourceId
        self.resourceType = resourceType
        self.resourceStatus = resourceStatus
        self.resourceStatusReason = resourceStatusReason
        self.timestamp = timestamp
    }

    init?(xml: XMLNode) {
        guard let eventId = xml.text(of: "EventId"),
            let timestamp = xml.text(of: "Timestamp").flatMap(AWSTimestamp.parse)
        else {
            return nil
        }
        self.init(
            eventId: eventId, stackName: xml.text(of: "StackName") ?? "",
            logicalResourceId: xml.text(of: "LogicalResourceId") ?? "",
            physicalResourceId: xml.text(of: "PhysicalResourceId").flatMap(nonEmpty),
            resourceType: xml.text(of: "ResourceType") ?? "",
            resourceStatus: xml.text(of: "ResourceStatus") ?? "",
            resourceStatusReason: xml.text(of: "ResourceStatusReason").flatMap(nonEmpty), timestamp: timestamp)
    }
}

/// One resource of a stack as ListStackResources reports it.
public struct StackResourceSummary: Sendable, Hashable {
    public var logicalResourceId: String
    public var physicalResourceId: String?
    public var resourceType: String
    public var resourceStatus: String

    public init(logicalResourceId: String, physicalResourceId: String?, resourceType: String, resourceStatus: String) {
        self.logicalResourceId = logicalResourceId
        self.physicalResourceId = physicalResourceId
        self.resourceType = resourceType
        self.resourceStatus = resourceStatus
    }

    init?(xml: XMLNode) {
        guard let logicalId = xml.text(of: "LogicalResourceId") else { return nil }
        self.init(
            logicalResourceId: logicalId, physicalResourceId: xml.text(of: "PhysicalResourceId").flatMap(nonEmpty),
            resourceType: xml.text(of: "ResourceType") ?? "", resourceStatus: xml.text(of: "ResourceStatus") ?? "")
    }
}

private func nonEmpty(_ text: String) -> String? { text.isEmpty ? nil : text }

private func pairs(_ members: [XMLNode], key: String, value: String) -> [String: String] {
    var result: [String: String] = [:]
    for member in members {
        if let name = member.text(of: key) { result[name] = member.text(of: value) ?? "" }
    }
    return result
}
