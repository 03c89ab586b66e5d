import Foundation
import TestSupport
import Testing

/// The README's local walkthrough, run line by line as a newcomer would type it.
@Suite("README walkthrough")
struct ReadmeCommandTests {
    /// The `$R ...` lines of the README's local-endpoint block, in order.
    static func walkthrough() throws -> [[String]] {
        let readme = try String(contentsOf: PackagePaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        return readme.split(separator: "\n").compactMap { line -> [String]? in
            guard line.hasPrefix("$R ") else { return nil }
            let command = line.dropFirst(3).split(separator: "#", maxSplits: 1).first ?? ""
            return command.split(separator: " ").map(String.init)
        }
    }

    @Test("every command of the README's local walkthrough succeeds, in order, against moto")
    func walkthroughRuns() throws {
        let commands = try Self.walkthrough()
        #expect(commands.map(\.first) == ["validate", "plan", "apply", "ls", "verify", "destroy"])
        let workspace = try Workspace()
        defer { workspace.stop() }
        for command in commands {
            let arguments = command.map {
                $0 == "manifests/" ? PackagePaths.root.appendingPathComponent("manifests").path : $0
            }
            let result = try workspace.reconcile(arguments: arguments)
            #expect(result.exitCode == 0, "reconcile \(command.joined(separator: " ")): \(result.output)")
        }
        #expect(try workspace.stackNames().isEmpty)
    }

    @Test("shell completions are generated for bash, zsh and fish", arguments: ["bash", "zsh", "fish"])
    func completions(shell: String) throws {
        let result = try Subprocess.run(PackagePaths.reconcileBinary, ["--generate-completion-script", shell])
        #expect(result.exitCode == 0)
        #expect(result.stdout.contains("reconcile"))
        #expect(result.stdout.contains("apply"))
    }

    @Test("every subcommand's help shows examples")
    func helpHasExamples() throws {
        for command in ["plan", "apply", "destroy", "verify", "ls", "validate", "synth", "policy", "export"] {
            let result = try Subprocess.run(PackagePaths.reconcileBinary, [command, "--help"])
            #expect(result.exitCode == 0)
            #expect(result.stdout.contains("reconcile \(command)"), "\(command) --help: \(result.stdout)")
        }
    }
}
