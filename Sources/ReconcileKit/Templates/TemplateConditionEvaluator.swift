import AWSClient
import Formats

/// Evaluates a deployed template's conditions and condition functions for one stack, so
/// that a property such as CDK's `Fn::If [UnsupportedRegions, Ref AWS::NoValue, {…}]`
/// becomes the literal value CloudFormation deployed. Anything it cannot know (resource
/// attributes, SSM-resolved parameters, other functions) is refused with a reason.
public struct TemplateConditionEvaluator: Sendable {
    public let context: TemplateEvaluationContext
    let conditions: [String: JSONValue]
    let parameterDeclarations: [String: JSONValue]

    public init(template: JSONValue, context: TemplateEvaluationContext) {
        self.context = context
        conditions = template["Conditions"]?.objectValue ?? [:]
        parameterDeclarations = template["Parameters"]?.objectValue ?? [:]
    }

    /// The value CloudFormation sees for `value`; nil when it is absent (`Ref AWS::NoValue`).
    public func evaluate(_ value: JSONValue) throws(TemplateEvaluationError) -> JSONValue? {
        switch value {
        case .object(let members):
            if members.count == 1, let member = members.first, Self.isIntrinsic(member.key) {
                return try intrinsic(member.key, member.value)
            }
            var result: [String: JSONValue] = [:]
            for (key, member) in members {
                if let evaluated = try evaluate(member) { result[key] = evaluated }
            }
            return .object(result)
        case .array(let items):
            var result: [JSONValue] = []
            for item in items {
                if let evaluated = try evaluate(item) { result.append(evaluated) }
            }
            return .array(result)
        default:
            return value
        }
    }

    /// The truth of the named condition in the template's Conditions section.
    public func condition(_ name: String) throws(TemplateEvaluationError) -> Bool {
        try condition(name, visiting: [])
    }

    static func isIntrinsic(_ key: String) -> Bool {
        key == "Ref" || key == "Condition" || key.hasPrefix("Fn::")
    }

    private func condition(_ name: String, visiting: [String]) throws(TemplateEvaluationError) -> Bool {
        if visiting.contains(name) { throw .conditionCycle(visiting + [name]) }
        guard let body = conditions[name] else { throw .unknownCondition(name) }
        return try truth(body, visiting: visiting + [name])
    }

    /// A condition body: a condition function or a `Condition` reference.
    private func truth(_ value: JSONValue, visiting: [String]) throws(TemplateEvaluationError) -> Bool {
        guard case .object(let members) = value, members.count == 1, let member = members.first else {
            if let flag = value.boolValue { return flag }
            throw .notACondition(value.serializedString())
        }
        let (name, argument) = (member.key, member.value)
        switch name {
        case "Condition":
            guard let referenced = argument.stringValue else {
                throw .malformed(function: name, expected: "a condition name")
            }
            return try condition(referenced, visiting: visiting)
        case "Fn::Equals":
            guard let operands = argument.arrayValue, operands.count == 2 else {
                throw .malformed(function: name, expected: "a list of two values")
            }
            return Self.equal(try operand(operands[0]), try operand(operands[1]))
        case "Fn::Not":
            guard let operands = argument.arrayValue, operands.count == 1 else {
                throw .malformed(function: name, expected: "a list of one condition")
            }
            return !(try truth(operands[0], visiting: visiting))
        case "Fn::And", "Fn::Or":
            guard let operands = argument.arrayValue, (2...10).contains(operands.count) else {
                throw .malformed(function: name, expected: "a list of 2 to 10 conditions")
            }
            var results: [Bool] = []
            for operand in operands { results.append(try truth(operand, visiting: visiting)) }
            return name == "Fn::And" ? !results.contains(false) : results.contains(true)
        default:
            if Self.isIntrinsic(name) { throw .unsupportedFunction(name) }
            throw .notACondition(value.serializedString())
        }
    }

    private func operand(_ value: JSONValue) throws(TemplateEvaluationError) -> JSONValue {
        guard let evaluated = try evaluate(value) else {
            throw .malformed(function: "Fn::Equals", expected: "compared with values, not AWS::NoValue")
        }
        return evaluated
    }

    private func intrinsic(_ name: String, _ argument: JSONValue) throws(TemplateEvaluationError) -> JSONValue? {
        switch name {
        case "Ref":
            guard let target = argument.stringValue else { throw .malformed(function: name, expected: "a name") }
            return try reference(target)
        case "Fn::If":
            guard let operands = argument.arrayValue, operands.count == 3, let conditionName = operands[0].stringValue
            else {
                throw .malformed(function: name, expected: "a list of a condition name and two values")
            }
            return try evaluate(try condition(conditionName) ? operands[1] : operands[2])
        case "Condition", "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or":
            return .bool(try truth(.object([name: argument]), visiting: []))
        default:
            throw .unsupportedFunction(name)
        }
    }

    private func reference(_ target: String) throws(TemplateEvaluationError) -> JSONValue? {
        if target == "AWS::NoValue" { return nil }
        if target.hasPrefix("AWS::") {
            guard let value = context.pseudoParameter(target) else {
                throw .unresolvableReference(target, why: "its value is only known to CloudFormation")
            }
            return .string(value)
        }
        guard let declaration = parameterDeclarations[target] else {
            throw .unresolvableReference(target, why: "it names a resource, whose value CloudFormation assigns")
        }
        let type = declaration["Type"]?.stringValue ?? "String"
        if type.hasPrefix("AWS::SSM::Parameter::Value") {
            throw .unresolvableReference(
                target, why: "CloudFormation resolves it from SSM Parameter Store at deploy time")
        }
        guard let value = context.parameters[target] ?? declaration["Default"]?.stringValue else {
            throw .unresolvableReference(target, why: "the stack has no value for this parameter")
        }
        if type == "CommaDelimitedList" || type.hasPrefix("List<") {
            return .array(value.split(separator: ",", omittingEmptySubsequences: false).map { .string(String($0)) })
        }
        return .string(value)
    }

    /// CloudFormation compares scalars by their text (`"1"` equals `1`).
    static func equal(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        if let left = scalarText(lhs), let right = scalarText(rhs) { return left == right }
        return lhs == rhs
    }

    static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }
}
