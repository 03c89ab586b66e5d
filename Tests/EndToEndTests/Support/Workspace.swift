import Foundation
import TestSupport
import Testing

/// A temporary folder of manifests plus a moto server behind the fault proxy, driven through the real binary.
///
/// The binary always talks to the proxy, whose model check refuses what AWS would refuse; `stop()` fails
/// the test for every such request, even when the command coped with the refusal.
final class Workspace: @unchecked Sendable {
    let directory: URL
    let moto: MotoServer
    var proxy: FaultProxy?
    /// The model check's findings are reported at `stop()`; a test that sends bad requests on purpose clears this.
    var failsOnModelViolations = true
    /// Set last over the environment of every `reconcile` run (e.g. other credentials).
    var extraEnvironment: [String: String] = [:]

    /// - Parameter proxied: false only where a test must reach moto without the proxy in between.
    init(copying sources: [String] = [], proxied: Bool = true) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        moto = try MotoServer()
        if proxied {
            proxy = try FaultProxy(in: moto, config: Self.meetsWaitingStates() ? Self.waitingStates : nil)
        }
        for source in sources {
            let url = PackagePaths.root.appendingPathComponent(source)
            for file in try FileManager.default.contentsOfDirectory(atPath: url.path)
            where file.hasSuffix(".yaml") || file.hasSuffix(".yml") {
                try FileManager.default.copyItem(
                    at: url.appendingPathComponent(file), to: directory.appendingPathComponent(file))
            }
        }
    }

    var endpoint: String { proxy?.endpoint ?? moto.endpoint }

    /// The proxy's waiting-state windows: what AWS shows for seconds to minutes after a write, shortened.
    static let waitingStates =
        #"{"rules": {"busy_seconds": 0.5, "consumer_busy_seconds": 0.5, "stack_busy_seconds": 0.5}}"#

    /// One end-to-end test in four meets AWS's waiting states (streams CREATING/UPDATING, consumers
    /// CREATING, stacks *_IN_PROGRESS) until it configures the proxy itself. Chosen by the test's name, so
    /// a run is reproducible; `RECONCILE_E2E_WAITING_STATES=all` or `none` overrides the share.
    static func meetsWaitingStates() -> Bool {
        switch ProcessInfo.processInfo.environment["RECONCILE_E2E_WAITING_STATES"] {
        case "all": return true
        case "none": return false
        default:
            // FNV-1a: stable across runs, unlike Hasher.
            let name = Test.current.map { "\($0.id)" } ?? ""
            let hash = name.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
            return hash % 4 == 0
        }
    }

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
        let environment = environment
        if let proxy, let key = environment["AWS_ACCESS_KEY_ID"], let secret = environment["AWS_SECRET_ACCESS_KEY"] {
            try proxy.learnCredentials(accessKeyId: key, secretAccessKey: secret)
        }
        return try Subprocess.run(
            PackagePaths.reconcileBinary, arguments, environment: environment, currentDirectory: directory.path,
            input: input)
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

    /// Every request the binary sent must be one AWS accepts.
    private func reportModelViolations() {
        guard failsOnModelViolations, let proxy else { return }
        do {
            for violation in try proxy.modelViolations() {
                Issue.record("a request AWS would refuse: \(violation)")
            }
        } catch {
            Issue.record("cannot read the proxy's log: \(error)")
        }
    }

    func streamNames() throws -> [String] {
        let out = try boto3("print(json.dumps(sorted(kinesis.list_streams()['StreamNames'])))")
        return (try? JSONDecoder().decode([String].self, from: Data(out.utf8))) ?? []
    }

    func stackNames() throws -> [String] {
        let out = try boto3(
            """
            names = [s['StackName'] for s in cfn.describe_stacks()['Stacks'] if s['StackStatus'] != 'DELETE_COMPLETE']
            print(json.dumps(sorted(names)))
            """)
        return (try? JSONDecoder().decode([String].self, from: Data(out.utf8))) ?? []
    }

    func stop() {
        reportModelViolations()
        proxy?.stop()
        moto.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
