import Foundation
import TestSupport
import Testing

/// Every example folder is applied, planned (no changes), verified and destroyed
/// against moto, so no example can rot.
@Suite("examples stay deployable")
struct ExampleLifecycleTests {
    static let examples: [String] = {
        let folder = PackagePaths.root.appendingPathComponent("examples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { name in
            let files =
                (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(name).path)) ?? []
            return files.contains { $0.hasSuffix(".yaml") }
        }.sorted()
    }()

    @Test("the examples folder has the documented uses")
    func examplesExist() {
        #expect(
            Set(Self.examples).isSuperset(of: [
                "direct-stream", "on-demand", "kms-metrics", "fan-out", "multi-stack", "pass-through"
            ]))
    }

    @Test("apply, plan with no changes, verify, destroy", arguments: examples)
    func lifecycle(example: String) throws {
        let workspace = try Workspace(copying: ["examples/\(example)"])
        defer { workspace.stop() }
        let apply = try workspace.reconcile("apply", "--auto-approve", ".")
        #expect(apply.exitCode == 0, "\(apply.output)")
        #expect(apply.stdout.contains("Apply complete:"))

        let plan = try workspace.reconcile("plan", "--detailed-exitcode", ".")
        #expect(plan.exitCode == 0, "\(plan.output)")
        #expect(plan.stdout.hasSuffix("No changes. Live state matches the manifests.\n"))

        let verify = try workspace.reconcile("verify", ".")
        #expect(verify.exitCode == 0, "\(verify.output)")
        #expect(verify.stdout.contains("streams verified."))

        let destroy = try workspace.reconcile("destroy", "--auto-approve", ".")
        #expect(destroy.exitCode == 0, "\(destroy.output)")
        #expect(try workspace.streamNames().isEmpty)
        #expect(try workspace.stackNames().isEmpty)
    }
}
