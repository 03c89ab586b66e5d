import ArgumentParser
import Foundation
import ReconcileKit

extension PolicyCommand: ExpressibleByArgument {}

struct Policy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Print the least-privilege IAM policy that plan, apply, destroy and verify need.",
        discussion: """
            Prints an IAM policy document (JSON) granting exactly the actions reconcile calls for the declared \
            resources, scoped to their ARNs: the reads of plan, the writes apply and destroy can make (derived \
            from the planner), the waits, verify's test record, and the Kinesis calls CloudFormation makes with \
            your credentials for stack-managed streams. No AWS call except STS GetCallerIdentity when --account \
            is not given.

            Examples:
              reconcile policy manifests/ --account 123456789012
              reconcile policy --command plan manifests/      # read-only, for pull-request pipelines
              reconcile policy --command apply --command verify manifests/
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var manifests: ManifestPaths

    @Option(help: "The AWS account id for the ARNs (default: the caller's, from STS GetCallerIdentity).")
    var account: String?

    @Option(name: .customLong("command"), help: "plan, apply, destroy or verify (repeatable; default: all four).")
    var commands: [PolicyCommand] = []

    func run() async throws {
        let desired = try manifests.loadDesiredState(global: global)
        let selected = Set(commands.isEmpty ? PolicyCommand.allCases : commands)
        let settings = global.awsSettings
        do {
            let regions = try settings.regions(for: desired)
            let accountId: String
            if let account {
                accountId = account
            } else {
                let session = try global.makeSession()
                let region = try regions.values.sorted().first ?? settings.defaultRegion()
                accountId = try await session.run { try await $0.callerAccount(region: region) }
            }
            let statements = try PolicyGenerator.statements(
                desired: desired, regions: regions, account: accountId, commands: selected)
            print(PolicyGenerator.render(statements))
            for caveat in PolicyGenerator.caveats(desired: desired, commands: selected) {
                StandardError.write("note: \(caveat)")
            }
        } catch {
            throw CommandFailure.report(error)
        }
    }
}
