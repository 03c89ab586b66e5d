import AWSClient

/// The values a deployed template's intrinsic functions see: the pseudo parameters of
/// the stack's account and region, and the stack's actual parameter values.
public struct TemplateEvaluationContext: Sendable, Hashable {
    public var region: String
    public var accountId: String
    public var parameters: [String: String]

    public init(region: String, accountId: String, parameters: [String: String]) {
        self.region = region
        self.accountId = accountId
        self.parameters = parameters
    }

    /// The context of a deployed stack; its account is read from the stack's ARN
    /// (`arn:PARTITION:cloudformation:REGION:ACCOUNT:stack/NAME/ID`).
    public init(stackId: String, region: String, parameters: [String: String]) {
        let fields = stackId.split(separator: ":", omittingEmptySubsequences: false)
        self.init(region: region, accountId: fields.count > 4 ? String(fields[4]) : "", parameters: parameters)
    }

    /// `AWS::Partition`: China and GovCloud regions have partitions of their own.
    public var partition: String {
        if region.hasPrefix("cn-") { return "aws-cn" }
        if region.hasPrefix("us-gov-") { return "aws-us-gov" }
        return "aws"
    }

    /// `AWS::URLSuffix`.
    public var urlSuffix: String { region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com" }

    /// The value of a pseudo parameter this evaluator knows, or nil.
    func pseudoParameter(_ name: String) -> String? {
        switch name {
        case "AWS::Region": region
        case "AWS::Partition": partition
        case "AWS::AccountId": accountId.isEmpty ? nil : accountId
        case "AWS::URLSuffix": urlSuffix
        default: nil
        }
    }
}
