import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A moto server (`moto_server`) on a free loopback port, one per test that needs AWS.
///
/// Each test gets its own server so tests can run in parallel without resetting each
/// other's state. Stop it in `defer`; `deinit` stops it too as a safety net.
public final class MotoServer: @unchecked Sendable {
    public let port: Int
    public var endpoint: String { "http://127.0.0.1:\(port)" }
    private let process: Process

    /// Starts moto and waits (up to 30 s) until it accepts connections.
    /// - Parameter environment: extra variables, e.g. `INITIAL_NO_AUTH_ACTION_COUNT` to turn on IAM checks.
    public init(environment: [String: String] = [:]) throws {
        port = try FreePort.pick()
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["moto_server", "-H", "127.0.0.1", "-p", String(port)]
        var variables = ProcessInfo.processInfo.environment
        variables.merge(environment) { _, new in new }
        process.environment = variables
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while !FreePort.isAccepting(port) {
            guard process.isRunning, Date() < deadline else {
                stop()
                throw TestSupportError.serverDidNotStart("moto_server did not start on port \(port)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// Environment for a child process (the binary, boto3, the AWS CLI) aimed at this server.
    public var clientEnvironment: [String: String] {
        [
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": "eu-central-1", "AWS_DEFAULT_REGION": "eu-central-1", "AWS_ENDPOINT_URL": endpoint,
            "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"
        ]
    }

    /// Empties moto (`POST /moto-api/reset`), so a loop can start each round from nothing.
    public func reset() throws {
        _ = try Subprocess.python(
            "import urllib.request; urllib.request.urlopen(urllib.request.Request('\(endpoint)/moto-api/reset', method='POST'), timeout=30)"
        )
    }

    public func stop() {
        // SIGKILL: children spawned from the test process inherit its blocked signal
        // mask, so moto would never see a SIGTERM.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}
