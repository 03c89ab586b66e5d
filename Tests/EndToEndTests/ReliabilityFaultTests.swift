import Foundation
import TestSupport
import Testing

/// Applies of every example and the seed through the fault proxy at 20% faults
/// of every kind (throttle, 500, 503, reset before/after reaching moto), fixed seeds.
@Suite("reliability: applies under injected faults")
struct ReliabilityFaultTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var manifests: String
        var seed: Int
        var testDescription: String { "\(manifests) seed \(seed)" }
    }

    static let cases: [Case] = Reliability.matrix(
        full: Reliability.manifestSets.flatMap { set in (1...5).map { Case(manifests: set, seed: $0) } },
        sample: [
            Case(manifests: "manifests", seed: 1), Case(manifests: "examples/multi-stack", seed: 2),
            Case(manifests: "examples/fan-out", seed: 3)
        ])

    static func faultConfig(seed: Int) -> String {
        #"{"faults": {"probability": 0.2, "seed": \#(seed), "kinds": ["throttle", "500", "503", "reset_before", "reset_after"]}}"#
    }

    @Test("each apply succeeds or fails cleanly; re-running converges; no duplicates or leftovers", arguments: cases)
    func applyUnderFaults(_ testCase: Case) throws {
        let workspace = try Workspace(copying: [testCase.manifests], proxied: true)
        defer { workspace.stop() }
        let proxy = try #require(workspace.proxy)
        try proxy.configure(Self.faultConfig(seed: testCase.seed))

        // With faults on: apply, and again while it fails (each failure must be clean).
        var applies = 0
        var failures = 0
        var convergedUnderFaults = false
        for _ in 0..<4 where !convergedUnderFaults {
            let apply = try workspace.reconcile("apply", "--auto-approve", ".")
            applies += 1
            Reliability.expectCleanOutcome(apply, "\(testCase) apply #\(applies)")
            if apply.exitCode == 0 { convergedUnderFaults = true } else { failures += 1 }
        }
        let log = try proxy.requests()
        let injected = log.filter { $0.fault != nil }.count
        #expect(injected > 0, "\(testCase): no fault was injected, so this run tested nothing")

        // Faults still on: a plan either says No changes or fails cleanly; then faults off.
        let planWithFaults = try workspace.reconcile("plan", "--detailed-exitcode", ".")
        Reliability.expectCleanOutcome(planWithFaults, "\(testCase) plan with faults")
        #expect(
            planWithFaults.exitCode != 2 || !convergedUnderFaults,
            "\(testCase): converged apply but plan shows changes\n\(planWithFaults.output)")
        try proxy.configure("{}")
        let converged = try workspace.expectConverges("\(testCase) after faults")

        Reliability.record(
            "faults",
            [
                "runs": 1, "applies": applies, "failedCleanly": failures, "requests": log.count,
                "faultsInjected": injected,
                "convergedUnderFaults": convergedUnderFaults ? 1 : 0, "converged": converged ? 1 : 0
            ])
    }
}
