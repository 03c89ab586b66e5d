import ArgumentParser
import ReconcileKit

struct Apply: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Plan, then make AWS match the manifests.",
        discussion: """
            Prints the plan, asks for 'yes' on a terminal (or needs --auto-approve without one), then runs \
            each step, waiting until streams are ACTIVE and stacks complete. A reviewed plan saved with \
            'plan --out' is applied with --plan FILE, after checking that live state has not changed (stale plans are refused).

            Examples:
              reconcile apply manifests/
              reconcile apply --auto-approve manifests/
              reconcile apply --plan plan.json manifests/
              reconcile apply --dry-run manifests/
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var manifests: ManifestPaths

    @Option(help: "Apply this saved plan (from 'plan --out') without asking; refused if stale.")
    var plan: String?

    @Flag(name: .customLong("dry-run"), help: "Print the steps that would run; make no write call.")
    var dryRun = false

    @Flag(name: .customLong("auto-approve"), help: "Do not ask for approval (needed without a terminal).")
    var autoApprove = false

    @OptionGroup var scope: PlanScopeOptions

    @Option(help: "Steps run side by side at most.")
    var concurrency = 4

    @Option(help: "Seconds to wait for one step (stream ACTIVE, stack complete) before failing.")
    var timeout = 1800

    @Option(help: "text, or json for one JSON event per line.")
    var output: ApplyOutputFormat = .text

    func validate() throws {
        if plan != nil && (scope.prune || scope.adopt) { throw ValidationError("--plan applies a saved plan as it is; --prune and --adopt belong to 'plan'") }
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if timeout < 1 { throw ValidationError("--timeout must be at least 1 second") }
    }

    func run() async throws {
        try await ApplyRunner(
            global: global, manifests: manifests, mode: .apply, prune: scope.prune, adopt: scope.adopt, planFile: plan,
            dryRun: dryRun, autoApprove: autoApprove, concurrency: concurrency, timeoutSeconds: timeout,
            jsonEvents: output == .json, showCapacity: !scope.noCost
        ).run()
    }
}

enum ApplyOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
