/// Room for reconcile's policy tag: a directly managed stream whose policies reconcile manages (its own or a
/// consumer's) carries `reconcile:resource-policy` next to the ownership tag, so AWS's 50 tags leave 48.
extension ManifestCrossChecker {
    static let maximumTagsWithPolicies = TagRules.maximumDeclaredTags - 1

    func checkPolicyTagRoom(
        streams: [String: (spec: StreamSpec, metadata: DeclaredMetadata)],
        consumers: [(spec: ConsumerSpec, metadata: DeclaredMetadata)], diagnostics: inout DiagnosticCollector
    ) {
        let withConsumerPolicies = Set(consumers.filter { $0.spec.resourcePolicy != nil }.map(\.spec.stream))
        for (name, stream) in streams.sorted(by: { $0.key < $1.key }) where stream.spec.stack == nil {
            guard stream.spec.resourcePolicy != nil || withConsumerPolicies.contains(name),
                stream.spec.tags.count > Self.maximumTagsWithPolicies
            else { continue }
            diagnostics.error(
                at: stream.metadata.name.location,
                "\(stream.spec.address) declares \(stream.spec.tags.count) tags; with a resource policy (its own or a "
                    + "consumer's) at most \(Self.maximumTagsWithPolicies): AWS allows 50 per stream and reconcile "
                    + "adds reconcile:project and reconcile:resource-policy")
        }
    }
}
