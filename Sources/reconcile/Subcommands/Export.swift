import ArgumentParser
import Foundation
import ReconcileKit

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write manifests for live streams and stacks (reads only).",
        discussion: """
            For each --stream: a Stream document (mode, shards, retention, encryption, shard-level metrics, tags) \
            and a StreamConsumer per registered consumer. For each --stack: a Stack document (description, tags, \
            termination protection, capabilities, parameters, and every resource that is not a Kinesis stream or \
            consumer as the pass-through template), plus its AWS::Kinesis::Stream and StreamConsumer resources as \
            Stream and StreamConsumer documents, their conditions (Fn::If, Fn::Equals, Fn::And, Fn::Or, Fn::Not) \
            evaluated for the stack's region, account and parameters; a Kinesis resource whose properties cannot be \
            evaluated stays in the template, with a comment saying which property and why. The ownership tag and \
            aws:* tags are left out: adopt the result with 'reconcile apply --adopt'.

            Examples:
              reconcile export --stream clicks --stream orders --region eu-central-1
              reconcile export --stack xyz-infra-kinesis --out manifests/
              reconcile export --stack xyz-infra-kinesis --drop-cdk-metadata --out manifests/
              reconcile export --stream clicks --out manifests/ && reconcile plan --adopt manifests/
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("stream"), help: "A directly managed stream to export (repeatable).")
    var streams: [String] = []

    @Option(name: .customLong("stack"), help: "A stack to export with its Kinesis members (repeatable).")
    var stacks: [String] = []

    @Flag(
        name: .customLong("drop-cdk-metadata"),
        help: """
            Leave the CDK behind: leave out the AWS::CDK::Metadata resource, the BootstrapVersion parameter, the \
            CheckBootstrapVersion rule and conditions nothing uses any more (the plan lists these removals).
            """)
    var dropCDKMetadata = false

    @Option(
        help: "Write one file per resource (stream-NAME.yaml, stack-NAME.yaml) into this folder instead of printing.")
    var out: String?

    func validate() throws {
        if streams.isEmpty && stacks.isEmpty {
            throw ValidationError("name at least one --stream or --stack to export")
        }
    }

    func run() async throws {
        let session = try global.makeSession()
        let manifests: [ExportedManifest]
        do {
            let region = try session.settings.defaultRegion()
            manifests = try await session.run { session in
                let exporter = ManifestExporter(client: session.client)
                var result: [ExportedManifest] = []
                let options = StackExportOptions(dropCDKMetadata: dropCDKMetadata)
                for stack in stacks {
                    result.append(try await exporter.exportStack(stack, region: region, options: options))
                }
                for stream in streams { result.append(try await exporter.exportStream(stream, region: region)) }
                return result
            }
        } catch {
            throw CommandFailure.report(error)
        }
        guard let out else {
            print(manifests.map(\.yaml).joined(separator: "---\n"), terminator: "")
            return
        }
        do {
            let folder = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for manifest in manifests {
                let file = folder.appendingPathComponent(manifest.fileName)
                try Data(manifest.yaml.utf8).write(to: file)
                print("wrote \(file.path)")
            }
        } catch {
            throw CommandFailure.report(PlanCommandError.cannotWrite(out, error.localizedDescription))
        }
    }
}
