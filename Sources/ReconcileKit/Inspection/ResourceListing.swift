import AWSClient

/// One row of `reconcile ls`: a declared resource and what AWS says of it.
public struct ResourceListing: Sendable, Hashable, Codable {
    public var address: ResourceAddress
    public var managedBy: String
    public var region: String
    /// `NOT FOUND`, a stream's status (with shards), a stack's status.
    public var status: String
    public var details: [String: String]
    /// For stacks: what `list-stack-resources` shows.
    public var resources: [PhysicalResource]?

    public struct PhysicalResource: Sendable, Hashable, Codable {
        public var logicalId: String
        public var physicalId: String?
        public var type: String
        public var status: String
    }
}

/// Reads the live status of every declared resource for `ls`.
public struct ResourceLister: Sendable {
    public let client: AWSClient
    public let settings: AWSSettings

    public init(client: AWSClient, settings: AWSSettings) {
        self.client = client
        self.settings = settings
    }

    public func list(_ desired: DesiredState) async throws -> [ResourceListing] {
        let regions = try settings.regions(for: desired)
        let reader = LiveStateReader(client: client)
        var rows: [ResourceListing] = []
        try await withThrowingTaskGroup(of: ResourceListing.self) { group in
            for stack in desired.stacks {
                let region = regions[stack.address] ?? ""
                group.addTask {
                    let cloudFormation = try client.cloudFormation(region: region)
                    guard let live = try await cloudFormation.describeStack(name: stack.name) else {
                        return ResourceListing(
                            address: stack.address, managedBy: ManagedBy.cloudFormation.description, region: region,
                            status: "NOT FOUND", details: [:])
                    }
                    let resources = try await cloudFormation.listStackResources(stackName: stack.name).map {
                        ResourceListing.PhysicalResource(
                            logicalId: $0.logicalResourceId, physicalId: $0.physicalResourceId, type: $0.resourceType,
                            status: $0.resourceStatus)
                    }
                    var details = ["stackId": live.stackId]
                    details["owner"] = live.tags[OwnershipTag.key] ?? "(untagged)"
                    return ResourceListing(
                        address: stack.address, managedBy: ManagedBy.cloudFormation.description, region: region,
                        status: live.stackStatus,
                        details: details, resources: resources.sorted { $0.logicalId < $1.logicalId })
                }
            }
            for stream in desired.streams {
                let region = regions[stream.address] ?? ""
                let consumers = !desired.consumers(ofStream: stream.name).isEmpty
                group.addTask {
                    guard let live = try await reader.readStream(stream.name, region: region, consumers: consumers)
                    else {
                        return ResourceListing(
                            address: stream.address, managedBy: stream.managedBy.description, region: region,
                            status: "NOT FOUND", details: [:])
                    }
                    var details = [
                        "mode": live.mode.rawValue, "retentionPeriodHours": String(live.retentionPeriodHours),
                        "arn": live.arn
                    ]
                    // A stack member is owned through its stack.
                    if stream.stack == nil { details["owner"] = live.tags[OwnershipTag.key] ?? "(untagged)" }
                    if live.mode == .provisioned { details["openShards"] = String(live.openShardCount) }
                    return ResourceListing(
                        address: stream.address, managedBy: stream.managedBy.description, region: region,
                        status: live.status, details: details)
                }
            }
            for try await row in group { rows.append(row) }
        }
        // Consumers: from their stream's listing for direct ones; stack ones through the stack.
        for consumer in desired.consumers {
            let region = regions[consumer.address] ?? ""
            let streamSpec = desired.stream(named: consumer.stream)
            var status = "NOT FOUND"
            if let stack = streamSpec?.stack {
                let stackRow = rows.first { $0.address == .stack(stack) }
                if let resource = stackRow?.resources?.first(where: { $0.logicalId == consumer.logicalId }) {
                    status = resource.status
                }
            } else if let live = try await reader.readStream(consumer.stream, region: region, consumers: true),
                let found = live.consumers?.first(where: { $0.name == consumer.name })
            {
                status = found.status
            }
            rows.append(
                ResourceListing(
                    address: consumer.address, managedBy: (streamSpec?.managedBy ?? .kinesis).description,
                    region: region, status: status,
                    details: ["stream": consumer.stream]))
        }
        let position = Dictionary(Planner.dependencyOrder(desired).enumerated().map { ($1, $0) }) { first, _ in first }
        return rows.sorted { (position[$0.address] ?? 0) < (position[$1.address] ?? 0) }
    }
}
