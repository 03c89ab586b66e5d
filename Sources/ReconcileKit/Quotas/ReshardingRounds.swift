/// AWS allows at most 10 UpdateShardCount calls per stream in any rolling 24 hours (the
/// operation's documented default limits). A plan whose resize of one stream needs more rounds
/// than that cannot finish in one day: the calls after the 10th are refused until a day has
/// passed since the first. The plan says so beforehand instead of failing halfway.
enum ReshardingRounds {
    static let callsPerDay = 10

    /// One warning per stream whose planned UpdateShardCount steps exceed the daily allowance.
    static func warnings(_ steps: [PlanStep]) -> [PlanWarning] {
        var rounds: [ResourceAddress: [PlanStep]] = [:]
        for step in steps {
            if case .updateShardCount = step.action { rounds[step.address, default: []].append(step) }
        }
        return rounds.keys.sorted().compactMap { address in
            guard let calls = rounds[address], calls.count > callsPerDay, let last = calls.last,
                case .updateShardCount(_, let target) = last.action
            else { return nil }
            let message =
                "\(address) needs \(calls.count) UpdateShardCount calls to reach \(target) shards (each may at most "
                + "double or halve); AWS allows \(callsPerDay) per stream in any rolling 24 hours, so the calls after "
                + "the \(callsPerDay)th fail until a day has passed since the first (fewer if the stream was resized "
                + "in the last 24 hours). Resize in two applies a day apart, or choose a closer target."
            return PlanWarning(
                kind: .reshardingRoundsOverDailyLimit, address: address, region: last.region, message: message)
        }
    }
}
