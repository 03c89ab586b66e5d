import ArgumentParser
import ReconcileKit

struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check manifests without calling AWS.",
        discussion: """
            Loads every manifest (files, or folders read recursively for *.yaml and *.yml)
            and reports every problem at once as file:line:column with the offending line,
            then exits 1. Valid manifests print a summary and exit 0.

            Examples:
              reconcile validate
              reconcile validate manifests/
              reconcile validate examples/fan-out examples/kms-metrics/stream.yaml
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var manifests: ManifestPaths

    func run() async throws {
        let desired = try manifests.loadDesiredState(global: global)
        func count(_ number: Int, _ singular: String, _ plural: String) -> String {
            "\(number) \(number == 1 ? singular : plural)"
        }
        let style = TextStyle(colored: Terminal.allowsColor(on: .standardOutput, noColorFlag: global.noColor))
        OutputStream.standardOutput.write(
            style.green("Manifests are valid:") + " \(count(desired.stacks.count, "stack", "stacks")), "
                + "\(count(desired.streams.count, "stream", "streams")), "
                + "\(count(desired.consumers.count, "consumer", "consumers")).\n")
    }
}
