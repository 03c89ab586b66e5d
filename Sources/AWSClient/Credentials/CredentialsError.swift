/// Why no credentials could be found. Each description is one sentence that says where we looked.
public enum CredentialsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The named profile is in neither shared file.
    case profileNotFound(profile: String, credentialsFile: String?, configFile: String?)
    /// The profile exists but has no `aws_access_key_id` / `aws_secret_access_key`.
    case profileHasNoKeys(profile: String, credentialsFile: String?, configFile: String?)
    /// No environment keys and no default profile with keys.
    case noCredentials(credentialsFile: String?, configFile: String?)
    /// Only one half of the environment key pair is set.
    case incompleteEnvironmentKeys(missing: String)

    public var description: String {
        switch self {
        case .profileNotFound(let profile, let credentialsFile, let configFile):
            return "AWS profile '\(profile)' was not found in \(Self.places(credentialsFile, configFile))."
        case .profileHasNoKeys(let profile, let credentialsFile, let configFile):
            return
                "AWS profile '\(profile)' has no aws_access_key_id and aws_secret_access_key in \(Self.places(credentialsFile, configFile))."
        case .noCredentials(let credentialsFile, let configFile):
            return
                "No AWS credentials found: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set and the default profile has no keys in \(Self.places(credentialsFile, configFile))."
        case .incompleteEnvironmentKeys(let missing):
            return "AWS credentials in the environment are incomplete: \(missing) is not set."
        }
    }

    static func places(_ credentialsFile: String?, _ configFile: String?) -> String {
        let files = [credentialsFile, configFile].compactMap { $0 }
        return files.isEmpty ? "any shared file (HOME is not set)" : files.joined(separator: " or ")
    }
}
