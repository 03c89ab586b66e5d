import AWSClient
import Formats

/// What `whoami` shows: the identity the credentials resolve to and where they came from.
/// Holds nothing secret (no key, token or signature).
public struct IdentityReport: Sendable {
    public var account: String
    public var arn: String
    public var userId: String
    public var region: String
    public var source: String
    public var profile: String?
    public var endpoints: [(service: String, url: String)]

    public var text: String {
        var lines = [
            "Account:     \(account)", "ARN:         \(arn)", "User ID:     \(userId)", "Region:      \(region)",
            "Credentials: \(source)", "Profile:     \(profile ?? "(none)")", "Endpoints:"
        ]
        lines += endpoints.map { "  \($0.service.padding(toLength: 15, withPad: " ", startingAt: 0)) \($0.url)" }
        return lines.joined(separator: "\n")
    }

    public var json: String {
        var object: [String: JSONValue] = [
            "account": .string(account), "arn": .string(arn), "userId": .string(userId), "region": .string(region),
            "credentialSource": .string(source), "profile": profile.map(JSONValue.string) ?? .null
        ]
        object["endpoints"] = .object(
            Dictionary(uniqueKeysWithValues: endpoints.map { ($0.service, JSONValue.string($0.url)) }))
        return JSONValue.object(object).serializedString(pretty: true)
    }
}

extension AWSSession {
    /// STS GetCallerIdentity in the default region, with the endpoints each service would use.
    public func identity() async throws -> IdentityReport {
        let region = try settings.defaultRegion()
        let identity = try await client.sts(region: region).getCallerIdentity()
        var endpoints: [(String, String)] = []
        for service in [AWSService.kinesis, .cloudformation, .sts] {
            endpoints.append((service.rawValue, try client.endpointURL(for: service, region: region).absoluteString))
        }
        return IdentityReport(
            account: identity.account, arn: identity.arn, userId: identity.userId, region: region,
            source: client.credentialSource, profile: client.credentialProfile, endpoints: endpoints)
    }
}
