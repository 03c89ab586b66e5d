import Foundation
import TestSupport
import Testing

/// `reconcile policy` for manifests with a maximum record size, warm throughput and consumer tags, against
/// moto with IAM authentication on (as `PolicyIAMTests`; the proxy's stream_settings rule lets moto's IAM
/// check decide before it answers the calls moto lacks): a user holding exactly the printed actions can
/// create, update, remove and destroy them, and without any one of the new actions a command fails with
/// AccessDenied naming it.
@Suite("policy: maximum record size, warm throughput and consumer tags with moto IAM on", .serialized)
struct StreamLimitsPolicyTests {
    static let newActions = [
        "kinesis:ListTagsForResource", "kinesis:TagResource", "kinesis:UntagResource", "kinesis:UpdateMaxRecordSize",
        "kinesis:UpdateStreamWarmThroughput"
    ]

    static let created = StreamLimitsLifecycleTests.manifests(
        provisionedSize: 2048, onDemandSize: 4096, warm: 100, consumerTags: ["team": "data", "tier": "1"])
    static let updated = StreamLimitsLifecycleTests.manifests(
        provisionedSize: 8192, onDemandSize: 4096, warm: 300, consumerTags: ["team": "analytics"])
    static let removed = StreamLimitsLifecycleTests.manifests(
        provisionedSize: nil, onDemandSize: nil, warm: nil, consumerTags: [:])

    @Test("the printed actions suffice, and each new action is needed")
    func sufficientAndNeeded() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        try workspace.write("limits.yaml", Self.created)
        let printed = try workspace.reconcile("policy", "--account", "123456789012", ".")
        #expect(printed.exitCode == 0, "\(printed.output)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(printed.stdout.utf8)) as? [String: Any])
        let statements = try #require(document["Statement"] as? [[String: Any]])
        let allowed = Set(statements.flatMap { $0["Action"] as? [String] ?? [] })
        for action in Self.newActions { #expect(allowed.contains(action), "\(action) is not printed") }

        let baseline = try Self.runScenario(workspace, allowed: allowed)
        #expect(baseline == nil, "with every printed action: \(baseline ?? "")")
        for action in Self.newActions {
            let failure = try Self.runScenario(workspace, allowed: allowed.subtracting([action]))
            #expect(failure != nil, "removing \(action) broke nothing")
            if let failure {
                #expect(failure.contains("AccessDenied") && failure.contains(action), "removing \(action): \(failure)")
            }
        }
    }

    /// Apply, update, remove back to the defaults and destroy as a user holding `allowed`; the first failing
    /// command's output, or nil.
    static func runScenario(_ workspace: Workspace, allowed: Set<String>) throws -> String? {
        let keys = try PolicyIAMTests.setUpUsers(workspace, allowed: allowed)
        let run = try PolicyIAMTests.runner(workspace, as: keys)
        for manifests in [created, updated, removed] {
            try workspace.write("limits.yaml", manifests)
            if let failure = try run("apply", "--auto-approve", ".") { return failure }
        }
        if let failure = try run("plan", "--detailed-exitcode", ".") { return failure }
        try workspace.write("limits.yaml", created)
        return try run("destroy", "--auto-approve", ".")
    }
}
