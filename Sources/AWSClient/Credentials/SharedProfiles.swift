import Foundation

/// Both shared files of one run, read once: `AWS_SHARED_CREDENTIALS_FILE` (else `~/.aws/credentials`)
/// and `AWS_CONFIG_FILE` (else `~/.aws/config`). A missing file counts as empty, as in botocore.
struct SharedProfiles: Sendable {
    let credentialsPath: String?
    let configPath: String?
    let credentialsFile: SharedConfigFile
    let configFile: SharedConfigFile

    /// - Throws: `CredentialProviderError` naming the file and line when a line cannot be read.
    init(environment: AWSEnvironment) throws {
        credentialsPath = environment.sharedCredentialsFile
        configPath = environment.configFile
        credentialsFile = try Self.load(credentialsPath)
        configFile = try Self.load(configPath)
    }

    private static func load(_ path: String?) throws -> SharedConfigFile {
        guard let path, let file = SharedConfigFile.load(path) else { return SharedConfigFile(sections: [:]) }
        if let line = file.malformedLine {
            throw CredentialProviderError(
                source: "\(path):\(line.number)",
                reason: "the line '\(line.text.prefix(60))' is neither a [section] nor a key = value setting",
                fix: "fix or remove that line")
        }
        return file
    }

    /// The profile's settings from both files (the credentials file wins per key); nil when in neither.
    func profile(_ name: String) -> [String: String]? {
        let fromCredentials = credentialsFile.credentialsProfile(name)
        let fromConfig = configFile.configProfile(name)
        if fromCredentials == nil && fromConfig == nil { return nil }
        return (fromConfig ?? [:]).merging(fromCredentials ?? [:]) { _, credentialsValue in credentialsValue }
    }

    func ssoSession(_ name: String) -> [String: String]? { configFile.ssoSession(name) }

    /// "~/.aws/credentials or ~/.aws/config" as resolved, for messages.
    var places: String { CredentialsError.places(credentialsPath, configPath) }
}

/// A credential source that is misconfigured or failed: which source, what went wrong, how to fix it.
/// Built only from names, paths and service messages, never from a secret.
public struct CredentialProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    public var source: String
    public var reason: String
    public var fix: String

    public init(source: String, reason: String, fix: String) {
        self.source = source
        self.reason = reason
        self.fix = fix
    }

    public var description: String {
        "AWS credentials from \(source): \(reason)" + (fix.isEmpty ? "." : "; \(fix).")
    }
}
