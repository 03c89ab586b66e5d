import AWSClient
import Formats
import Foundation

/// Reads what exists in AWS for the declared resources: concurrent, bounded, and with
/// no call whose answer cannot change the plan.
public struct LiveStateReader: Sendable {
    public let client: AWSClient
    public let limiter: ConcurrencyLimiter
    public var settleWait: SettleWait

    public init(client: AWSClient, concurrency: Int = 8, settleWait: SettleWait = .standard) {
        self.client = client
        self.limiter = ConcurrencyLimiter(limit: concurrency)
        self.settleWait = settleWait
    }

    private enum Piece: Sendable {
        case stack(String, LiveStack?)
        case stream(String, LiveStream?, settledFrom: String?)
        case undeclared([LiveStack], [LiveStream])
    }

    /// - Parameters:
    ///   - discoverUndeclared: also find this project's stacks and streams that no manifest declares.
    ///   - readAllConsumers: read the consumers of every direct stream (to prune undeclared ones),
    ///     not only of streams with declared consumers.
    public func read(
        desired: DesiredState, regions: [ResourceAddress: String], project: String, discoverUndeclared: Bool,
        readAllConsumers: Bool
    ) async throws -> LiveState {
        var state = LiveState()
        try await withThrowingTaskGroup(of: Piece.self) { group in
            for stack in desired.stacks {
                let region = regions[stack.address] ?? ""
                group.addTask { .stack(stack.name, try await readStack(stack.name, region: region)) }
            }
            for stream in desired.streams {
                let region = regions[stream.address] ?? ""
                let readConsumers =
                    stream.stack == nil && (readAllConsumers || !desired.consumers(ofStream: stream.name).isEmpty)
                group.addTask {
                    let settled = try await readSettledStream(stream.name, region: region, consumers: readConsumers)
                    return .stream(stream.name, settled.stream, settledFrom: settled.busyStatus)
                }
            }
            if discoverUndeclared {
                for region in Set(regions.values).sorted() {
                    group.addTask {
                        let found = try await readUndeclared(region: region, desired: desired, project: project)
                        return .undeclared(found.stacks, found.streams)
                    }
                }
            }
            for try await piece in group {
                switch piece {
                case .stack(let name, let stack): state.stacks[name] = stack
                case .stream(let name, let stream, let settledFrom):
                    state.streams[name] = stream
                    if let settledFrom { state.settledStreams[name] = settledFrom }
                case .undeclared(let stacks, let streams):
                    state.undeclaredStacks += stacks
                    state.undeclaredStreams += streams
                }
            }
        }
        // A stream that belongs to any stack of this project is the stack's, not a direct one.
        let stackMembers = Set(
            (Array(state.stacks.values) + state.undeclaredStacks).flatMap { stack in
                stack.templateResources.values.compactMap { resource -> String? in
                    resource["Type"]?.stringValue == "AWS::Kinesis::Stream"
                        ? resource["Properties"]?["Name"]?.stringValue : nil
                }
            })
        state.undeclaredStreams.removeAll {
            stackMembers.contains($0.name) || $0.tags["aws:cloudformation:stack-name"] != nil
        }
        state.undeclaredStacks.sort { $0.name < $1.name }
        state.undeclaredStreams.sort { $0.name < $1.name }
        try await readDeclaredConsumerTags(into: &state, desired: desired)
        return state
    }

    public func readStack(_ name: String, region: String) async throws -> LiveStack? {
        let cloudFormation = try client.cloudFormation(region: region)
        guard let described = try await limiter.run({ try await cloudFormation.describeStack(name: name) }) else {
            return nil
        }
        var stack = LiveStack(described, region: region)
        // The template only matters for stacks that will be diffed, not ones being replaced or busy.
        let needsTemplate = !stack.isInProgress && !stack.failedCreation && stack.status != "DELETE_COMPLETE"
        if needsTemplate {
            let body = try await limiter.run { try await cloudFormation.getTemplate(stackName: name) }
            stack.template = TemplateBody.parse(body)
        }
        return stack
    }

    /// - Parameter knownTags: the stream's tags when the caller has just read them (discovery),
    ///   so they are not read twice.
    public func readStream(
        _ name: String, region: String, consumers readConsumers: Bool, knownTags: [String: String]? = nil
    ) async throws -> LiveStream? {
        let kinesis = try client.kinesis(region: region)
        guard let summary = try await limiter.run({ try await kinesis.describeStreamSummary(streamName: name) }) else {
            return nil
        }
        async let readTags: [String: String]? =
            knownTags == nil ? limiter.run { try await kinesis.listTagsForStream(streamName: name) } : nil
        async let consumers: [KinesisConsumer]? =
            readConsumers ? limiter.run { try await kinesis.listStreamConsumers(streamARN: summary.streamARN) } : nil
        var stream = LiveStream(summary, region: region)
        stream.tags = try await readTags ?? knownTags ?? [:]
        stream.consumers = try await consumers?.sorted { $0.name < $1.name }
        return stream
    }

    /// This project's stacks and streams in a region that no manifest declares.
    func readUndeclared(region: String, desired: DesiredState, project: String) async throws -> (
        stacks: [LiveStack], streams: [LiveStream]
    ) {
        let cloudFormation = try client.cloudFormation(region: region)
        let kinesis = try client.kinesis(region: region)
        let declaredStacks = Set(desired.stacks.map(\.name))
        let declaredStreams = Set(desired.streams.map(\.name))
        async let allStacks = limiter.run { try await cloudFormation.describeStacks() }
        async let allStreams = limiter.run { try await kinesis.listStreams() }
        var stacks: [LiveStack] = []
        for described in try await allStacks
        where described.tags[OwnershipTag.key] == project && !declaredStacks.contains(described.stackName)
            && described.stackStatus != "DELETE_COMPLETE"
        {
            var stack = LiveStack(described, region: region)
            if !stack.isInProgress {
                let name = stack.name
                let body = try await limiter.run { try await cloudFormation.getTemplate(stackName: name) }
                stack.template = TemplateBody.parse(body)
            }
            stacks.append(stack)
        }
        let candidates = try await allStreams.filter { !declaredStreams.contains($0) }
        let streams = try await withThrowingTaskGroup(of: LiveStream?.self) { group in
            for name in candidates {
                group.addTask {
                    let tags = try await limiter.run { try await kinesis.listTagsForStream(streamName: name) }
                    guard tags[OwnershipTag.key] == project else { return nil }
                    return try await readStream(name, region: region, consumers: false, knownTags: tags)
                }
            }
            var found: [LiveStream] = []
            for try await stream in group { if let stream { found.append(stream) } }
            return found
        }
        return (stacks, streams)
    }
}

extension LiveStack {
    init(_ stack: CloudFormationStack, region: String) {
        self.init(
            name: stack.stackName, region: region, stackId: stack.stackId, status: stack.stackStatus,
            statusReason: stack.stackStatusReason, tags: stack.tags, parameters: stack.parameters,
            terminationProtection: stack.enableTerminationProtection, template: nil)
    }
}

extension LiveStream {
    init(_ summary: KinesisStreamSummary, region: String) {
        self.init(
            name: summary.streamName, region: region, arn: summary.streamARN, status: summary.streamStatus,
            mode: StreamMode(rawValue: summary.streamMode) ?? .provisioned, openShardCount: summary.openShardCount,
            retentionPeriodHours: summary.retentionPeriodHours,
            encryptionKeyId: summary.encryptionType == "KMS" ? (summary.keyId ?? "") : nil,
            shardLevelMetrics: summary.enhancedMetrics, tags: [:], consumers: nil,
            maxRecordSizeKiB: summary.maxRecordSizeKiB, warmThroughputMiBps: summary.warmThroughputTargetMiBps)
    }
}
