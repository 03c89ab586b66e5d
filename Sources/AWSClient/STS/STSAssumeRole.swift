import AWSSigV4
import Formats
import Foundation

/// STS `AssumeRole`: the parameters botocore sends from a profile's role settings.
public struct AssumeRoleRequest: Sendable, Equatable {
    public var roleArn: String
    public var roleSessionName: String
    public var externalId: String?
    public var durationSeconds: Int?
    public var serialNumber: String?
    public var tokenCode: String?

    var parameters: JSONValue {
        var fields: [String: JSONValue] = ["RoleArn": .string(roleArn), "RoleSessionName": .string(roleSessionName)]
        if let externalId { fields["ExternalId"] = .string(externalId) }
        if let durationSeconds { fields["DurationSeconds"] = .int(durationSeconds) }
        if let serialNumber { fields["SerialNumber"] = .string(serialNumber) }
        if let tokenCode { fields["TokenCode"] = .string(tokenCode) }
        return .object(fields)
    }
}

/// STS `AssumeRoleWithWebIdentity`: sent unsigned; the token is the proof.
public struct AssumeRoleWithWebIdentityRequest: Sendable, Equatable {
    public var roleArn: String
    public var roleSessionName: String
    public var webIdentityToken: String

    var parameters: JSONValue {
        .object([
            "RoleArn": .string(roleArn), "RoleSessionName": .string(roleSessionName),
            "WebIdentityToken": .string(webIdentityToken)
        ])
    }
}

extension STSClient {
    public func assumeRole(_ request: AssumeRoleRequest) async throws -> ExpiringCredentials {
        try Self.credentials(in: try await send("AssumeRole", request.parameters), operation: "AssumeRole")
    }

    public func assumeRoleWithWebIdentity(
        _ request: AssumeRoleWithWebIdentityRequest
    ) async throws -> ExpiringCredentials {
        let operation = "AssumeRoleWithWebIdentity"
        return try Self.credentials(in: try await send(operation, request.parameters), operation: operation)
    }

    /// The `<Credentials>` element of an assume-role answer.
    static func credentials(in result: XMLNode, operation: String) throws -> ExpiringCredentials {
        guard let node = result.child("Credentials"), let accessKey = node.text(of: "AccessKeyId"),
            let secretKey = node.text(of: "SecretAccessKey")
        else { throw AWSClientError.missingField(service: .sts, operation: operation, field: "Credentials") }
        return ExpiringCredentials(
            Credentials(
                accessKeyId: accessKey, secretAccessKey: secretKey, sessionToken: node.text(of: "SessionToken")),
            expiration: node.text(of: "Expiration").flatMap(AWSTimestamp.parse))
    }
}
