import AWSClient

/// One unit of the live-state read. `read(desired:…)` runs the list `reads(…)` makes, and
/// `calls(…)` lists the calls of that same list, so the policy grants what the reader runs.
enum LiveRead: Sendable, Hashable {
    /// The tags of every stream in a region, in pages (GetResources); per-stream reads confirm
    /// only what this answer cannot.
    case tagsInBulk(region: String)
    /// A declared stack: DescribeStacks, then GetTemplate (unless it is busy or failed).
    case stack(name: String, region: String)
    /// A declared stream: DescribeStreamSummary, then ListTagsForStream (with bulk tags, only to
    /// confirm a stream the bulk answer lacks or shows differing) and, when asked, ListStreamConsumers.
    /// Also ListTagsForResource of each declared consumer of a direct stream (`declaredConsumers`,
    /// read in a pass of their own, `readDeclaredConsumerTags`), and GetResourcePolicy of the stream
    /// and its consumers as `policies` says (the calls list those of `declaredConsumers` when a
    /// policy is declared).
    case stream(
        name: String, region: String, consumers: Bool, policies: ResourcePolicyRead, declaredConsumers: [String])
    /// This project's stacks and direct streams in a region that no manifest declares.
    case undeclared(region: String)

    /// The declared stream this read is for.
    var streamName: String? {
        if case .stream(let name, _, _, _, _) = self { return name }
        return nil
    }

    var calls: [AWSCall] {
        switch self {
        case .tagsInBulk(let region):
            return [AWSCall(.getResources, region: region, .account)]
        case .stack(let name, let region):
            return [
                AWSCall(.describeStacks, region: region, .stack(name)),
                AWSCall(.getTemplate, region: region, .stack(name))
            ]
        case .stream(let name, let region, let consumers, let policies, let policyConsumers):
            let stream = AWSCall.Resource.stream(name)
            var calls = [
                AWSCall(.describeStreamSummary, region: region, stream),
                AWSCall(.listTagsForStream, region: region, stream)
            ]
            if consumers { calls.append(AWSCall(.listStreamConsumers, region: region, stream)) }
            calls += policyConsumers.map {
                AWSCall(.listTagsForResource, region: region, .consumer(stream: name, name: $0))
            }
            if policies == .always {
                calls.append(AWSCall(.getResourcePolicy, region: region, stream))
                calls += policyConsumers.map {
                    AWSCall(.getResourcePolicy, region: region, .consumer(stream: name, name: $0))
                }
            }
            return calls
        case .undeclared(let region):
            // Every stack and stream name; the tags of every stream not declared, to find this
            // project's (confirming the bulk answer); then the summary of those, and the template of each such stack.
            return [
                AWSCall(.describeStacks, region: region, .account), AWSCall(.listStreams, region: region, .account),
                AWSCall(.listTagsForStream, region: region, .everyStream),
                AWSCall(.describeStreamSummary, region: region, .everyStream),
                AWSCall(.getTemplate, region: region, .everyStack)
            ]
        }
    }
}

extension LiveStateReader {
    /// What `read(desired:…)` reads for these manifests.
    static func reads(
        desired: DesiredState, regions: [ResourceAddress: String], discoverUndeclared: Bool, readAllConsumers: Bool,
        readsTagsInBulk: Bool
    ) -> [LiveRead] {
        var reads: [LiveRead] = readsTagsInBulk ? Set(regions.values).sorted().map { .tagsInBulk(region: $0) } : []
        reads += desired.stacks.map { .stack(name: $0.name, region: regions[$0.address] ?? "") }
        for stream in desired.streams {
            // Consumers of stack members are the stack's; of direct streams, read when declared or pruned.
            let consumers =
                stream.stack == nil && (readAllConsumers || !desired.consumers(ofStream: stream.name).isEmpty)
            // Policies of direct streams: always read when declared, else only where reconcile's tag
            // says it manages one (so a removed policy is still deleted).
            let policies: ResourcePolicyRead =
                stream.stack != nil
                ? .none : desired.declaresResourcePolicies(stream: stream.name) ? .always : .whenManaged
            reads.append(
                .stream(
                    name: stream.name, region: regions[stream.address] ?? "", consumers: consumers, policies: policies,
                    declaredConsumers: stream.stack == nil ? desired.consumers(ofStream: stream.name).map(\.name) : []))
        }
        if discoverUndeclared {
            reads += Set(regions.values).sorted().map { .undeclared(region: $0) }
        }
        return reads
    }

    /// Every call `read(desired:…)` makes for these manifests: the reads plan, apply and destroy need.
    public static func calls(
        desired: DesiredState, regions: [ResourceAddress: String], discoverUndeclared: Bool, readAllConsumers: Bool,
        readsTagsInBulk: Bool
    ) -> [AWSCall] {
        reads(
            desired: desired, regions: regions, discoverUndeclared: discoverUndeclared,
            readAllConsumers: readAllConsumers, readsTagsInBulk: readsTagsInBulk
        ).flatMap(\.calls)
    }
}
