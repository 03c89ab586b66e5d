import AWSClient
import Formats

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
        let changes = builder.changes.map {
            StatementChanges.annotate(CapacityEstimator.annotate($0, desired: desired, live: live))
        }
        var plan = Plan(
            project: options.project, mode: options.mode, changes: changes, steps: builder.steps,
            notDeclared: builder.notDeclared.sorted { $0.address < $1.address },
            retained: builder.retained.sorted { $0.address < $1.address })
        plan.settled = settledReads(desired: desired, regions: regions, live: live)
        let warnings = ReshardingRounds.warnings(plan.steps)
        plan.warnings = warnings.isEmpty ? nil : warnings
        plan.accessChanges = AccessChange.of(changes)
        return plan
    }

    static func settledReads(
        desired: DesiredState, regions: [ResourceAddress: String], live: LiveState
    ) -> [SettledRead]? {
        let reads = desired.streams.compactMap { stream in
            live.settledStreams[stream.name].map {
                SettledRead(address: stream.address, region: regions[stream.address] ?? "", statusWhenRead: $0)
            }
        }
        return reads.isEmpty ? nil : reads
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
