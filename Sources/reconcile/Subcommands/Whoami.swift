import AWSClient
import ArgumentParser
import Foundation
import ReconcileKit

struct Whoami: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Show the AWS identity, region, endpoints and credential source reconcile would use.",
        discussion: """
            Calls STS GetCallerIdentity with the credentials reconcile finds (the AWS CLI's order: \
            environment keys, web identity, the profile's role, SSO, credential_process or keys, \
            container credentials, the EC2 instance role). Never prints a secret.

            Examples:
              reconcile whoami
              reconcile whoami --profile deploy --json
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    func run() async throws {
        let session = try CommandSession.make(global)
        let environment = session.settings.environment
        do {
            let region = try RegionResolver.resolve(
                declared: nil, cliRegion: global.region, profile: global.profile, environment: environment)
            let identity = try await session.run { session in
                try await session.client.sts(region: region).getCallerIdentity()
            }
            var endpoints: [(String, String)] = []
            for service in [AWSService.kinesis, .cloudformation, .sts] {
                let url = try session.client.endpointURL(for: service, region: region)
                endpoints.append((service.rawValue, url.absoluteString))
            }
            let report = WhoamiReport(
                account: identity.account, arn: identity.arn, userId: identity.userId, region: region,
                source: session.client.credentialSource, profile: session.client.credentialProfile, endpoints: endpoints
            )
            print(json ? report.json : report.text)
        } catch {
            throw CommandFailure.report(error)
        }
    }
}

/// What `whoami` prints: identity and where it came from, nothing secret.
struct WhoamiReport {
    var account: String
    var arn: String
    var userId: String
    var region: String
    var source: String
    var profile: String?
    var endpoints: [(service: String, url: String)]

    var text: String {
        var lines = [
            "Account:     \(account)", "ARN:         \(arn)", "User ID:     \(userId)", "Region:      \(region)",
            "Credentials: \(source)", "Profile:     \(profile ?? "(none)")", "Endpoints:",
        ]
        lines += endpoints.map { "  \($0.service.padding(toLength: 15, withPad: " ", startingAt: 0)) \($0.url)" }
        return lines.joined(separator: "\n")
    }

    var json: String {
        var object: [String: JSONValue] = [
            "account": .string(account), "arn": .string(arn), "userId": .string(userId), "region": .string(region),
            "credentialSource": .string(source), "profile": profile.map(JSONValue.string) ?? .null,
        ]
        object["endpoints"] = .object(
            Dictionary(uniqueKeysWithValues: endpoints.map { ($0.service, JSONValue.string($0.url)) }))
        return JSONValue.object(object).serializedString(pretty: true)
    }
}
