import AWSSigV4
import Foundation

/// Credentials with the time they stop working (nil for long-term keys).
public struct ExpiringCredentials: Sendable {
    public var credentials: Credentials
    public var expiration: Date?

    public init(_ credentials: Credentials, expiration: Date? = nil) {
        self.credentials = credentials
        self.expiration = expiration
    }
}

/// One place credentials come from (environment keys, a profile's role, SSO, the instance role…).
///
/// `fetch()` does the work every time it is called (an STS call, a file read, a process run);
/// callers wrap providers in `RefreshingCredentials` so the work happens once per session.
public protocol CredentialProvider: Sendable {
    /// What the user sees in `whoami`: e.g. "assume-role (source_profile base)". Never a secret.
    var sourceDescription: String { get }
    func fetch() async throws -> ExpiringCredentials
}

/// Long-term keys that are already known (environment variables or a profile's static keys).
public struct StaticCredentialProvider: CredentialProvider {
    public let credentials: Credentials
    public let sourceDescription: String

    public init(_ credentials: Credentials, sourceDescription: String) {
        self.credentials = credentials
        self.sourceDescription = sourceDescription
    }

    public func fetch() async throws -> ExpiringCredentials { ExpiringCredentials(credentials) }
}
