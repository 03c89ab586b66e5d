import AWSClient

/// A stream declared in a stack that the stack does not hold under the declared logical ID,
/// while a stream of that name exists. Its message keeps the stream's records first:
/// the fix that changes nothing in AWS comes before anything destructive.
public struct StackMemberGuidance: Sendable, Hashable, CustomStringConvertible {
    public enum Finding: Sendable, Hashable {
        /// The stack holds the stream under another logical ID (a CDK app's hashed ID, say).
        case deployedUnder(logicalId: String)
        /// The stream exists, but not in this stack.
        case outsideStack
    }

    public var stream: StreamSpec
    public var stack: String
    public var finding: Finding

    /// What the deployed template says about `stream`: the logical ID it has there, if any.
    static func finding(for stream: StreamSpec, in liveStack: LiveStack?) -> Finding {
        guard let liveStack else { return .outsideStack }
        let evaluator = liveStack.conditionEvaluator
        for (logicalId, resource) in liveStack.templateResources.sorted(by: { $0.key < $1.key })
        where resource["Type"]?.stringValue == PlanBuilder.kinesisStreamType {
            let name = resource["Properties"]?["Name"].flatMap { try? evaluator.evaluate($0) }
            if name?.stringValue == stream.name { return .deployedUnder(logicalId: logicalId) }
        }
        return .outsideStack
    }

    public var description: String {
        let address = "Stream/\(stream.name)"
        switch finding {
        case .deployedUnder(let logicalId):
            return "\(address) is declared in Stack/\(stack) under the logical ID \(stream.logicalId), but the stack "
                + "holds it under \(logicalId). Keep the deployed ID: add this line under metadata in its Stream "
                + "document (\(stream.location)):\n"
                + "    logicalId: \(logicalId)\n"
                + "or write the stack's manifests from what is deployed: "
                + "reconcile export --stack \(stack) --out DIR. Nothing was changed; the stream and its records stay."
        case .outsideStack:
            return "\(address) is declared in Stack/\(stack), but a stream with that name already exists outside "
                + "the stack, so CloudFormation cannot create it there. To keep the stream and its records, manage "
                + "it directly: remove metadata.stack from its Stream document (\(stream.location)) and run "
                + "'reconcile plan --adopt' ('reconcile export --stream \(stream.name)' writes that document). "
                + "Only if its records are not needed: delete the stream, then apply to create it in the stack."
        }
    }
}
