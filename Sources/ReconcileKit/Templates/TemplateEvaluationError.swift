/// Why a template value could not be evaluated; the value then stays as deployed.
public enum TemplateEvaluationError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknownCondition(String)
    case conditionCycle([String])
    case unsupportedFunction(String)
    case unresolvableReference(String, why: String)
    case malformed(function: String, expected: String)
    case notACondition(String)

    public var description: String {
        switch self {
        case .unknownCondition(let name):
            "condition '\(name)' is not in the template's Conditions"
        case .conditionCycle(let names):
            "conditions refer to each other in a cycle: \(names.joined(separator: " → "))"
        case .unsupportedFunction(let name):
            "\(name) is not evaluated by reconcile "
                + "(only Ref, Condition, Fn::If, Fn::Equals, Fn::And, Fn::Or and Fn::Not)"
        case .unresolvableReference(let name, let why):
            "Ref \(name) cannot be evaluated: \(why)"
        case .malformed(let function, let expected):
            "\(function) must be \(expected)"
        case .notACondition(let text):
            "\(text) is not a condition (true or false)"
        }
    }
}
