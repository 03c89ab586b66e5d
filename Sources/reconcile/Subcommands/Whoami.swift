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
        let session = try global.makeSession()
        do {
            let report = try await session.run { session in try await session.identity() }
            print(json ? report.json : report.text)
        } catch {
            throw CommandFailure.report(error)
        }
    }
}
