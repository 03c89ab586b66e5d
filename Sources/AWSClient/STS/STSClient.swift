import Formats
import Foundation

/// STS over the Query protocol (version 2011-06-15): who are these credentials?
public struct STSClient: ServiceClient {
    let endpoint: ServiceEndpoint

    static let wire = QueryProtocol(version: "2011-06-15")

    public func getCallerIdentity() async throws -> (account: String, arn: String, userId: String) {
        let result = try await send(.getCallerIdentity, [:])
        guard let account = result.text(of: "Account"), let arn = result.text(of: "Arn") else {
            throw AWSClientError.missingField(service: .sts, operation: "GetCallerIdentity", field: "Account/Arn")
        }
        return (account, arn, result.text(of: "UserId") ?? "")
    }
}
