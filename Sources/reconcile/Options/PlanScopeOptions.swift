import ArgumentParser

/// What a plan covers, shared by `plan` and `apply` so both spell and explain it alike.
struct PlanScopeOptions: ParsableArguments {
    @Flag(help: "Delete this project's live resources that are no longer declared.")
    var prune = false

    @Flag(help: "Take over declared resources that exist without this project's ownership tag.")
    var adopt = false

    @Flag(name: .customLong("no-cost"), help: "Leave out the capacity and estimated cost delta of stream changes.")
    var noCost = false
}
