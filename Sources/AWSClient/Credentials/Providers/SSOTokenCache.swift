import Crypto
import Formats
import Foundation

/// The IAM Identity Center token the AWS CLI caches after `aws sso login`:
/// `~/.aws/sso/cache/<sha1>.json`, where the hash is of the `sso_session` name, or of the start
/// URL for legacy profiles (botocore's `SSOTokenLoader`).
struct SSOTokenCache: Sendable {
    let path: String

    init(home: String, sessionName: String?, startURL: String) {
        let key = sessionName ?? startURL
        let digest = Insecure.SHA1.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
        path = "\(home)/.aws/sso/cache/\(digest).json"
    }

    struct Token: Sendable {
        var accessToken: String
        var expiresAt: Date
        var refreshToken: String?
        var clientId: String?
        var clientSecret: String?
        var registrationExpiresAt: Date?
        /// Every field as read, so a rewrite keeps what we do not use.
        var fields: [String: JSONValue]
    }

    /// The cached token; nil when there is no readable cache file or it lacks a token.
    func load() -> Token? {
        guard let data = FileManager.default.contents(atPath: path), let json = try? JSONValue.parse(data),
            let fields = json.objectValue, let accessToken = fields["accessToken"]?.stringValue,
            let expiresAt = fields["expiresAt"]?.stringValue.flatMap(AWSTimestamp.parse)
        else { return nil }
        return Token(
            accessToken: accessToken, expiresAt: expiresAt, refreshToken: fields["refreshToken"]?.stringValue,
            clientId: fields["clientId"]?.stringValue, clientSecret: fields["clientSecret"]?.stringValue,
            registrationExpiresAt: fields["registrationExpiresAt"]?.stringValue.flatMap(AWSTimestamp.parse),
            fields: fields)
    }

    /// Writes the refreshed token: to a temporary file in the same folder, then renamed over the
    /// old one, so a reader (another reconcile, the AWS CLI) never sees half a file.
    func save(_ token: Token) throws {
        var fields = token.fields
        fields["accessToken"] = .string(token.accessToken)
        fields["expiresAt"] = .string(Self.format(token.expiresAt))
        if let refreshToken = token.refreshToken { fields["refreshToken"] = .string(refreshToken) }
        let data = JSONValue.object(fields).serialized(pretty: true)
        let temporary = path + ".tmp-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600])
        else { throw CocoaError(.fileWriteNoPermission) }
        if rename(temporary, path) != 0 {
            try? FileManager.default.removeItem(atPath: temporary)
            throw CocoaError(.fileWriteNoPermission)
        }
    }

    /// The AWS CLI's format: `2026-01-01T10:00:00Z`.
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
