import AWSClient
import Formats

extension LiveStack {
    /// An evaluator of this stack's deployed template, in its region, account and parameters.
    var conditionEvaluator: TemplateConditionEvaluator {
        TemplateConditionEvaluator(
            template: template ?? .object([:]),
            context: TemplateEvaluationContext(stackId: stackId, region: region, parameters: parameters))
    }

    /// A deployed resource with its properties evaluated as CloudFormation deployed them
    /// (so CDK's conditional encryption reads as KMS); as deployed when they cannot be.
    func evaluated(_ resource: JSONValue) -> JSONValue {
        guard var members = resource.objectValue, let properties = resource["Properties"],
            let evaluated = try? conditionEvaluator.evaluate(properties)
        else { return resource }
        members["Properties"] = evaluated
        return .object(members)
    }
}
