import ArgumentParser
import BuildInfo
import NIOCore
import NIOPosix

/// The entry point: Swift concurrency's global executor becomes NIO's event-loop group (the
/// one AsyncHTTPClient runs on) before any task starts, so a request's continuation resumes
/// on the loop that read its answer instead of hopping to the cooperative pool and back. On a
/// 1,000-stream plan that cut the process's CPU time by about a quarter (docs/benchmarks.md).
/// Nothing in the CLI blocks a task on another task, which the shared threads would not allow.
@main
enum ReconcileMain {
    static func main() async {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
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
