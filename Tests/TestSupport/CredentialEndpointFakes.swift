import Foundation

/// Temporary credentials a fake endpoint hands out (in tests: keys moto's STS issued).
public struct FakeCredentials: Sendable {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String
    public var expiration: Date

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String, expiration: Date) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    var iso8601Expiration: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: expiration)
    }

    /// The body IMDS and the ECS endpoint answer.
    var metadataJSON: String {
        """
        {"Code": "Success", "Type": "AWS-HMAC", "AccessKeyId": "\(accessKeyId)", "SecretAccessKey": "\(secretAccessKey)", \
        "Token": "\(sessionToken)", "Expiration": "\(iso8601Expiration)", "RoleArn": "arn:aws:iam::123456789012:role/fake"}
        """
    }
}

/// Routes of the fakes, as AWS documents them; each checks what the real endpoint checks.
public enum CredentialEndpointFakes {
    /// IMDSv2: a token from `PUT /latest/api/token` (with a TTL header) is required on every GET.
    public static func instanceMetadata(
        role: String, token: String, credentials: @escaping @Sendable () -> FakeCredentials
    )
        -> @Sendable (RoutingHTTPServer.Request) -> RoutingHTTPServer.Reply
    {
        { request in
            let base = "/latest/meta-data/iam/security-credentials/"
            if request.method == "PUT", request.uri == "/latest/api/token" {
                guard request.headers["x-aws-ec2-metadata-token-ttl-seconds"] != nil else {
                    return .respond(status: 400)
                }
                return .respond(status: 200, body: token)
            }
            guard request.method == "GET", request.headers["x-aws-ec2-metadata-token"] == token else {
                return .respond(status: 401)
            }
            if request.uri == base { return .respond(status: 200, body: role) }
            if request.uri == base + role { return .respond(status: 200, body: credentials().metadataJSON) }
            return .respond(status: 404)
        }
    }

    /// The ECS / EKS container endpoint: `Authorization` must equal `authorization` when given.
    public static func container(
        path: String, authorization: String?, credentials: @escaping @Sendable () -> FakeCredentials
    )
        -> @Sendable (RoutingHTTPServer.Request) -> RoutingHTTPServer.Reply
    {
        { request in
            if let authorization, request.headers["authorization"] != authorization { return .respond(status: 401) }
            guard request.method == "GET", request.uri == path else { return .respond(status: 404) }
            return .respond(
                status: 200, headers: ["Content-Type": "application/json"], body: credentials().metadataJSON)
        }
    }

    /// The IAM Identity Center portal (`GET /federation/credentials`) and SSO OIDC (`POST /token`)
    /// on one server: the bearer token must be one `validAccessTokens` returns; `CreateToken`
    /// accepts `refreshToken` and issues `newAccessToken`.
    public static func identityCenter(
        account: String, role: String, validAccessTokens: @escaping @Sendable () -> Set<String>, refreshToken: String,
        newAccessToken: String, credentials: @escaping @Sendable () -> FakeCredentials
    ) -> @Sendable (RoutingHTTPServer.Request) -> RoutingHTTPServer.Reply {
        { request in
            if request.method == "POST", request.uri == "/token" {
                guard
                    request.body.contains("\"refreshToken\":\"\(refreshToken)\"")
                        || request.body.contains("\"refreshToken\": \"\(refreshToken)\"")
                else {
                    return .respond(status: 400, body: #"{"error":"invalid_grant"}"#)
                }
                return .respond(
                    status: 200, headers: ["Content-Type": "application/json"],
                    body:
                        #"{"accessToken":"\#(newAccessToken)","expiresIn":3600,"tokenType":"Bearer","refreshToken":"\#(refreshToken)-2"}"#
                )
            }
            guard request.method == "GET", request.uri.hasPrefix("/federation/credentials?") else {
                return .respond(status: 404)
            }
            guard let bearer = request.headers["x-amz-sso_bearer_token"], validAccessTokens().contains(bearer) else {
                return .respond(status: 401, body: #"{"message":"Session token not found or invalid"}"#)
            }
            guard request.uri.contains("account_id=\(account)"), request.uri.contains("role_name=\(role)") else {
                return .respond(status: 403, body: #"{"message":"No access"}"#)
            }
            let value = credentials()
            let millis = Int(value.expiration.timeIntervalSince1970 * 1000)
            return .respond(
                status: 200, headers: ["Content-Type": "application/json"],
                body:
                    #"{"roleCredentials":{"accessKeyId":"\#(value.accessKeyId)","secretAccessKey":"\#(value.secretAccessKey)","sessionToken":"\#(value.sessionToken)","expiration":\#(millis)}}"#
            )
        }
    }
}
