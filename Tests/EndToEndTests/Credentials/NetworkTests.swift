import Foundation
import TestSupport
import Testing

/// A private CA and proxies, as a company network has them: moto behind a TLS front whose
/// certificate a test CA signed, and a logging CONNECT / forward proxy. Each case is compared
/// with the AWS CLI given the same variables.
@Suite("network: AWS_CA_BUNDLE, proxies and TLS failures", .serialized)
struct NetworkTests {
    final class Setup: @unchecked Sendable {
        let moto: MotoServer
        let front: TLSFront
        let workspace: URL

        init() throws {
            moto = try MotoServer()
            front = try TLSFront(upstream: moto)
            workspace = FileManager.default.temporaryDirectory.appendingPathComponent(
                "reconcile-net-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
            let seed = PackagePaths.root.appendingPathComponent("manifests/xyz-infra-kinesis.yaml")
            try FileManager.default.copyItem(at: seed, to: workspace.appendingPathComponent("seed.yaml"))
        }

        func environment(_ extra: [String: String]) -> [String: String] {
            var environment = moto.clientEnvironment
            environment["AWS_ENDPOINT_URL"] = front.endpoint
            environment["AWS_CA_BUNDLE"] = front.caPath
            environment["NO_COLOR"] = "1"
            environment["RECONCILE_PROJECT"] = ""
            return environment.merging(extra) { _, new in new }
        }

        func reconcile(_ arguments: [String], _ extra: [String: String] = [:]) throws -> ProcessResult {
            try Subprocess.run(
                PackagePaths.reconcileBinary, arguments, environment: environment(extra),
                currentDirectory: workspace.path)
        }

        func awsCLI(_ extra: [String: String] = [:]) throws -> ProcessResult {
            try Subprocess.run("aws", ["sts", "get-caller-identity"], environment: environment(extra))
        }

        func stop() {
            front.stop()
            moto.stop()
            try? FileManager.default.removeItem(at: workspace)
        }
    }

    @Test("AWS_CA_BUNDLE trusts the private CA: apply and destroy over HTTPS, as the AWS CLI does")
    func caBundle() async throws {
        let setup = try await blocking { try Setup() }
        defer { setup.stop() }
        #expect(try setup.awsCLI().exitCode == 0)
        let apply = try await blocking { try setup.reconcile(["apply", "--auto-approve", "."]) }
        #expect(apply.exitCode == 0, "\(apply.output)")
        let destroy = try await blocking { try setup.reconcile(["destroy", "--auto-approve", "."]) }
        #expect(destroy.exitCode == 0, "\(destroy.output)")
        let config = setup.workspace.appendingPathComponent("config").path
        try "[default]\nca_bundle = \(setup.front.caPath)\n".write(toFile: config, atomically: true, encoding: .utf8)
        let fromProfile = try await blocking {
            try setup.reconcile(["plan", "."], ["AWS_CA_BUNDLE": "", "AWS_CONFIG_FILE": config])
        }
        #expect(fromProfile.exitCode == 0, "the profile's ca_bundle: \(fromProfile.output)")
    }

    @Test("an untrusted or mismatched certificate fails at once with a clear message, like the AWS CLI")
    func tlsFailures() async throws {
        let setup = try await blocking { try Setup() }
        defer { setup.stop() }
        let untrusted = ["AWS_CA_BUNDLE": setup.front.otherCAPath]
        #expect(try setup.awsCLI(untrusted).exitCode != 0)
        let started = ContinuousClock.now
        let result = try await blocking { try setup.reconcile(["plan", "--verbose", "."], untrusted) }
        #expect(ContinuousClock.now - started < .seconds(15), "a TLS failure must not be retried for a minute")
        #expect(result.exitCode == 1)
        #expect(result.stderr.contains("not trusted") && result.stderr.contains("AWS_CA_BUNDLE"), "\(result.output)")
        #expect(result.stderr.contains("localhost"), "\(result.output)")
        #expect(!result.output.contains("(will retry)"), "\(result.output)")
        let mismatch = ["AWS_ENDPOINT_URL": setup.front.mismatchedEndpoint]
        #expect(try setup.awsCLI(mismatch).exitCode != 0)
        let mismatched = try await blocking { try setup.reconcile(["plan", "."], mismatch) }
        #expect(mismatched.exitCode == 1)
        #expect(
            mismatched.stderr.contains("does not match") || mismatched.stderr.contains("not trusted"),
            "\(mismatched.output)")
        for output in [result.output, mismatched.output] {
            for internalName in ["NIOSSL", "BoringSSL", "checkouts", ".build/", "handshakeFailed"] {
                #expect(!output.contains(internalName), "'\(internalName)' in: \(output)")
            }
        }
    }

    @Test(
        "HTTPS_PROXY tunnels with CONNECT and Basic auth, HTTP_PROXY is used for http, NO_PROXY bypasses; the password never shows"
    )
    func proxies() async throws {
        let setup = try await blocking { try Setup() }
        defer { setup.stop() }
        let proxy = try await blocking { try LoggingProxy(user: "alice", password: "proxy-PASSWORD") }
        defer { proxy.stop() }
        let https = ["HTTPS_PROXY": "http://alice:proxy-PASSWORD@\(proxy.address)"]
        proxy.clearLog()
        #expect(try setup.awsCLI(https).exitCode == 0)
        #expect(proxy.entries.contains { $0.method == "CONNECT" && $0.authorized }, "the AWS CLI did not use the proxy")
        proxy.clearLog()
        let apply = try await blocking { try setup.reconcile(["apply", "--auto-approve", "--verbose", "."], https) }
        #expect(apply.exitCode == 0, "\(apply.output)")
        let tunnels = proxy.entries
        #expect(!tunnels.isEmpty && tunnels.allSatisfy { $0.method == "CONNECT" && $0.authorized }, "\(tunnels)")
        #expect(tunnels.first?.target == "localhost:\(setup.front.server.port)")

        // Credential calls (STS AssumeRole for a role profile) take the same proxy and CA bundle.
        let config = setup.workspace.appendingPathComponent("role-config").path
        try "[profile role]\nrole_arn = arn:aws:iam::123456789012:role/deployer\ncredential_source = Environment\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        proxy.clearLog()
        let role = https.merging(["AWS_CONFIG_FILE": config]) { $1 }
        let whoami = try await blocking { try setup.reconcile(["whoami", "--profile", "role", "--verbose"], role) }
        #expect(whoami.stdout.contains("assumed-role/deployer/"), "\(whoami.output)")
        #expect(whoami.stderr.contains("sts:AssumeRole") && proxy.entries.allSatisfy(\.authorized), "\(whoami.output)")
        #expect(!proxy.entries.isEmpty)

        proxy.clearLog()
        let bypassed = try await blocking {
            try setup.reconcile(["plan", "."], https.merging(["no_proxy": "localhost"]) { $1 })
        }
        #expect(bypassed.exitCode == 0, "\(bypassed.output)")
        #expect(proxy.entries.isEmpty, "NO_PROXY=localhost still used the proxy: \(proxy.entries)")

        proxy.clearLog()
        let plain = [
            "HTTP_PROXY": "http://alice:proxy-PASSWORD@\(proxy.address)", "AWS_ENDPOINT_URL": setup.moto.endpoint
        ]
        let forwarded = try await blocking { try setup.reconcile(["plan", "."], plain) }
        #expect(forwarded.exitCode == 0, "\(forwarded.output)")
        // AsyncHTTPClient tunnels plain http with CONNECT too (the AWS CLI sends absolute-form).
        #expect(
            proxy.entries.contains { $0.target.hasSuffix(":\(setup.moto.port)") && $0.authorized }, "\(proxy.entries)")

        let wrong = ["HTTPS_PROXY": "http://alice:wrong-PASSWORD@\(proxy.address)"]
        #expect(try setup.awsCLI(wrong).exitCode != 0)
        let refused = try await blocking { try setup.reconcile(["plan", "--verbose", "."], wrong) }
        #expect(refused.exitCode == 1)
        #expect(refused.stderr.contains("proxy"), "\(refused.output)")
        for output in [apply.output, whoami.output, bypassed.output, forwarded.output, refused.output] {
            #expect(!output.contains("PASSWORD"), "a proxy password appeared: \(output)")
        }
    }
}
