import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A Python helper from Tests/Proxy that listens on a port it chooses and writes to a file.
public final class PythonHelperServer: @unchecked Sendable {
    public let port: Int
    public let scratch: URL
    private let process: Process

    /// Starts `Tests/Proxy/<script>` with `arguments` plus `--port-file`, waiting up to 15 s.
    public init(script: String, arguments: [String], scratch: URL) throws {
        self.scratch = scratch
        let portFile = scratch.appendingPathComponent("\(script).port").path
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["python3", PackagePaths.root.appendingPathComponent("Tests/Proxy/\(script)").path]
            + arguments + ["--port-file", portFile]
        let outputURL = scratch.appendingPathComponent("\(script).out")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)
        defer { try? output.close() }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        while true {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let value = Int(text) {
                port = value
                return
            }
            guard process.isRunning, Date() < deadline else {
                let said = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                throw TestSupportError.serverDidNotStart("\(script) did not start: \(said)")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    public func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

/// moto behind TLS, with a certificate for `localhost` only from a test CA that openssl
/// makes at test time (and a second, unrelated CA for "not trusted" cases).
public final class TLSFront: @unchecked Sendable {
    public let server: PythonHelperServer
    public let caPath: String
    public let otherCAPath: String
    public var endpoint: String { "https://localhost:\(server.port)" }
    /// The same server by an address its certificate does not hold.
    public var mismatchedEndpoint: String { "https://127.0.0.1:\(server.port)" }

    public init(upstream: MotoServer) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tls-front-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let dir = scratch.path
        let script = """
            set -e
            cd '\(dir)'
            openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj '/CN=reconcile test CA' 2>/dev/null
            openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other.pem -days 2 -subj '/CN=other CA' 2>/dev/null
            openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=localhost' 2>/dev/null
            printf 'subjectAltName=DNS:localhost\\nbasicConstraints=CA:FALSE\\nextendedKeyUsage=serverAuth\\n' > ext.cnf
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile ext.cnf 2>/dev/null
            """
        let result = try Subprocess.run("/bin/sh", ["-c", script])
        guard result.exitCode == 0 else { throw TestSupportError.commandFailed("openssl: \(result.output)") }
        caPath = dir + "/ca.pem"
        otherCAPath = dir + "/other.pem"
        server = try PythonHelperServer(
            script: "tls_front.py",
            arguments: [
                "--cert", dir + "/server.pem", "--key", dir + "/server.key", "--upstream", "127.0.0.1:\(upstream.port)"
            ],
            scratch: scratch)
    }

    public func stop() {
        server.stop()
        try? FileManager.default.removeItem(at: server.scratch)
    }
}

/// A CONNECT / forward proxy that logs each connection's method and target.
public final class LoggingProxy: @unchecked Sendable {
    public let server: PythonHelperServer
    private let logPath: String
    public var address: String { "127.0.0.1:\(server.port)" }

    public struct Entry: Decodable, Sendable {
        public var method: String
        public var target: String
        public var proxyAuthentication: Bool
        public var authorized: Bool

        enum CodingKeys: String, CodingKey {
            case method, target, authorized
            case proxyAuthentication = "proxy_auth"
        }
    }

    public init(user: String? = nil, password: String? = nil) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("proxy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        logPath = scratch.appendingPathComponent("log.jsonl").path
        var arguments = ["--log", logPath]
        if let user, let password { arguments += ["--user", user, "--password", password] }
        server = try PythonHelperServer(script: "logging_proxy.py", arguments: arguments, scratch: scratch)
    }

    public var entries: [Entry] {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Entry.self, from: Data($0.utf8)) }
    }

    public func clearLog() { try? Data().write(to: URL(fileURLWithPath: logPath)) }

    public func stop() {
        server.stop()
        try? FileManager.default.removeItem(at: server.scratch)
    }
}
