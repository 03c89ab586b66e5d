import AWSSigV4
import Formats
import Foundation

/// IAM Identity Center: the cached `aws sso login` token buys role credentials from the portal
/// (`GetRoleCredentials`). With an `sso_session`, a token close to expiry is refreshed with SSO OIDC
/// `CreateToken` and the cache rewritten, as the AWS CLI does.
struct SSOProvider: CredentialProvider {
    struct Settings: Sendable {
        var profile: String
        var accountId: String
        var roleName: String
        var startURL: String
        var region: String
        var sessionName: String?
    }

    let settings: Settings
    let cache: SSOTokenCache
    let context: CredentialContext

    /// botocore refreshes SSO tokens this long before they expire.
    static let refreshWindow: TimeInterval = 15 * 60

    var sourceDescription: String {
        "IAM Identity Center \(settings.roleName) in \(settings.accountId)"
            + (settings.sessionName.map { " (sso-session \($0))" } ?? " (sso_start_url)")
    }

    private var origin: String { "IAM Identity Center for profile '\(settings.profile)'" }

    func fetch() async throws -> ExpiringCredentials {
        let token = try await currentToken()
        return try await roleCredentials(accessToken: token.accessToken)
    }

    var loginError: CredentialProviderError {
        CredentialProviderError(
            source: origin, reason: "the SSO session has expired or there is no cached login",
            fix: "run `aws sso login --profile \(settings.profile)`")
    }

    /// The cached token, refreshed first when it is about to expire and the session allows it.
    func currentToken() async throws -> SSOTokenCache.Token {
        guard let token = cache.load() else { throw loginError }
        let now = context.clock()
        if token.expiresAt.timeIntervalSince(now) > Self.refreshWindow { return token }
        if settings.sessionName != nil, let refreshed = try? await refresh(token, now: now) {
            try? cache.save(refreshed)
            return refreshed
        }
        guard token.expiresAt > now else { throw loginError }
        return token
    }

    /// SSO OIDC `CreateToken` with the refresh token; nil when the cache cannot be refreshed.
    func refresh(_ token: SSOTokenCache.Token, now: Date) async throws -> SSOTokenCache.Token? {
        guard let refreshToken = token.refreshToken, let clientId = token.clientId,
            let clientSecret = token.clientSecret,
            (token.registrationExpiresAt ?? .distantFuture) > now
        else { return nil }
        let base = try context.endpoint(
            variable: "AWS_ENDPOINT_URL_SSO_OIDC", fallback: "https://oidc.\(settings.region).amazonaws.com")
        let body = JSONValue.object([
            "grantType": "refresh_token", "clientId": .string(clientId), "clientSecret": .string(clientSecret),
            "refreshToken": .string(refreshToken)
        ])
        let answer = try await context.transport.send(
            method: .POST, url: base.appendingPathComponent("token"), headers: [("Content-Type", "application/json")],
            body: body.serializedBytes(), timeout: .seconds(30))
        guard answer.statusCode == 200, let json = try? JSONValue.parse(Data(answer.body)),
            let accessToken = json["accessToken"]?.stringValue, let expiresIn = json["expiresIn"]?.intValue
        else { return nil }
        var refreshed = token
        refreshed.accessToken = accessToken
        refreshed.expiresAt = now.addingTimeInterval(TimeInterval(expiresIn))
        refreshed.refreshToken = json["refreshToken"]?.stringValue ?? token.refreshToken
        return refreshed
    }

    /// The portal's `GetRoleCredentials` (`AWS_ENDPOINT_URL_SSO` honoured).
    func roleCredentials(accessToken: String) async throws -> ExpiringCredentials {
        let base = try context.endpoint(
            variable: "AWS_ENDPOINT_URL_SSO", fallback: "https://portal.sso.\(settings.region).amazonaws.com")
        var components = URLComponents(
            url: base.appendingPathComponent("federation/credentials"), resolvingAgainstBaseURL: false)
        components?.queryItems = [
            URLQueryItem(name: "role_name", value: settings.roleName),
            URLQueryItem(name: "account_id", value: settings.accountId)
        ]
        guard let url = components?.url else {
            throw EndpointError.invalidURL(base.absoluteString, source: "AWS_ENDPOINT_URL_SSO")
        }
        let answer = try await context.transport.send(
            method: .GET, url: url, headers: [("x-amz-sso_bearer_token", accessToken)], timeout: .seconds(30))
        if answer.statusCode == 401 { throw loginError }
        guard answer.statusCode == 200, let json = try? JSONValue.parse(Data(answer.body)),
            let role = json["roleCredentials"], let accessKey = role["accessKeyId"]?.stringValue,
            let secretKey = role["secretAccessKey"]?.stringValue
        else {
            throw CredentialProviderError(
                source: origin,
                reason:
                    "GetRoleCredentials for role \(settings.roleName) in account \(settings.accountId) answered HTTP "
                    + "\(answer.statusCode)",
                fix: "check sso_account_id and sso_role_name, and that your user may use that role")
        }
        let expiration = role["expiration"]?.intValue.map { Date(timeIntervalSince1970: TimeInterval($0) / 1000) }
        return ExpiringCredentials(
            Credentials(
                accessKeyId: accessKey, secretAccessKey: secretKey, sessionToken: role["sessionToken"]?.stringValue),
            expiration: expiration)
    }
}
