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

    @OptionGroup var execution: ExecutionOptions
    @OptionGroup var scope: PlanScopeOptions

    @Option(help: "text, or json for one JSON event per line.")
    var output: ApplyOutputFormat = .text

    func validate() throws {
        if plan != nil && (scope.prune || scope.adopt) {
            throw ValidationError("--plan applies a saved plan as it is; --prune and --adopt belong to 'plan'")
        }
    }

    func run() async throws {
        try await ApplyRunner(
            global: global, manifests: manifests, mode: .apply, prune: scope.prune, adopt: scope.adopt, planFile: plan,
            dryRun: execution.dryRun, autoApprove: execution.autoApprove, concurrency: execution.concurrency,
            timeoutSeconds: execution.timeout,
            jsonEvents: output == .json, showCapacity: !scope.noCost
        ).run()
    }
}

enum ApplyOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
