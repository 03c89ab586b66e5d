import Formats
import Foundation

/// STS over the Query protocol (version 2011-06-15): who are these credentials?
public struct STSClient: Sendable {
    public let region: String
    public let endpoint: URL
    let client: AWSClient

    static let version = "2011-06-15"

    init(client: AWSClient, region: String, endpoint: URL) {
        self.client = client
        self.region = region
        self.endpoint = endpoint
    }

    /// An STS Query action; returns the `<ActionResult>` element.
    public func send(_ operation: AWSOperation, _ parameters: JSONValue) async throws -> XMLNode {
        try await send(operation.name, parameters)
    }

    /// Any STS action name (tests of the transport).
    func send(_ action: String, _ parameters: JSONValue) async throws -> XMLNode {
        try await QueryProtocol.call(
            client: client, service: .sts, version: Self.version, action: action, region: region, endpoint: endpoint,
            parameters: parameters)
    }

    public func getCallerIdentity() async throws -> (account: String, arn: String, userId: String) {
        let result = try await send(.getCallerIdentity, [:])
        guard let account = result.text(of: "Account"), let arn = result.text(of: "Arn") else {
            throw AWSClientError.missingField(service: .sts, operation: "GetCallerIdentity", field: "Account/Arn")
        }
        return (account, arn, result.text(of: "UserId") ?? "")
    }
}
