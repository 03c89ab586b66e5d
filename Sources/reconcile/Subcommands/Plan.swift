import ArgumentParser
import Foundation
import ReconcileKit

enum PlanOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, markdown
}

struct Plan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what apply would change: every AWS write call, in order.",
        discussion: """
            Reads the live CloudFormation stacks and Kinesis streams the manifests declare (reads only) and \
            prints the changes (+ create, ~ update, -/+ replace, - delete) with old and new values, drift, \
            destructive changes and the AWS calls apply will make.

            Examples:
              reconcile plan manifests/
              reconcile plan --output markdown --detailed-exitcode > plan.md
              reconcile plan --out plan.json && reconcile apply --plan plan.json

            Exit codes: 0 success (with --detailed-exitcode: no changes), 1 error, 2 changes (--detailed-exitcode).
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var manifests: ManifestPaths

    @Option(help: "Also write the plan document (JSON) to this file, for 'apply --plan'.")
    var out: String?

    @Option(help: "text, json or markdown (a pull-request comment).")
    var output: PlanOutputFormat = .text

    @Option(
        name: .customLong("max-chars"),
        help: ArgumentHelp(
            "With --output markdown: the most characters to print (default: GitHub's comment limit).",
            discussion: "Lower it by what you add to the comment (a marker, a header)."))
    var maxChars = PlanMarkdownRenderer.characterLimit

    @Option(
        name: .customLong("details-url"),
        help: "With --output markdown: where the full plan is kept, named when detail is cut.")
    var detailsURL: String?

    @Flag(name: .customLong("detailed-exitcode"), help: "Exit 0 when there are no changes, 2 when there are.")
    var detailedExitcode = false

    @Flag(help: "Plan the deletion of every declared resource that exists.")
    var destroy = false

    @OptionGroup var scope: PlanScopeOptions

    @Option(help: "AWS read calls in flight at once.")
    var concurrency = Reconciler.defaultReadConcurrency

    func validate() throws {
        if destroy && (scope.prune || scope.adopt) {
            throw ValidationError("--destroy cannot be combined with --prune or --adopt")
        }
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if output != .markdown && (detailsURL != nil || maxChars != PlanMarkdownRenderer.characterLimit) {
            throw ValidationError("--max-chars and --details-url shape the Markdown plan: add --output markdown")
        }
        if maxChars < PlanMarkdownRenderer.minimumCharacters {
            throw ValidationError("--max-chars must be at least \(PlanMarkdownRenderer.minimumCharacters)")
        }
    }

    func run() async throws {
        let desired = try manifests.loadDesiredState(global: global)
        let session = try global.makeSession()
        let options = PlanOptions(
            project: session.project, mode: destroy ? .destroy : .apply, prune: scope.prune, adopt: scope.adopt)
        var plan: ReconcileKit.Plan
        do {
            plan = try await session.run {
                try await $0.reconciler(readConcurrency: concurrency).plan(desired, options: options)
            }
        } catch {
            throw CommandFailure.report(error)
        }
        if scope.noCost { plan = plan.withoutCapacity() }
        if let out {
            do {
                try Data((PlanJSONRenderer.render(plan) + "\n").utf8).write(to: URL(fileURLWithPath: out))
            } catch {
                throw CommandFailure.report(PlanCommandError.cannotWrite(out, String(describing: error)))
            }
        }
        switch output {
        case .text: print(PlanTextRenderer.render(plan, style: global.outputStyle, showCapacity: !scope.noCost))
        case .json: print(PlanJSONRenderer.render(plan))
        case .markdown:
            print(
                PlanMarkdownRenderer.render(
                    plan, showCapacity: !scope.noCost, maxCharacters: maxChars, detailsURL: detailsURL))
        }
        if detailedExitcode && plan.hasChanges { throw ExitCode(2) }
    }
}

enum PlanCommandError: Error, CustomStringConvertible {
    case cannotWrite(String, String)
    case cannotRead(String, String)

    var description: String {
        switch self {
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        case .cannotRead(let path, let reason): "cannot read \(path): \(reason)"
        }
    }
}
