import ArgumentParser
import Foundation
import ReconcileKit

struct Synth: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Print (or write) the CloudFormation template of each stack.",
        discussion: """
            A stack's template is its spec.template fragment plus one AWS::Kinesis::Stream
            per Stream and one AWS::Kinesis::StreamConsumer per StreamConsumer that belongs
            to it. Output is deterministic JSON with sorted keys. No AWS calls are made.

            With one stack the output is exactly its template (valid JSON, ready for
            `cfn-lint` or `jq`). With several, each template follows a `# Stack/<name>`
            line; use --stack to pick one, or --out to write one file per stack.

            Examples:
              reconcile synth
              reconcile synth examples/multi-stack --stack orders-base
              reconcile synth manifests/ --out build/templates   # build/templates/<stack>.template.json
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var manifests: ManifestPaths

    @Option(help: "Write DIR/<stack>.template.json for every stack instead of printing.")
    var out: String?

    @Option(help: "Only this stack (by name).")
    var stack: String?

    func run() async throws {
        let desired = try manifests.loadDesiredState(global: global)
        var stacks = desired.stacks
        if let stack {
            stacks = stacks.filter { $0.name == stack }
            if stacks.isEmpty {
                let declared = desired.stacks.map(\.name).joined(separator: ", ")
                OutputStream.standardError.write(
                    "error: no stack named '\(stack)' in the manifests (declared: \(declared.isEmpty ? "none" : declared))\n"
                )
                throw ExitCode(1)
            }
        }
        if stacks.isEmpty {
            OutputStream.standardError.write("No stacks declared; nothing to synthesize.\n")
            return
        }
        let templates = stacks.map {
            ($0.name, TemplateSynthesizer.render(TemplateSynthesizer.template(for: $0, in: desired)))
        }
        if let out {
            try write(templates, to: out)
            return
        }
        if templates.count == 1, let only = templates.first {
            OutputStream.standardOutput.write(only.1)
            return
        }
        let text = templates.map { "# Stack/\($0.0)\n\($0.1)" }.joined(separator: "\n")
        OutputStream.standardOutput.write(text)
    }

    private func write(_ templates: [(String, String)], to directory: String) throws {
        let folder = URL(
            fileURLWithPath: directory, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (name, template) in templates {
                let file = folder.appendingPathComponent("\(name).template.json")
                try Data(template.utf8).write(to: file, options: .atomic)
                let shown =
                    directory.hasSuffix("/")
                    ? directory + file.lastPathComponent : directory + "/" + file.lastPathComponent
                OutputStream.standardOutput.write("Wrote \(shown)\n")
            }
        } catch {
            OutputStream.standardError.write(
                "error: cannot write templates to '\(directory)': \(error.localizedDescription)\n")
            throw ExitCode(1)
        }
    }
}
