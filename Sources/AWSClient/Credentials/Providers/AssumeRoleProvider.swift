import Foundation

/// A profile's `role_arn`, assumed with credentials from `source_profile` or `credential_source`.
struct AssumeRoleProvider: CredentialProvider {
    let profile: String
    let request: AssumeRoleRequest
    let source: RefreshingCredentials
    let context: CredentialContext

    var sourceDescription: String { "assume-role \(request.roleArn), signed with \(source.sourceDescription)" }

    func fetch() async throws -> ExpiringCredentials {
        var request = self.request
        if let serial = request.serialNumber { request.tokenCode = try context.mfaPrompter.ask(serial, profile) }
        do {
            return try await context.sts(signedWith: source).assumeRole(request)
        } catch let error as AWSError {
            throw CredentialProviderError(
                source: "profile '\(profile)' (role_arn \(request.roleArn))",
                reason: "STS AssumeRole was refused: \(error.code): \(error.message)",
                fix: "check that the role exists, that its trust policy allows the source credentials "
                    + "and that external_id / mfa_serial match")
        }
    }

    /// botocore's default session name when the profile sets no `role_session_name`.
    static func defaultSessionName(now: Date) -> String { "botocore-session-\(Int(now.timeIntervalSince1970))" }
}
