import AWSSigV4
import Foundation
import NIOConcurrencyHelpers

/// Caches a provider's credentials and fetches new ones a few minutes before they expire.
///
/// An actor, so that every request in flight waits for the same single refresh instead of each
/// starting its own STS call when a session is about to end.
public actor RefreshingCredentials: CredentialProvider {
    /// How long before expiry credentials are replaced (botocore's advisory window is 15 minutes;
    /// 5 leaves a long apply plenty of margin while not refreshing needlessly often).
    public static let defaultMargin: TimeInterval = 5 * 60

    public nonisolated let sourceDescription: String
    private let provider: any CredentialProvider
    private let margin: TimeInterval
    private let clock: @Sendable () -> Date
    /// The credentials last fetched, in a lock rather than actor state so that signing reads them
    /// without a hop onto the actor: every request asks, and only a refresh needs one-at-a-time.
    private nonisolated let cached = NIOLockedValueBox<ExpiringCredentials?>(nil)
    private var refresh: Task<ExpiringCredentials, Error>?
    /// How many times the provider was asked (tests check there is one fetch per expiry).
    public private(set) var fetchCount = 0

    public init(
        _ provider: any CredentialProvider, margin: TimeInterval = RefreshingCredentials.defaultMargin,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.provider = provider
        self.sourceDescription = provider.sourceDescription
        self.margin = margin
        self.clock = clock
    }

    public func fetch() async throws -> ExpiringCredentials {
        let known = cached.withLockedValue { $0 }
        if let known, isFresh(known) { return known }
        if let refresh { return try await refresh.value }
        fetchCount += 1
        let task = Task { [provider] in try await provider.fetch() }
        refresh = task
        defer { refresh = nil }
        do {
            let fetched = try await task.value
            cached.withLockedValue { $0 = fetched }
            return fetched
        } catch {
            // As botocore in its advisory window: credentials that still work beat a failed refresh.
            if let known, let expiration = known.expiration, expiration > clock() { return known }
            throw error
        }
    }

    /// The credentials to sign with now.
    public nonisolated func credentials() async throws -> Credentials {
        if let known = cached.withLockedValue({ $0 }), isFresh(known) { return known.credentials }
        return try await fetch().credentials
    }

    private nonisolated func isFresh(_ value: ExpiringCredentials) -> Bool {
        guard let expiration = value.expiration else { return true }
        return expiration.timeIntervalSince(clock()) > margin
    }
}
