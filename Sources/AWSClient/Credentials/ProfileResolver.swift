import AWSSigV4
import Foundation

/// One profile's own chain (botocore's assume-role provider, then `ProfileProviderBuilder`'s
/// order). Follows `source_profile` links, refusing cycles with the profiles named.
struct ProfileResolver {
    let context: CredentialContext
    /// `AWS_ROLE_ARN` / `AWS_WEB_IDENTITY_TOKEN_FILE` count only without `--profile` and only for
    /// the top profile (botocore disables them for source profiles).
    var useEnvironmentWebIdentity: Bool

    /// nil when the profile has nothing that gives credentials.
    mutating func provider(forProfile name: String, visited: [String]) throws -> (any CredentialProvider)? {
        let profiles = context.profiles
        let settings = profiles.profile(name) ?? [:]
        let environmentWebIdentity = useEnvironmentWebIdentity
        useEnvironmentWebIdentity = false
        if settings["role_arn"] != nil, settings["web_identity_token_file"] == nil {
            return try assumeRole(name, settings, visited: visited)
        }
        if let webIdentity = try webIdentity(name, settings, useEnvironment: environmentWebIdentity) {
            return webIdentity
        }
        if let sso = try SSOSettingsReader(profile: name, settings: settings, context: context).provider() {
            return sso
        }
        if let keys = try staticKeys(
            profiles.credentialsFile.credentialsProfile(name), name, file: profiles.credentialsPath)
        {
            return keys
        }
        if let command = settings["credential_process"], !command.isEmpty {
            return CredentialProcessProvider(
                profile: name, command: command, timeout: CredentialProcessProvider.defaultTimeout)
        }
        return try staticKeys(profiles.configFile.configProfile(name), name, file: profiles.configPath)
    }

    private func staticKeys(
        _ settings: [String: String]?, _ name: String, file: String?
    ) throws -> StaticCredentialProvider? {
        guard let settings else { return nil }
        let accessKey = settings["aws_access_key_id"].flatMap { $0.isEmpty ? nil : $0 }
        let secretKey = settings["aws_secret_access_key"].flatMap { $0.isEmpty ? nil : $0 }
        switch (accessKey, secretKey) {
        case (let accessKey?, let secretKey?):
            let token = settings["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
            return StaticCredentialProvider(
                Credentials(accessKeyId: accessKey, secretAccessKey: secretKey, sessionToken: token),
                sourceDescription: "static keys (profile '\(name)')")
        case (nil, nil):
            return nil
        default:
            throw CredentialProviderError(
                source: "profile '\(name)' in \(file ?? "the shared files")",
                reason: "only one of aws_access_key_id and aws_secret_access_key is set", fix: "set both")
        }
    }

    private mutating func assumeRole(
        _ name: String, _ settings: [String: String], visited: [String]
    ) throws
        -> any CredentialProvider
    {
        let roleArn = settings["role_arn"] ?? ""
        let source: any CredentialProvider
        switch (settings["source_profile"], settings["credential_source"]) {
        case (_?, _?):
            throw configError(name, "it sets both source_profile and credential_source", "keep one of them")
        case (nil, nil):
            throw configError(name, "role_arn needs source_profile or credential_source", "add one of them")
        case (nil, let credentialSource?):
            source = try self.credentialSource(credentialSource, profile: name)
        case (let sourceProfile?, nil):
            source = try self.sourceProfile(sourceProfile, of: name, visited: visited)
        }
        var duration: Int?
        if let text = settings["duration_seconds"] {
            guard let value = Int(text) else {
                throw configError(name, "duration_seconds '\(text)' is not a number of seconds", "use e.g. 3600")
            }
            duration = value
        }
        let request = AssumeRoleRequest(
            roleArn: roleArn,
            roleSessionName: settings["role_session_name"]
                ?? AssumeRoleProvider.defaultSessionName(now: context.clock()),
            externalId: settings["external_id"], durationSeconds: duration, serialNumber: settings["mfa_serial"])
        return AssumeRoleProvider(
            profile: name, request: request, source: RefreshingCredentials(source, clock: context.clock),
            context: context)
    }

    private mutating func sourceProfile(
        _ source: String, of name: String, visited: [String]
    ) throws
        -> any CredentialProvider
    {
        guard let settings = context.profiles.profile(source) else {
            throw configError(
                name, "its source_profile '\(source)' does not exist", "add [profile \(source)] or fix the name")
        }
        let hasStaticKeys = settings["aws_access_key_id"] != nil || settings["aws_secret_access_key"] != nil
        // A profile may name itself to use its own static keys (botocore allows exactly that).
        if source == name, hasStaticKeys {
            guard let keys = try staticKeys(settings, source, file: context.profiles.credentialsPath) else {
                throw configError(name, "it has no keys of its own", "add aws_access_key_id and aws_secret_access_key")
            }
            return keys
        }
        if visited.contains(source) {
            throw CredentialProviderError(
                source: "profile '\(name)'",
                reason: "source_profile forms a cycle: \((visited + [source]).joined(separator: " → "))",
                fix: "end the chain at a profile with keys, SSO, credential_process or credential_source")
        }
        guard let provider = try provider(forProfile: source, visited: visited + [source]) else {
            throw configError(
                name, "its source_profile '\(source)' has no credentials", "give '\(source)' keys or a role")
        }
        return provider
    }

    private func credentialSource(_ value: String, profile: String) throws -> any CredentialProvider {
        switch value {
        case "Environment":
            guard let keys = try CredentialChain.environmentKeys(context.environment) else {
                throw configError(
                    profile, "credential_source Environment but AWS_ACCESS_KEY_ID is not set", "set the keys")
            }
            return keys
        case "EcsContainer":
            guard let container = try ContainerCredentialProvider.make(context: context) else {
                throw configError(
                    profile, "credential_source EcsContainer but no AWS_CONTAINER_CREDENTIALS_*_URI is set",
                    "run in a container with a task role")
            }
            return container
        case "Ec2InstanceMetadata":
            guard let metadata = CredentialChain.instanceMetadata(context: context, lastResort: false) else {
                throw configError(
                    profile, "credential_source Ec2InstanceMetadata but AWS_EC2_METADATA_DISABLED is set",
                    "unset it")
            }
            return metadata
        default:
            throw configError(
                profile, "credential_source '\(value)' is not valid",
                "use Environment, Ec2InstanceMetadata or EcsContainer")
        }
    }

    private func webIdentity(
        _ name: String, _ settings: [String: String], useEnvironment: Bool
    ) throws
        -> (any CredentialProvider)?
    {
        let environment = context.environment
        func setting(_ key: String, _ variable: String) -> String? {
            (useEnvironment ? environment[variable] : nil) ?? settings[key].flatMap { $0.isEmpty ? nil : $0 }
        }
        guard let tokenFile = setting("web_identity_token_file", "AWS_WEB_IDENTITY_TOKEN_FILE") else { return nil }
        let fromEnvironment = useEnvironment && environment["AWS_WEB_IDENTITY_TOKEN_FILE"] != nil
        let origin = fromEnvironment ? "environment AWS_WEB_IDENTITY_TOKEN_FILE" : "profile '\(name)'"
        guard let roleArn = setting("role_arn", "AWS_ROLE_ARN") else {
            throw CredentialProviderError(
                source: "web identity (\(origin))", reason: "a token file is set but no role ARN",
                fix: fromEnvironment ? "set AWS_ROLE_ARN" : "add role_arn to the profile")
        }
        let sessionName =
            setting("role_session_name", "AWS_ROLE_SESSION_NAME")
            ?? AssumeRoleProvider.defaultSessionName(now: context.clock())
        return WebIdentityProvider(
            roleArn: roleArn, tokenFile: tokenFile, sessionName: sessionName, origin: origin, context: context)
    }

    private func configError(_ profile: String, _ reason: String, _ fix: String) -> CredentialProviderError {
        CredentialProviderError(source: "profile '\(profile)' in \(context.profiles.places)", reason: reason, fix: fix)
    }
}
