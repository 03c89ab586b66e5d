import ArgumentParser
import Foundation
import ReconcileKit

#if canImport(Glibc)
    import Glibc
#endif

/// What `apply` and `destroy` share: plan (or load a saved plan), show it, ask, run it.
struct ApplyRunner {
    let global: GlobalOptions
    let manifests: ManifestPaths
    var mode: PlanMode
    var prune = false
    var adopt = false
    var planFile: String?
    var dryRun = false
    var autoApprove = false
    var concurrency = 4
    var timeoutSeconds = 1800
    var jsonEvents = false
    var showCapacity = true

    func run() async throws {
        let desired = try manifests.loadDesiredState(global: global)
        let session = try global.makeSession()
        let style = global.outputStyle
        do {
            try await session.run { session in
                let plan = try await obtainPlan(desired, session: session, style: style)
                guard plan.hasChanges else {
                    if !jsonEvents { print("No changes. Live state matches the manifests.") }
                    return
                }
                if dryRun {
                    printDryRun(plan, style: style)
                    return
                }
                if planFile == nil && !autoApprove {
                    guard global.standardInputIsTerminal else {
                        throw ApplyCommandError.approvalNeeded(steps: plan.steps.count)
                    }
                    FileHandle.standardOutput.write(
                        Data("\nApply these \(plan.steps.count) steps? Only 'yes' is accepted: ".utf8))
                    guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
                        throw ApplyCommandError.refused
                    }
                }
                try await execute(plan, session: session, style: style)
            }
        } catch {
            throw CommandFailure.report(error)
        }
    }

    func obtainPlan(_ desired: DesiredState, session: AWSSession, style: TextStyle) async throws -> ReconcileKit.Plan {
        let reconciler = session.reconciler()
        guard let planFile else {
            let plan = try await reconciler.plan(
                desired, options: PlanOptions(project: session.project, mode: mode, prune: prune, adopt: adopt))
            if !jsonEvents && plan.hasChanges {
                print(
                    PlanTextRenderer.render(plan, style: style, showSteps: dryRun == false, showCapacity: showCapacity))
            }
            return plan
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: planFile))
        } catch {
            throw PlanCommandError.cannotRead(planFile, error.localizedDescription)
        }
        let saved = try PlanJSONRenderer.parse(data)
        guard saved.project == session.project else {
            throw ApplyCommandError.projectMismatch(saved: saved.project, current: session.project)
        }
        switch try await reconciler.check(saved: saved, desired: desired) {
        case .fresh:
            if !jsonEvents { print("Applying the saved plan \(planFile): \(PlanTextRenderer.summaryLine(saved))") }
        case .movedWithSameSteps(let moved):
            if !jsonEvents {
                let steps = "\(saved.steps.count) step\(saved.steps.count == 1 ? "" : "s")"
                print(
                    "Live state changed since the plan was made (\(moved.joined(separator: ", "))), but planning "
                        + "again gives the same \(steps), so the reviewed plan still does what was reviewed.")
                print("Applying the saved plan \(planFile): \(PlanTextRenderer.summaryLine(saved))")
            }
        case .stale(let moved, let difference):
            throw ApplyCommandError.stalePlan(planFile, moved, stepDifference: difference)
        }
        return saved
    }

    func printDryRun(_ plan: ReconcileKit.Plan, style: TextStyle) {
        print("\nDry run: these \(plan.steps.count) steps would run (nothing is changed):")
        for step in plan.steps {
            var parameters = step.parameters
            if case .object(var members) = parameters, let body = members["TemplateBody"]?.stringValue {
                members["TemplateBody"] = .string("<template, \(body.utf8.count) bytes: see 'reconcile synth'>")
                parameters = .object(members)
            }
            let after =
                step.dependsOn.isEmpty ? "" : " (after \(step.dependsOn.map(String.init).joined(separator: ", ")))"
            print("  \(step.index)  \(step.operation)  \(step.address)\(after)")
            print("      \(parameters.serializedString())")
        }
    }

    func execute(_ plan: ReconcileKit.Plan, session: AWSSession, style: TextStyle) async throws {
        let stopSignal = StopSignal()
        let interrupt = InterruptHandler.install { Task { await stopSignal.raise() } }
        defer { interrupt.cancel() }
        let applier = Applier(
            client: session.client, concurrency: concurrency, timeout: .seconds(timeoutSeconds), stopSignal: stopSignal)
        var printer = ApplyProgressPrinter(
            style: style, json: jsonEvents, total: plan.steps.count, liveStatus: isatty(STDOUT_FILENO) == 1)
        if !jsonEvents { print("") }
        var outcome: ApplyOutcome?
        for await event in applier.run(plan) {
            printer.print(event)
            if case .finished(let result) = event { outcome = result }
        }
        guard let outcome, outcome.isSuccess else {
            let notStarted = Set(outcome?.skipped ?? [])
            throw ApplyCommandError.failed(
                outcome, total: plan.steps.count,
                notStarted: plan.steps.filter { notStarted.contains($0.index) }.map { "\($0.operation) \($0.address)" })
        }
        if !jsonEvents {
            let summary = plan.summary
            if mode == .destroy {
                print(style.bold("\nDestroy complete: \(summary.delete) deleted."))
            } else {
                print(
                    style.bold(
                        "\nApply complete: \(summary.create) created, \(summary.update) updated, \(summary.replace) replaced, \(summary.delete) deleted."
                    ))
            }
            if !plan.retained.isEmpty {
                print("Retained: " + plan.retained.map { $0.address.description }.joined(separator: ", "))
            }
        }
    }
}

enum ApplyCommandError: Error, CustomStringConvertible {
    case approvalNeeded(steps: Int)
    case refused
    case stalePlan(String, [String], stepDifference: [String])
    case projectMismatch(saved: String, current: String)
    case failed(ApplyOutcome?, total: Int, notStarted: [String])

    /// Step lines are the steps' JSON; a long one (a template body) is shortened.
    static func describe(stepDifference: [String]) -> String {
        guard !stepDifference.isEmpty else { return "" }
        let shown = stepDifference.prefix(50).map { $0.count > 240 ? $0.prefix(239) + "…" : Substring($0) }
        let more =
            stepDifference.count > shown.count ? "\n  … and \(stepDifference.count - shown.count) more lines" : ""
        return "\nSteps as reviewed (-) and as they would be now (+):\n  " + shown.joined(separator: "\n  ") + more
    }

    var description: String {
        switch self {
        case .approvalNeeded(let steps):
            "standard input is not a terminal, so there is no one to approve \(steps) steps: re-run with --auto-approve "
                + "(or apply a reviewed plan with --plan FILE). Nothing was changed."
        case .refused:
            "apply cancelled: only 'yes' is accepted. Nothing was changed."
        case .stalePlan(let file, let resources, let difference):
            "the saved plan \(file) is stale: live state changed since it was made and the steps are no longer "
                + "the reviewed ones, so it was not applied and nothing was changed:\n  "
                + resources.joined(separator: "\n  ") + Self.describe(stepDifference: difference)
                + "\nRun 'reconcile plan' again and review the new plan."
        case .projectMismatch(let saved, let current):
            "the saved plan is for project '\(saved)', but this run is for project '\(current)'. Nothing was changed."
        case .failed(let outcome, let total, let notStarted):
            if let outcome, outcome.interrupted {
                "interrupted: \(outcome.succeeded.count) of \(total) steps finished, steps in flight were left to finish, "
                    + "\(outcome.skipped.count) were not started"
                    + (notStarted.isEmpty ? "" : " (" + notStarted.joined(separator: ", ") + ")")
                    + ". AWS is in a consistent state: nothing is still changing. Run apply again to converge."
            } else {
                "apply failed: \(outcome?.failed.count ?? 0) step(s) failed, \(outcome?.skipped.count ?? 0) not started, "
                    + "\(outcome?.succeeded.count ?? 0) of \(total) done. Fix the cause above and run apply again; it continues from the live state."
            }
        }
    }
}

/// SIGINT/SIGTERM during apply: stop starting steps, let in-flight ones finish.
/// A second Ctrl-C exits at once.
final class InterruptHandler: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    static func install(_ onInterrupt: @escaping @Sendable () -> Void) -> InterruptHandler {
        let handler = InterruptHandler()
        for signalNumber in [SIGINT, SIGTERM] {
            // Children of test runners may inherit blocked signals: unblock so Ctrl-C arrives.
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, signalNumber)
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            nonisolated(unsafe) var count = 0
            source.setEventHandler {
                count += 1
                if count > 1 { exit(130) }
                StandardError.write(
                    "\nInterrupted: waiting for the steps in flight to finish; no new step starts. Press Ctrl-C again to quit at once."
                )
                onInterrupt()
            }
            source.resume()
            handler.sources.append(source)
        }
        return handler
    }

    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
