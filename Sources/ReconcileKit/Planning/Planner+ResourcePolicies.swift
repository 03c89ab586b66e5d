import AWSClient
import Formats

/// Resource policies of directly managed streams and consumers: PutResourcePolicy when the declared
/// document differs in meaning from the live one, DeleteResourcePolicy when none is declared any more.
extension PlanBuilder {
    /// Appends the policy step of one resource after `previous`; returns the chain's new end and the
    /// property change the plan shows (nil when nothing changes).
    /// - Parameter managed: reconcile manages this stream's policies (its tag is there), so a live policy
    ///   the manifests no longer declare is deleted; without it a live policy nobody declared is left alone.
    mutating func planResourcePolicy(
        declared: ResourcePolicy?, live: ResourcePolicy?, managed: Bool, target: PolicyTarget,
        _ address: ResourceAddress, after previous: Int?, extraDependencies: [Int] = []
    ) -> (last: Int?, property: PropertyChange?) {
        let property = PropertyChange(
            path: ResourcePolicy.propertyPath, before: live?.document ?? .null, after: declared?.document ?? .null)
        if let declared {
            if let live, declared.isEquivalent(to: live) { return (previous, nil) }
            let step = addStep(
                .putResourcePolicy(target: target, policy: declared), address, after: [previous] + extraDependencies,
                reason: live == nil ? "attach resource policy" : "replace resource policy")
            return (step, property)
        }
        guard live != nil, managed else { return (previous, nil) }
        let step = addStep(
            .deleteResourcePolicy(target: target), address, after: [previous] + extraDependencies,
            reason: "resource policy no longer declared")
        return (step, property)
    }

    /// The tags a directly managed stream needs for its policies: reconcile's policy tag once a policy is
    /// declared for it or its consumers (none when it is already there or nothing is declared).
    func resourcePolicyTags(for spec: StreamSpec, live: LiveStream?) -> [String: String] {
        guard desired.declaresResourcePolicies(stream: spec.name), !(live?.managesResourcePolicies ?? false) else {
            return [:]
        }
        return [OwnershipTag.resourcePolicyKey: OwnershipTag.resourcePolicyValue]
    }
}

extension ResourcePolicy {
    /// The property path under which plans show a resource policy.
    public static let propertyPath = "resourcePolicy"
}

/// A principal gains access through a resource policy: reviewers see who, on what.
public struct AccessChange: Sendable, Hashable, Codable {
    public var address: ResourceAddress
    public var region: String
    /// Principals of `Allow` statements that no `Allow` statement named before (`AWS:arn:…`, `*`).
    public var newPrincipals: [String]

    public init(address: ResourceAddress, region: String, newPrincipals: [String]) {
        self.address = address
        self.region = region
        self.newPrincipals = newPrincipals
    }

    /// Every change whose resource policy grants a principal access it did not have; nil when none.
    static func of(_ changes: [ResourceChange]) -> [AccessChange]? {
        let found = changes.compactMap { change -> AccessChange? in
            guard let diff = change.resourcePolicyDiff, !diff.newPrincipals.isEmpty else { return nil }
            return AccessChange(address: change.address, region: change.region, newPrincipals: diff.newPrincipals)
        }
        return found.isEmpty ? nil : found
    }
}

extension ResourceChange {
    /// The statement-level difference of its resource policy; nil when the policy does not change.
    public var resourcePolicyDiff: ResourcePolicyDiff? {
        guard let property = properties.first(where: { $0.path == ResourcePolicy.propertyPath }) else { return nil }
        return property.resourcePolicyDiff
    }
}

extension PropertyChange {
    /// For the `resourcePolicy` property: its statement-level difference.
    public var resourcePolicyDiff: ResourcePolicyDiff? {
        guard path == ResourcePolicy.propertyPath else { return nil }
        func policy(_ value: JSONValue) -> ResourcePolicy? { value == .null ? nil : ResourcePolicy(document: value) }
        return ResourcePolicyDiff(from: policy(before), to: policy(after))
    }
}
