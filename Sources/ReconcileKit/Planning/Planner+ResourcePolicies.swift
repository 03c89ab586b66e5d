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

/// A resource policy's statement-level difference as the JSON plan writes it (statements as written).
public struct StatementChanges: Sendable, Hashable, Codable {
    public struct Change: Sendable, Hashable, Codable {
        public var before: JSONValue
        public var after: JSONValue
    }

    public var added: [JSONValue]
    public var removed: [JSONValue]
    public var changed: [Change]

    init(_ diff: ResourcePolicyDiff) {
        added = diff.added.map(\.json)
        removed = diff.removed.map(\.json)
        changed = diff.changed.map { Change(before: $0.before.json, after: $0.after.json) }
    }

    /// Every property that is a resource policy gets its statement changes.
    static func annotate(_ change: ResourceChange) -> ResourceChange {
        var annotated = change
        for index in annotated.properties.indices {
            if let diff = annotated.properties[index].resourcePolicyDiff {
                annotated.properties[index].statements = StatementChanges(diff)
            }
        }
        return annotated
    }
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
            let principals = Set(change.properties.compactMap(\.resourcePolicyDiff).flatMap(\.newPrincipals))
            guard !principals.isEmpty else { return nil }
            return AccessChange(address: change.address, region: change.region, newPrincipals: principals.sorted())
        }
        return found.isEmpty ? nil : found
    }
}

extension PropertyChange {
    static let resourcePolicyType = "AWS::Kinesis::ResourcePolicy"

    /// For a resource policy (the `resourcePolicy` property of a direct stream or consumer, or an
    /// `AWS::Kinesis::ResourcePolicy` resource of a stack's template): its statement-level difference.
    public var resourcePolicyDiff: ResourcePolicyDiff? {
        func policy(_ value: JSONValue?) -> ResourcePolicy? {
            guard let value, value != .null else { return nil }
            return ResourcePolicy(document: value)
        }
        if path == ResourcePolicy.propertyPath { return ResourcePolicyDiff(from: policy(before), to: policy(after)) }
        guard isTemplateResourcePolicy else { return nil }
        return ResourcePolicyDiff(
            from: policy(before["Properties"]?["ResourcePolicy"]), to: policy(after["Properties"]?["ResourcePolicy"]))
    }

    var isTemplateResourcePolicy: Bool {
        path.hasPrefix("template.Resources.")
            && (after == .null ? before : after)["Type"]?.stringValue == Self.resourcePolicyType
    }

    /// What a template's resource policy is attached to: the logical id its `ResourceArn` reads (`!GetAtt`).
    var templatePolicyTarget: String? {
        guard isTemplateResourcePolicy else { return nil }
        let arn = (after == .null ? before : after)["Properties"]?["ResourceArn"]
        return arn?["Fn::GetAtt"]?.arrayValue?.first?.stringValue ?? arn?.stringValue
    }
}
