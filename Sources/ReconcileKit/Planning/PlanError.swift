/// Why a plan cannot be made. Each case reads as one sentence with what to do.
public enum PlanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A declared resource exists but is not tagged as this project's.
    case notOwned(address: ResourceAddress, region: String, owner: String?, project: String)
    /// `destroy` refuses to delete what this project does not own.
    case notOwnedForDestroy(address: ResourceAddress, region: String, project: String)
    case stackInProgress(name: String, status: String)
    case stackNeedsRecovery(name: String, status: String)
    case terminationProtected(name: String)
    /// A stack-managed stream exists, but not under its declared logical ID in the stack.
    case streamNotInStack(StackMemberGuidance)
    case unresolvedRegion(address: ResourceAddress, reason: String)
    /// The shards the plan opens (at its resharding peak) exceed the account's shard limit.
    case shardLimitExceeded(region: String, limit: Int, open: Int, needed: Int, streams: [String])
    /// The streams the plan puts in on-demand mode exceed the account's on-demand stream limit.
    case onDemandStreamLimitExceeded(region: String, limit: Int, current: Int, streams: [String])
    case several([PlanError])

    public var description: String {
        switch self {
        case .notOwned(let address, let region, let owner, let project):
            let ownerText = owner.map { "belongs to project '\($0)'" } ?? "is not tagged reconcile:project=\(project)"
            return "\(address) already exists in \(region) and \(ownerText); reconcile will not take it over silently. "
                + "Re-run with --adopt to tag it as project '\(project)' and manage it."
        case .notOwnedForDestroy(let address, let region, let project):
            return "\(address) in \(region) is not tagged reconcile:project=\(project); destroy deletes only what this "
                + "project owns. Adopt it first (reconcile apply --adopt) or delete it yourself."
        case .stackInProgress(let name, let status):
            return
                "Stack/\(name) is \(status): another operation is running on it. Wait until it finishes, then plan again."
        case .stackNeedsRecovery(let name, let status):
            return "Stack/\(name) is \(status) and cannot be updated or deleted as it is. Recover it first "
                + "(aws cloudformation continue-update-rollback --stack-name \(name)), then plan again."
        case .terminationProtected(let name):
            return "Stack/\(name) has termination protection enabled, so it cannot be deleted. Set "
                + "spec.terminationProtection: false and apply, or disable it with "
                + "aws cloudformation update-termination-protection --no-enable-termination-protection --stack-name \(name)."
        case .streamNotInStack(let guidance):
            return guidance.description
        case .unresolvedRegion(let address, let reason):
            return "\(address): \(reason)"
        case .shardLimitExceeded(let region, let limit, let open, let needed, let streams):
            return "The plan needs up to \(needed) more Kinesis shards in \(region), but the account has \(open) of "
                + "its \(limit) open (DescribeLimits): \(streams.joined(separator: "; ")). Ask AWS for a higher "
                + "shard quota (Service Quotas), free shards elsewhere, or lower the shard counts; then plan again."
        case .onDemandStreamLimitExceeded(let region, let limit, let current, let streams):
            return "The plan puts \(streams.count) more stream\(streams.count == 1 ? "" : "s") in on-demand mode in "
                + "\(region) (\(streams.joined(separator: ", "))), but the account runs \(current) of its \(limit) "
                + "on-demand streams (DescribeLimits). Ask AWS for a higher on-demand stream quota, or declare "
                + "some of them PROVISIONED; then plan again."
        case .several(let errors):
            return errors.map(\.description).joined(separator: "\n")
        }
    }
}
