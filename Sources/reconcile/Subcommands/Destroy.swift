import ArgumentParser
import ReconcileKit

struct Destroy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destroy",
        abstract: "Delete every declared resource that exists, in reverse dependency order.",
        discussion: """
            Streams with deletionPolicy: Retain are left in place and listed. A stack with termination \
            protection stops the destroy before anything is deleted.

            Examples:
              reconcile destroy --dry-run manifests/
              reconcile destroy --auto-approve manifests/
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var manifests: ManifestPaths

    @OptionGroup var execution: ExecutionOptions

    func run() async throws {
        try await ApplyRunner(
            global: global, manifests: manifests, mode: .destroy, dryRun: execution.dryRun,
            autoApprove: execution.autoApprove, concurrency: execution.concurrency, timeoutSeconds: execution.timeout
        ).run()
    }
}
