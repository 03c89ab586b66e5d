/// The checks that need every document: duplicate addresses, references to declared
/// resources, management rules that depend on another resource, regions, logical id
/// collisions and dependency cycles. Builds the `DesiredState` from what survives.
struct ManifestCrossChecker {
    private var declarations: [Declaration] = []
    private var firstLocation: [ResourceAddress: SourceLocation] = [:]

    /// Declarations in load order (files sorted, documents in order); a repeated address
    /// is reported at its second occurrence and dropped.
    init(_ declarations: [Declaration], diagnostics: inout DiagnosticCollector) {
        for declaration in declarations {
            let address = declaration.address
            let location = declaration.metadata.name.location
            if let first = firstLocation[address] {
                diagnostics.error(at: location, "duplicate \(address): first declared at \(first)")
                continue
            }
            firstLocation[address] = location
            self.declarations.append(declaration)
        }
    }

    func desiredState(diagnostics: inout DiagnosticCollector) -> DesiredState {
        var stacks: [String: (spec: StackSpec, metadata: DeclaredMetadata, template: DeclaredTemplate)] = [:]
        var streams: [String: (spec: StreamSpec, metadata: DeclaredMetadata)] = [:]
        var consumers: [(spec: ConsumerSpec, metadata: DeclaredMetadata, stream: Located<String>)] = []
        streams.reserveCapacity(declarations.count)
        for declaration in declarations {
            switch declaration {
            case .stack(let spec, let metadata, let template): stacks[spec.name] = (spec, metadata, template)
            case .stream(let spec, let metadata): streams[spec.name] = (spec, metadata)
            case .consumer(let spec, let metadata, let stream): consumers.append((spec, metadata, stream))
            }
        }
        let stackNames = stacks.keys.sorted()
        let streamNames = streams.keys.sorted()

        // Streams: stack reference, logicalId only when stack-managed.
        for (name, stream) in streams {
            if let stack = stream.metadata.stack, stacks[stack.value] == nil {
                diagnostics.error(
                    at: stack.location,
                    "metadata.stack '\(stack.value)' is not a declared Stack\(Suggestion.hint(for: stack.value, among: stackNames))"
                )
                streams[name]?.spec.stack = nil
            }
            if stream.metadata.stack == nil, let key = stream.metadata.logicalIdKey {
                diagnostics.error(
                    at: key,
                    "metadata.logicalId applies only to resources managed by a stack; this stream has no metadata.stack"
                )
            }
        }
        // Consumers: stream reference, logicalId only when the stream is stack-managed.
        var keptConsumers: [(spec: ConsumerSpec, metadata: DeclaredMetadata)] = []
        for consumer in consumers {
            guard let stream = streams[consumer.stream.value] else {
                diagnostics.error(
                    at: consumer.stream.location,
                    "spec.stream '\(consumer.stream.value)' is not a declared Stream\(Suggestion.hint(for: consumer.stream.value, among: streamNames))"
                )
                continue
            }
            if stream.spec.stack == nil, let key = consumer.metadata.logicalIdKey {
                diagnostics.error(
                    at: key,
                    "metadata.logicalId applies only to resources managed by a stack; stream '\(stream.spec.name)' is managed directly"
                )
            }
            keptConsumers.append((consumer.spec, consumer.metadata))
        }
        checkRegions(stacks: &stacks, streams: streams, diagnostics: &diagnostics)
        checkLogicalIds(stacks: stacks, streams: streams, consumers: keptConsumers, diagnostics: &diagnostics)
        checkPolicyTagRoom(streams: streams, consumers: keptConsumers, diagnostics: &diagnostics)

        // dependsOn: parse, check declared, then look for cycles.
        var explicitEdges: [ResourceAddress: [(target: ResourceAddress, location: SourceLocation)]] = [:]
        // An index, not a search per declaration: thousands of consumers must not cost n².
        let consumerPositions = Dictionary(
            keptConsumers.enumerated().map { ($1.spec.address, $0) }
        ) { first, _ in first }
        for declaration in declarations {
            let source = declaration.address
            var targets: [ResourceAddress] = []
            for entry in declaration.metadata.dependsOn {
                guard let target = ResourceAddress(parsing: entry.value) else {
                    diagnostics.error(
                        at: entry.location,
                        "dependsOn entry '\(entry.value)' must be Kind/name with Kind one of \(ManifestVocabulary.kinds.joined(separator: ", "))"
                    )
                    continue
                }
                guard firstLocation[target] != nil else {
                    let candidates = firstLocation.keys.map(\.description)
                    diagnostics.error(
                        at: entry.location,
                        "dependsOn entry '\(target)' is not a declared resource\(Suggestion.hint(for: target.description, among: candidates))"
                    )
                    continue
                }
                if !targets.contains(target) { targets.append(target) }
                explicitEdges[source, default: []].append((target, entry.location))
            }
            switch source.kind {
            case .stack: stacks[source.name]?.spec.dependsOn = targets
            case .stream: streams[source.name]?.spec.dependsOn = targets
            case .streamConsumer:
                if let index = consumerPositions[source] {
                    keptConsumers[index].spec.dependsOn = targets
                }
            }
        }
        var impliedEdges: [ResourceAddress: [ResourceAddress]] = [:]
        for (_, stream) in streams {
            if let stack = stream.spec.stack { impliedEdges[stream.spec.address, default: []].append(.stack(stack)) }
        }
        for consumer in keptConsumers {
            impliedEdges[consumer.spec.address, default: []].append(.stream(consumer.spec.stream))
        }
        DependencyCycleFinder(explicitEdges: explicitEdges, impliedEdges: impliedEdges).report(into: &diagnostics)

        return DesiredState(
            stacks: stacks.values.map(\.spec), streams: streams.values.map(\.spec), consumers: keptConsumers.map(\.spec)
        )
    }

    /// A stack-managed stream's region must equal its stack's; when only members set a
    /// region the stack takes it, and members of one stack must agree.
    private func checkRegions(
        stacks: inout [String: (spec: StackSpec, metadata: DeclaredMetadata, template: DeclaredTemplate)],
        streams: [String: (spec: StreamSpec, metadata: DeclaredMetadata)], diagnostics: inout DiagnosticCollector
    ) {
        let members = streams.values.filter { $0.spec.stack != nil }.sorted {
            $0.metadata.name.location < $1.metadata.name.location
        }
        var inherited: [String: Located<String>] = [:]
        for member in members {
            guard let stackName = member.spec.stack, let stack = stacks[stackName], let region = member.metadata.region
            else { continue }
            if let stackRegion = stack.metadata.region {
                if stackRegion.value != region.value {
                    diagnostics.error(
                        at: region.location,
                        "metadata.region '\(region.value)' differs from stack '\(stackName)' region '\(stackRegion.value)' (\(stackRegion.location)); a stack-managed stream lives in its stack's region"
                    )
                }
            } else if let first = inherited[stackName] {
                if first.value != region.value {
                    diagnostics.error(
                        at: region.location,
                        "metadata.region '\(region.value)' differs from '\(first.value)' set by another stream of stack '\(stackName)' (\(first.location))"
                    )
                }
            } else {
                inherited[stackName] = region
                stacks[stackName]?.spec.region = region.value
            }
        }
    }

    /// Streams, consumers and pass-through resources of one stack share its logical ids.
    private func checkLogicalIds(
        stacks: [String: (spec: StackSpec, metadata: DeclaredMetadata, template: DeclaredTemplate)],
        streams: [String: (spec: StreamSpec, metadata: DeclaredMetadata)],
        consumers: [(spec: ConsumerSpec, metadata: DeclaredMetadata)], diagnostics: inout DiagnosticCollector
    ) {
        var claims: [String: [(id: String, location: SourceLocation, owner: String)]] = [:]
        for (name, stack) in stacks {
            for id in stack.template.logicalIds {
                claims[name, default: []].append((id.value, id.location, "a resource in spec.template"))
            }
        }
        for (_, stream) in streams {
            guard let stack = stream.spec.stack else { continue }
            let location = stream.metadata.logicalId?.location ?? stream.metadata.name.location
            claims[stack, default: []].append((stream.spec.logicalId, location, "\(stream.spec.address)"))
            if stream.spec.resourcePolicy != nil {
                let id = TemplateSynthesizer.policyLogicalId(of: stream.spec.logicalId)
                claims[stack, default: []].append((id, location, "the resource policy of \(stream.spec.address)"))
            }
        }
        for consumer in consumers {
            guard let stack = streams[consumer.spec.stream]?.spec.stack else { continue }
            let location = consumer.metadata.logicalId?.location ?? consumer.metadata.name.location
            claims[stack, default: []].append((consumer.spec.logicalId, location, "\(consumer.spec.address)"))
            if consumer.spec.resourcePolicy != nil {
                let id = TemplateSynthesizer.policyLogicalId(of: consumer.spec.logicalId)
                claims[stack, default: []].append((id, location, "the resource policy of \(consumer.spec.address)"))
            }
        }
        for (stack, entries) in claims {
            var seen: [String: (location: SourceLocation, owner: String)] = [:]
            for entry in entries.sorted(by: { $0.location < $1.location }) {
                if let first = seen[entry.id] {
                    diagnostics.error(
                        at: entry.location,
                        "logical id '\(entry.id)' of \(entry.owner) collides with \(first.owner) in stack '\(stack)' (\(first.location)); set metadata.logicalId to tell them apart"
                    )
                } else {
                    seen[entry.id] = (entry.location, entry.owner)
                }
            }
        }
    }
}
