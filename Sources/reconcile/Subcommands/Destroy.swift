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

    @Flag(name: .customLong("dry-run"), help: "Print the steps that would run; make no write call.")
    var dryRun = false

    @Flag(name: .customLong("auto-approve"), help: "Do not ask for approval (needed without a terminal).")
    var autoApprove = false

    @Option(help: "Steps run side by side at most.")
    var concurrency = 4

    @Option(help: "Seconds to wait for one step before failing.")
    var timeout = 1800

    func run() async throws {
        try await ApplyRunner(
            global: global, manifests: manifests, mode: .destroy, dryRun: dryRun, autoApprove: autoApprove,
            concurrency: concurrency, timeoutSeconds: timeout
        ).run()
    }
}
