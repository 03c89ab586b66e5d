import AWSClient
import Formats

/// What to plan for, beyond the manifests and the live state.
public struct PlanOptions: Sendable, Hashable {
    public var project: String
    public var mode: PlanMode
    /// Delete this project's live resources that are no longer declared.
    public var prune: Bool
    /// Take over declared resources that exist without this project's tag.
    public var adopt: Bool

    public init(project: String, mode: PlanMode = .apply, prune: Bool = false, adopt: Bool = false) {
        self.project = project
        self.mode = mode
        self.prune = prune
        self.adopt = adopt
    }
}

/// Turns desired × live into changes and ordered steps. Pure: no AWS calls, so every
/// rule is unit-tested with hand-made live state.
public enum Planner {
    /// - Parameter regions: the resolved region of every declared address.
    public static func plan(
        desired: DesiredState, regions: [ResourceAddress: String], live: LiveState, options: PlanOptions
    ) throws(PlanError) -> Plan {
        var builder = PlanBuilder(desired: desired, regions: regions, live: live, options: options)
        switch options.mode {
        case .apply: builder.planApply()
        case .destroy: builder.planDestroy()
        }
        if !builder.errors.isEmpty {
            throw builder.errors.count == 1 ? builder.errors[0] : .several(builder.errors)
        }
        let changes = builder.changes.map { CapacityEstimator.annotate($0, desired: desired, live: live) }
        return Plan(
            project: options.project, mode: options.mode, changes: changes, steps: builder.steps,
            notDeclared: builder.notDeclared.sorted { $0.address < $1.address },
            retained: builder.retained.sorted { $0.address < $1.address })
    }

    /// Declared addresses with every dependency before its dependents: explicit
    /// `dependsOn`, a stream after its stack, a consumer after its stream. Ties keep
    /// a stable order (stacks, streams, consumers; then by name).
    public static func dependencyOrder(_ desired: DesiredState) -> [ResourceAddress] {
        let dependencies = dependencyMap(desired)
        var remaining = Set(dependencies.keys)
        var ordered: [ResourceAddress] = []
        var dependents: [ResourceAddress: [ResourceAddress]] = [:]
        var unmet: [ResourceAddress: Int] = [:]
        for (address, needs) in dependencies {
            let known = needs.filter { dependencies[$0] != nil }
            unmet[address] = known.count
            for need in known { dependents[need, default: []].append(address) }
        }
        var ready = remaining.filter { unmet[$0] == 0 }.sorted()
        while !ready.isEmpty {
            let next = ready.removeFirst()
            remaining.remove(next)
            ordered.append(next)
            for dependent in dependents[next] ?? [] {
                unmet[dependent, default: 0] -= 1
                if unmet[dependent] == 0 {
                    let position = ready.firstIndex { dependent < $0 } ?? ready.endIndex
                    ready.insert(dependent, at: position)
                }
            }
        }
        // Validation rejects cycles; should one slip through, keep everything planned.
        return ordered + remaining.sorted()
    }

    static func dependencyMap(_ desired: DesiredState) -> [ResourceAddress: Set<ResourceAddress>] {
        var map: [ResourceAddress: Set<ResourceAddress>] = [:]
        for stack in desired.stacks { map[stack.address] = Set(stack.dependsOn) }
        for stream in desired.streams {
            var needs = Set(stream.dependsOn)
            if let stack = stream.stack { needs.insert(.stack(stack)) }
            map[stream.address] = needs
        }
        for consumer in desired.consumers {
            map[consumer.address] = Set(consumer.dependsOn).union([.stream(consumer.stream)])
        }
        return map
    }
}

/// Mutable state while one plan is built.
struct PlanBuilder {
    let desired: DesiredState
    let regions: [ResourceAddress: String]
    let live: LiveState
    let options: PlanOptions

    var changes: [ResourceChange] = []
    var steps: [PlanStep] = []
    var errors: [PlanError] = []
    var notDeclared: [UnmanagedResource] = []
    var retained: [UnmanagedResource] = []
    /// The steps each address's dependents must wait for: its own last step, or, when it
    /// has none, whatever it waited for itself (so ordering stays transitive).
    var frontier: [ResourceAddress: [Int]] = [:]

    let dependencies: [ResourceAddress: Set<ResourceAddress>]

    init(desired: DesiredState, regions: [ResourceAddress: String], live: LiveState, options: PlanOptions) {
        self.dependencies = Planner.dependencyMap(desired)
        self.desired = desired
        self.regions = regions
        self.live = live
        self.options = options
    }

    var ownershipTags: [String: String] { [OwnershipTag.key: options.project] }

    func region(of address: ResourceAddress) -> String { regions[address] ?? "" }

    /// Appends a step; returns its index. `region` is the resource's when it is not declared
    /// (a live resource of this project that no manifest names).
    @discardableResult
    mutating func addStep(
        _ operation: String, _ address: ResourceAddress, _ parameters: JSONValue,
        references: [String: StepReference] = [:], region: String? = nil, after dependencies: [Int?], reason: String
    ) -> Int {
        let index = steps.count
        let needs = Array(Set(dependencies.compactMap { $0 })).sorted()
        steps.append(
            PlanStep(
                index: index, operation: operation, address: address, region: region ?? self.region(of: address),
                parameters: parameters, references: references, dependsOn: needs, reason: reason))
        return index
    }

    /// Steps a resource's first step must wait for: the chains of everything it depends on.
    func prerequisites(of address: ResourceAddress) -> [Int] {
        let needs = dependencies[address] ?? []
        return Array(Set(needs.flatMap { frontier[$0] ?? [] })).sorted()
    }

    /// Records where `address`'s chain ended (nil: it has no steps of its own).
    mutating func finish(_ address: ResourceAddress, last: Int?) {
        frontier[address] = last.map { [$0] } ?? prerequisites(of: address)
    }

    /// Checks the ownership tag; records an error unless `--adopt` was given.
    /// Returns true when the plan must add the tag.
    mutating func needsAdoption(_ address: ResourceAddress, tags: [String: String]) -> Bool {
        let owner = tags[OwnershipTag.key]
        if owner == options.project { return false }
        if options.adopt { return true }
        errors.append(.notOwned(address: address, region: region(of: address), owner: owner, project: options.project))
        return false
    }

    mutating func planApply() {
        let order = Planner.dependencyOrder(desired)
        for address in order {
            switch address.kind {
            case .stack:
                if let stack = desired.stack(named: address.name) { planStack(stack) }
            case .stream:
                if let stream = desired.stream(named: address.name), stream.stack == nil { planDirectStream(stream) }
            case .streamConsumer:
                if let consumer = desired.consumer(named: address.name),
                    desired.stream(named: consumer.stream)?.stack == nil
                {
                    planDirectConsumer(consumer)
                }
            }
        }
        planUndeclared()
    }
}

/// Tag maps as the Kinesis and CloudFormation APIs take them.
enum TagParameters {
    static func kinesisMap(_ tags: [String: String]) -> JSONValue {
        .object(tags.mapValues(JSONValue.string))
    }

    static func cloudFormationList(_ tags: [String: String]) -> JSONValue {
        .array(tags.sorted { $0.key < $1.key }.map { .object(["Key": .string($0.key), "Value": .string($0.value)]) })
    }

    /// Tag maps of at most `size` entries (Kinesis takes at most 10 tags per call).
    static func chunks(_ tags: [String: String], size: Int = 10) -> [[String: String]] {
        let sorted = tags.sorted { $0.key < $1.key }
        return stride(from: 0, to: sorted.count, by: size).map {
            Dictionary(uniqueKeysWithValues: sorted[$0..<min($0 + size, sorted.count)].map { ($0.key, $0.value) })
        }
    }
}
