import ArgumentParser
import BuildInfo

/// The entry point: NIO's event loops become Swift concurrency's global executor before any task
/// starts (`EventLoopExecutor`). (Before `main`, RuntimeHooks sets malloc to one arena.)
@main
enum ReconcileMain {
    static func main() async {
        EventLoopExecutor.install()
        await ReconcileCommand.main()
    }
}

struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Keep CloudFormation stacks and Kinesis Data Streams equal to YAML manifests.",
        version: ReconcileVersion.current,
        subcommands: [
            Validate.self, Synth.self, Plan.self, Apply.self, Destroy.self, Verify.self, Ls.self, Policy.self,
            Export.self, Whoami.self
        ]
    )
}

enum ReconcileVersion {
    static let number = "0.1.0"
    /// "unknown" unless the build stamped it (`make dist` does).
    static let commit = String(cString: reconcile_build_commit())
    static let current = "\(number) (commit \(commit))"
}
