import Foundation

/// OIDC web identity (EKS, GitHub Actions and other CI): the token file is read on every fetch,
/// because the platform rotates it, and sent unsigned to STS `AssumeRoleWithWebIdentity`.
struct WebIdentityProvider: CredentialProvider {
    let roleArn: String
    let tokenFile: String
    let sessionName: String
    /// "environment (AWS_WEB_IDENTITY_TOKEN_FILE)" or "profile 'ci'".
    let origin: String
    let context: CredentialContext

    var sourceDescription: String { "web identity \(roleArn) (\(origin))" }

    func fetch() async throws -> ExpiringCredentials {
        guard let data = FileManager.default.contents(atPath: tokenFile),
            case let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines),
            !token.isEmpty
        else {
            throw CredentialProviderError(
                source: "web identity (\(origin))",
                reason: "the token file '\(tokenFile)' is missing, unreadable or empty",
                fix: "point web_identity_token_file / AWS_WEB_IDENTITY_TOKEN_FILE to the OIDC token the platform writes"
            )
        }
        let request = AssumeRoleWithWebIdentityRequest(
            roleArn: roleArn, roleSessionName: sessionName, webIdentityToken: token)
        do {
            return try await context.sts(signedWith: nil).assumeRoleWithWebIdentity(request)
        } catch let error as AWSError {
            throw CredentialProviderError(
                source: "web identity \(roleArn) (\(origin))",
                reason: "STS AssumeRoleWithWebIdentity was refused: \(error.code): \(error.message)",
                fix: "check the role's trust policy for this OIDC provider, audience and subject")
        }
    }
}
