import AWSClient
import Formats

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
        _ action: StepAction, _ address: ResourceAddress, region: String? = nil, after dependencies: [Int?],
        reason: String
    ) -> Int {
        let index = steps.count
        let needs = Array(Set(dependencies.compactMap { $0 })).sorted()
        steps.append(
            PlanStep(
                index: index, action: action, address: address, region: region ?? self.region(of: address),
                dependsOn: needs, reason: reason))
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
