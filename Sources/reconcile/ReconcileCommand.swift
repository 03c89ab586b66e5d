import ArgumentParser
import NIOCore
import NIOPosix

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
            Export.self,
        ]
    )
}

enum ReconcileVersion {
    static let current = "0.1.0"
}
