import Crypto
import Foundation

/// Derived SigV4 keys by secret, day, region and service.
///
/// A key is four HMACs away from the secret and stays valid all day, so a run that signs
/// thousands of requests derives it once per region and service instead of once per request
/// (the AWS SDK for Java keeps such a cache too). Bounded: a long-running process that sees
/// many days or credentials never holds more than `capacity` keys.
final class SigningKeyCache: @unchecked Sendable {
    static let shared = SigningKeyCache()

    private struct Scope: Hashable {
        var secret: String
        var day: String
        var region: String
        var service: String
    }

    private let lock = NSLock()
    private var authenticators: [Scope: HMAC<SHA256>] = [:]
    private let capacity = 32

    /// An HMAC keyed with the derived key and not yet fed: a signature copies it and hashes its
    /// string to sign, skipping the key's two padded blocks that a fresh HMAC hashes first.
    func authenticator(secret: String, day: String, region: String, service: String) -> HMAC<SHA256> {
        let scope = Scope(secret: secret, day: day, region: region, service: service)
        if let cached = lock.withLock({ authenticators[scope] }) { return cached }
        let derived = SigV4Signer.signingKey(secret: secret, day: day, region: region, service: service)
        let authenticator = HMAC<SHA256>(key: derived)
        lock.withLock {
            if authenticators.count >= capacity { authenticators.removeAll(keepingCapacity: true) }
            authenticators[scope] = authenticator
        }
        return authenticator
    }
}
