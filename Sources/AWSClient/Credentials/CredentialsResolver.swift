import AWSSigV4

/// The static-keys subset of the credential chain (commands use `AWSClient.resolving`, which
/// follows the whole chain); also the reader of a profile's merged settings for the region.
///
/// 1. An explicit `--profile` (the `profile` argument) reads the shared files only.
/// 2. Otherwise `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`).
/// 3. Otherwise the profile `AWS_PROFILE`, else `default`, from the credentials file, then the config file.
public enum CredentialsResolver {
    public static func resolve(profile: String?, environment: AWSEnvironment) throws -> Credentials {
        if let profile, !profile.isEmpty {
            return try fromProfile(profile, environment: environment, explicit: true)
        }
        let accessKey = environment["AWS_ACCESS_KEY_ID"]
        let secretKey = environment["AWS_SECRET_ACCESS_KEY"]
        switch (accessKey, secretKey) {
        case (let accessKey?, let secretKey?):
            return Credentials(
                accessKeyId: accessKey, secretAccessKey: secretKey, sessionToken: environment["AWS_SESSION_TOKEN"])
        case (_?, nil):
            throw CredentialsError.incompleteEnvironmentKeys(missing: "AWS_SECRET_ACCESS_KEY")
        case (nil, _?):
            throw CredentialsError.incompleteEnvironmentKeys(missing: "AWS_ACCESS_KEY_ID")
        case (nil, nil):
            break
        }
        if let named = environment["AWS_PROFILE"] {
            return try fromProfile(named, environment: environment, explicit: true)
        }
        return try fromProfile("default", environment: environment, explicit: false)
    }

    /// The profile's settings from both files; for each key the credentials file wins.
    static func profileSettings(_ profile: String, environment: AWSEnvironment) -> [String: String]? {
        let fromCredentials = environment.sharedCredentialsFile.flatMap(SharedConfigFile.load)?.credentialsProfile(
            profile)
        let fromConfig = environment.configFile.flatMap(SharedConfigFile.load)?.configProfile(profile)
        if fromCredentials == nil && fromConfig == nil { return nil }
        return (fromConfig ?? [:]).merging(fromCredentials ?? [:]) { _, credentialsValue in credentialsValue }
    }

    private static func fromProfile(_ profile: String, environment: AWSEnvironment, explicit: Bool) throws
        -> Credentials
    {
        let credentialsFile = environment.sharedCredentialsFile
        let configFile = environment.configFile
        guard let settings = profileSettings(profile, environment: environment) else {
            if explicit {
                throw CredentialsError.profileNotFound(
                    profile: profile, credentialsFile: credentialsFile, configFile: configFile)
            }
            throw CredentialsError.noCredentials(credentialsFile: credentialsFile, configFile: configFile)
        }
        guard let accessKey = settings["aws_access_key_id"].flatMap(nonEmpty),
            let secretKey = settings["aws_secret_access_key"].flatMap(nonEmpty)
        else {
            if explicit {
                throw CredentialsError.profileHasNoKeys(
                    profile: profile, credentialsFile: credentialsFile, configFile: configFile)
            }
            throw CredentialsError.noCredentials(credentialsFile: credentialsFile, configFile: configFile)
        }
        return Credentials(
            accessKeyId: accessKey, secretAccessKey: secretKey,
            sessionToken: settings["aws_session_token"].flatMap(nonEmpty))
    }

    private static func nonEmpty(_ value: String) -> String? { value.isEmpty ? nil : value }
}
