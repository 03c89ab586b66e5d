import Foundation
import TestSupport

/// A temporary folder of manifests plus a moto server, driven through the real binary.
final class Workspace: @unchecked Sendable {
    let directory: URL
    let moto: MotoServer
    var proxy: FaultProxy?
    /// Set last over the environment of every `reconcile` run (e.g. other credentials).
    var extraEnvironment: [String: String] = [:]

    init(copying sources: [String] = [], proxied: Bool = false) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        moto = try MotoServer()
        if proxied { proxy = try FaultProxy(in: moto) }
        for source in sources {
            let url = PackagePaths.root.appendingPathComponent(source)
            for file in try FileManager.default.contentsOfDirectory(atPath: url.path) where file.hasSuffix(".yaml") || file.hasSuffix(".yml") {
                try FileManager.default.copyItem(at: url.appendingPathComponent(file), to: directory.appendingPathComponent(file))
            }
        }
    }

    var endpoint: String { proxy?.endpoint ?? moto.endpoint }

    var environment: [String: String] {
        var environment = moto.clientEnvironment
        environment["AWS_ENDPOINT_URL"] = endpoint
        environment["NO_COLOR"] = "1"
        environment["RECONCILE_PROJECT"] = ""
        environment.merge(extraEnvironment) { _, new in new }
        return environment
    }

    /// Writes (or replaces) a manifest file in the workspace.
    func write(_ name: String, _ yaml: String) throws {
        try yaml.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func remove(_ name: String) throws {
        try FileManager.default.removeItem(at: directory.appendingPathComponent(name))
    }

    /// Runs `reconcile ARGS` in the workspace folder, as a user would in CI (no terminal).
    @discardableResult
    func reconcile(_ arguments: String..., input: String? = nil) throws -> ProcessResult {
        try reconcile(arguments: arguments, input: input)
    }

    func reconcile(arguments: [String], input: String? = nil) throws -> ProcessResult {
        try Subprocess.run(
            PackagePaths.reconcileBinary, arguments, environment: environment, currentDirectory: directory.path, input: input)
    }

    /// Runs a boto3 snippet against moto directly (not through the proxy); `kinesis` and
    /// `cfn` clients are predefined. Returns stdout.
    func boto3(_ script: String) throws -> String {
        let prelude = """
            import boto3, json
            kinesis = boto3.client('kinesis')
            cfn = boto3.client('cloudformation')

            """
        return try Subprocess.python(prelude + script, environment: moto.clientEnvironment)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func streamNames() throws -> [String] {
        let out = try boto3("print(json.dumps(sorted(kinesis.list_streams()['StreamNames'])))")
        return (try? JSONDecoder().decode([String].self, from: Data(out.utf8))) ?? []
    }

    func stackNames() throws -> [String] {
        let out = try boto3("""
            names = [s['StackName'] for s in cfn.describe_stacks()['Stacks'] if s['StackStatus'] != 'DELETE_COMPLETE']
            print(json.dumps(sorted(names)))
            """)
        return (try? JSONDecoder().decode([String].self, from: Data(out.utf8))) ?? []
    }

    func stop() {
        proxy?.stop()
        moto.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
