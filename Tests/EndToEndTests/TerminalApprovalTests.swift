import Foundation
import TestSupport
import Testing

/// apply on a terminal: the plan, then the prompt; only 'yes' applies. `script` gives the
/// binary a pseudo-terminal, as a person at a shell would.
@Suite("approval on a terminal")
struct TerminalApprovalTests {
    static let stream = """
        apiVersion: reconcile/v1
        kind: Stream
        metadata:
          name: tty-stream
        spec:
          shardCount: 1

        """

    func applyOnTerminal(answer: String, in workspace: Workspace) throws -> ProcessResult {
        let command = "\(PackagePaths.reconcileBinary) apply --no-color ."
        return try Subprocess.run(
            "script", ["-qefc", command, "/dev/null"], environment: workspace.environment,
            currentDirectory: workspace.directory.path, input: answer + "\n")
    }

    @Test("the prompt asks for 'yes'; 'yes' applies with a live status line")
    func yesApplies() throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        try workspace.write("stream.yaml", Self.stream)
        let result = try applyOnTerminal(answer: "yes", in: workspace)
        #expect(result.exitCode == 0, "\(result.output)")
        #expect(result.stdout.contains("Apply these 2 steps? Only 'yes' is accepted:"))
        #expect(result.stdout.contains("steps done"))
        #expect(result.stdout.contains("Apply complete: 1 created"))
        #expect(try workspace.streamNames() == ["tty-stream"])
    }

    @Test("any other answer changes nothing and exits 1", arguments: ["no", "y", "YES"])
    func otherAnswersRefuse(answer: String) throws {
        let workspace = try Workspace()
        defer { workspace.stop() }
        try workspace.write("stream.yaml", Self.stream)
        let result = try applyOnTerminal(answer: answer, in: workspace)
        #expect(result.exitCode == 1, "\(result.output)")
        #expect(result.stdout.contains("Nothing was changed"))
        #expect(try workspace.streamNames().isEmpty)
    }
}
