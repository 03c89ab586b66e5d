import AWSClient
import Formats
import Foundation

/// Reads what exists in AWS for the declared resources: concurrent, bounded, and with
/// no call whose answer cannot change the plan.
public struct LiveStateReader: Sendable {
    public let client: AWSClient
    public let limiter: ConcurrencyLimiter
    public var settleWait: SettleWait
    /// Read the tags of a region's streams in pages (Resource Groups Tagging API) and confirm
    /// with ListTagsForStream only the streams whose bulk tags are not what the manifest says;
    /// false reads every stream's tags on its own.
    public var readsTagsInBulk = true
    /// Receives what `--verbose` should say about how the state was read (never a secret).
    public var note: (@Sendable (String) -> Void)?

    /// How many reads are under way at once: calls are bounded by `limiter`; the rest of the
    /// width is for reads waiting without a call (a busy stream settling, a stream waiting for
    /// its region's bulk tags).
    var taskWidth: Int { max(32, limiter.limit * 2) }

    public init(client: AWSClient, concurrency: Int = 8, settleWait: SettleWait = .standard) {
        self.client = client
        self.limiter = ConcurrencyLimiter(limit: concurrency)
        self.settleWait = settleWait
    }

    private enum Piece: Sendable {
        case stack(String, LiveStack?)
        case stream(String, LiveStream?, settledFrom: String?)
        case undeclared([LiveStack], [LiveStream])
        case tagsRead
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
        let bulk = readsTagsInBulk ? BulkTagCache(client: client, limiter: limiter, note: note) : nil
        let reads = Self.reads(
            desired: desired, regions: regions, discoverUndeclared: discoverUndeclared,
            readAllConsumers: readAllConsumers, readsTagsInBulk: readsTagsInBulk)
        let declaredStreams = Dictionary(desired.streams.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let work = reads.map { item in
            let declared = item.streamName.flatMap { declaredStreams[$0] }
            return (item, declared.map { TagSource.declared($0, project: project, bulk: bulk) } ?? .own)
        }
        try await withThrowingTaskGroup(of: Piece.self) { group in
            // The bulk tag reads come first in the list, so their pages arrive while the streams'
            // summaries are read.
            try await group.forEach(work, width: taskWidth) { item, tags in
                try await perform(item, desired: desired, project: project, tags: tags, bulk: bulk)
            } receive: { piece in
                switch piece {
                case .stack(let name, let stack): state.stacks[name] = stack
                case .stream(let name, let stream, let settledFrom):
                    state.streams[name] = stream
                    if let settledFrom { state.settledStreams[name] = settledFrom }
                case .undeclared(let stacks, let streams):
                    state.undeclaredStacks += stacks
                    state.undeclaredStreams += streams
                case .tagsRead: break
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
            stackMembers.contains($0.name) || $0.tags[Self.stackNameTag] != nil
        }
        state.undeclaredStacks.sort { $0.name < $1.name }
        state.undeclaredStreams.sort { $0.name < $1.name }
        try await readDeclaredConsumerTags(into: &state, desired: desired, bulk: bulk)
        return state
    }

    private func perform(
        _ item: LiveRead, desired: DesiredState, project: String, tags: TagSource, bulk: BulkTagCache?
    ) async throws -> Piece {
        switch item {
        case .tagsInBulk(let region):
            _ = try await bulk?.tags(region: region)
            return .tagsRead
        case .stack(let name, let region):
            return .stack(name, try await readStack(name, region: region))
        case .stream(let name, let region, let consumers, let policies, _):
            let settled = try await readSettledStream(
                name, region: region, consumers: consumers, tags: tags, policies: policies)
            return .stream(name, settled.stream, settledFrom: settled.busyStatus)
        case .undeclared(let region):
            let found = try await readUndeclared(region: region, desired: desired, project: project, bulk: bulk)
            return .undeclared(found.stacks, found.streams)
        }
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
        _ name: String, region: String, consumers readConsumers: Bool, knownTags: [String: String]? = nil,
        policies: ResourcePolicyRead = .none
    ) async throws -> LiveStream? {
        try await readStream(
            name, region: region, consumers: readConsumers, tags: knownTags.map(TagSource.known) ?? .own,
            policies: policies)
    }

    func readStream(
        _ name: String, region: String, consumers readConsumers: Bool, tags: TagSource,
        policies: ResourcePolicyRead = .none
    ) async throws -> LiveStream? {
        let kinesis = try client.kinesis(region: region)
        guard let summary = try await limiter.run({ try await kinesis.describeStreamSummary(streamName: name) }) else {
            return nil
        }
        async let readTags = streamTags(name, region: region, from: tags, kinesis: kinesis)
        async let consumers: [KinesisConsumer]? =
            readConsumers ? limiter.run { try await kinesis.listStreamConsumers(streamARN: summary.streamARN) } : nil
        var stream = LiveStream(summary: summary, region: region)
        stream.tags = try await readTags
        stream.consumers = try await consumers?.sorted { $0.name < $1.name }
        if policies == .always || (policies == .whenManaged && stream.managesResourcePolicies) {
            try await readResourcePolicies(of: &stream, kinesis: kinesis)
        }
        return stream
    }

    /// This project's stacks and streams in a region that no manifest declares.
    func readUndeclared(region: String, desired: DesiredState, project: String, bulk: BulkTagCache?) async throws -> (
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
        let streams = try await undeclaredStreams(
            candidates, region: region, project: project, bulk: try await bulk?.tags(region: region))
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
