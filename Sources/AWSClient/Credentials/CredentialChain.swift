import AWSSigV4
import Foundation

/// botocore's credential chain, in its order. Resolution reads only variables and files (so a
/// misconfiguration fails before any request); the chosen provider does its network work lazily.
///
/// 1. `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`), unless `--profile` is given.
/// 2. The profile (`--profile`, else `AWS_PROFILE`, else `default`): `role_arn` with `source_profile`
///    or `credential_source`; web identity (`AWS_ROLE_ARN` + `AWS_WEB_IDENTITY_TOKEN_FILE`, unless
///    `--profile` is given, else the profile's `web_identity_token_file`); IAM Identity Center;
///    static keys in the credentials file; `credential_process`; static keys in the config file.
/// 3. Container credentials, then the EC2 instance role.
enum CredentialChain {
    static func resolve(explicitProfile: String?, context: CredentialContext) throws -> any CredentialProvider {
        let environment = context.environment
        let explicit = explicitProfile.flatMap { $0.isEmpty ? nil : $0 }
        if explicit == nil, let keys = try environmentKeys(environment) { return keys }
        let name = explicit ?? environment["AWS_PROFILE"] ?? "default"
        let named = explicit != nil || environment["AWS_PROFILE"] != nil
        if named, context.profiles.profile(name) == nil {
            throw CredentialsError.profileNotFound(
                profile: name, credentialsFile: context.profiles.credentialsPath,
                configFile: context.profiles.configPath)
        }
        var resolver = ProfileResolver(context: context, useEnvironmentWebIdentity: explicit == nil)
        if let provider = try resolver.provider(forProfile: name, visited: [name]) { return provider }
        if let container = try ContainerCredentialProvider.make(context: context) { return container }
        if let metadata = instanceMetadata(context: context, lastResort: true) { return metadata }
        throw noCredentials(context)
    }

    static func environmentKeys(_ environment: AWSEnvironment) throws -> StaticCredentialProvider? {
        switch (environment["AWS_ACCESS_KEY_ID"], environment["AWS_SECRET_ACCESS_KEY"]) {
        case (let accessKey?, let secretKey?):
            let credentials = Credentials(
                accessKeyId: accessKey, secretAccessKey: secretKey, sessionToken: environment["AWS_SESSION_TOKEN"])
            return StaticCredentialProvider(credentials, sourceDescription: "environment (AWS_ACCESS_KEY_ID)")
        case (_?, nil):
            throw CredentialsError.incompleteEnvironmentKeys(missing: "AWS_SECRET_ACCESS_KEY")
        case (nil, _?):
            throw CredentialsError.incompleteEnvironmentKeys(missing: "AWS_ACCESS_KEY_ID")
        case (nil, nil):
            return nil
        }
    }

    /// The instance role; nil when `AWS_EC2_METADATA_DISABLED` is true. As the last resort its
    /// failure to connect becomes "no credentials found".
    static func instanceMetadata(context: CredentialContext, lastResort: Bool) -> (any CredentialProvider)? {
        if context.environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" { return nil }
        let text = context.environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"] ?? InstanceMetadataProvider.defaultEndpoint
        guard let endpoint = URL(string: text) else { return nil }
        let provider = InstanceMetadataProvider(endpoint: endpoint, context: context)
        return lastResort ? LastResortProvider(inner: provider, failure: noCredentials(context)) : provider
    }

    static func noCredentials(_ context: CredentialContext) -> CredentialsError {
        .noCredentials(credentialsFile: context.profiles.credentialsPath, configFile: context.profiles.configPath)
    }
}

/// The instance role tried when nothing else is configured: if it cannot be reached, the user
/// needs "no credentials found", not an error about a service they never meant to use.
struct LastResortProvider: CredentialProvider {
    let inner: any CredentialProvider
    let failure: CredentialsError

    var sourceDescription: String { inner.sourceDescription }

    func fetch() async throws -> ExpiringCredentials {
        do {
            return try await inner.fetch()
        } catch let error as CredentialProviderError where error.reason == CredentialProviderError.unreachableReason {
            throw failure
        }
    }
}
