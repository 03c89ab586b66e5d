import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One request as the fault proxy logged it (`Tests/Proxy/fault_proxy.py`).
public struct ProxyRequest: Decodable, Sendable, Equatable, CustomStringConvertible {
    /// Seconds since 1970 when the request arrived.
    public var time: Double
    /// `kinesis`, `cloudformation`, `sts`, `moto-api` or `unknown`.
    public var service: String
    /// The AWS operation (`CreateStream`, `DescribeStacks`, ...); nil for non-AWS paths.
    public var operation: String?
    /// The stream or stack name the request names, if any.
    public var resource: String?
    /// The injected fault (`throttle`, `500`, `503`, `reset_before`, `reset_after`, `latency`), or nil.
    public var fault: String?
    /// The AWS rule the proxy answered with instead of moto (`shard_scaling`, `busy`, `failing_stack`, ...).
    public var rule: String?
    /// The HTTP status returned; nil when the proxy reset the connection instead.
    public var status: Int?
    /// What a rule found, e.g. the model check's "model check: OPERATION: PARAMETER: RULE".
    public var detail: String?

    /// The model check refused it: AWS would refuse this request.
    public var isModelViolation: Bool { rule == "model_check" }

    /// Describe*, List*, Get* and ValidateTemplate: calls that change nothing.
    public var isRead: Bool {
        guard let operation else { return false }
        return operation.hasPrefix("Describe") || operation.hasPrefix("List") || operation.hasPrefix("Get")
            || operation == "ValidateTemplate"
    }

    public var description: String {
        "\(service):\(operation ?? "-") \(resource ?? "-") fault=\(fault ?? "none") status=\(status.map(String.init) ?? "reset")"
    }

    private enum CodingKeys: String, CodingKey { case time, service, operation, resource, fault, rule, status, detail }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        time = try container.decode(Double.self, forKey: .time)
        service = try container.decode(String.self, forKey: .service)
        operation = try container.decodeIfPresent(String.self, forKey: .operation)
        resource = try container.decodeIfPresent(String.self, forKey: .resource)
        fault = try container.decodeIfPresent(String.self, forKey: .fault)
        rule = try container.decodeIfPresent(String.self, forKey: .rule)
        detail = try container.decodeIfPresent(String.self, forKey: .detail)
        // The log says "reset" where no HTTP status was ever sent.
        status = try? container.decode(Int.self, forKey: .status)
    }
}

/// The fault and fidelity proxy (`Tests/Proxy/fault_proxy.py`) on a free loopback port in
/// front of a `MotoServer`: point the binary at `endpoint` to get throttling, 5xx, resets,
/// latency, AWS's Kinesis rules and CloudFormation failures, and a log of every request.
///
/// Configure it with the JSON schema documented in the script (`configure(_:)`), read its log
/// with `requests()`. Stop it in `defer`; `deinit` stops it too.
public final class FaultProxy: @unchecked Sendable {
    public let port: Int
    public let upstream: MotoServer
    public var endpoint: String { "http://127.0.0.1:\(port)" }
    /// The JSON-lines log file the proxy appends to.
    public let logPath: String
    private let process: Process
    private let scratch: URL

    public static var scriptPath: String {
        PackagePaths.root.appendingPathComponent("Tests/Proxy/fault_proxy.py").path
    }

    /// Starts the proxy and waits (up to 15 s) until it has written its port.
    /// - Parameter config: an initial configuration (JSON text), as `configure(_:)` takes.
    public init(in front: MotoServer, config: String? = nil) throws {
        upstream = front
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fault-proxy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let portFile = scratch.appendingPathComponent("port").path
        logPath = scratch.appendingPathComponent("requests.jsonl").path
        var arguments = [
            "python3", Self.scriptPath, "--upstream", front.endpoint, "--port", "0",
            "--port-file", portFile, "--log", logPath
        ]
        if let config {
            let configPath = scratch.appendingPathComponent("config.json")
            try Data(config.utf8).write(to: configPath)
            arguments += ["--config", configPath.path]
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        // Output to a file, never a pipe: nobody drains a pipe while tests run.
        let outputURL = scratch.appendingPathComponent("output.log")
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let output = try FileHandle(forWritingTo: outputURL)
        defer { try? output.close() }
        process.standardOutput = output
        process.standardError = output
        try process.run()

        let deadline = Date().addingTimeInterval(15)
        var chosenPort: Int?
        while chosenPort == nil {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let value = Int(text) {
                chosenPort = value
            } else if !process.isRunning || Date() > deadline {
                let said = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
                Self.kill(process)
                throw TestSupportError.serverDidNotStart("fault proxy did not start: \(said)")
            } else {
                Thread.sleep(forTimeInterval: 0.02)
            }
        }
        port = chosenPort ?? 0
    }

    /// Environment for a child process (the binary, boto3, the AWS CLI) aimed at the proxy.
    public var clientEnvironment: [String: String] {
        var environment = upstream.clientEnvironment
        environment["AWS_ENDPOINT_URL"] = endpoint
        return environment
    }

    /// Replaces the whole configuration (faults, script, rules, rate limits, latency).
    /// Resets the fault dice and the scripted counts; what the proxy learned of streams stays.
    public func configure(_ json: String) throws {
        let answer = try control("POST", "/__proxy/config", body: Data(json.utf8))
        guard answer.status == 200 else {
            throw TestSupportError.commandFailed(
                "proxy refused config: \(String(decoding: answer.body, as: UTF8.self))")
        }
    }

    /// Every request logged since start (or the last `resetLog()`), oldest first.
    public func requests() throws -> [ProxyRequest] {
        let answer = try control("GET", "/__proxy/log")
        let decoder = JSONDecoder()
        return try answer.body.split(separator: UInt8(ascii: "\n")).map {
            try decoder.decode(ProxyRequest.self, from: Data($0))
        }
    }

    /// AWS requests that may change something: not Describe*/List*/Get*/ValidateTemplate, nor moto's own API.
    public func writeRequests() throws -> [ProxyRequest] {
        try requests().filter { $0.operation != nil && $0.service != "moto-api" && !$0.isRead }
    }

    /// Tells the proxy a key's secret, so it verifies (model check) and re-signs (fidelity rules that
    /// change a request, with moto's IAM authentication on) requests signed with that key.
    public func learnCredentials(accessKeyId: String, secretAccessKey: String) throws {
        let body = try JSONSerialization.data(withJSONObject: [
            "access_key_id": accessKeyId, "secret_access_key": secretAccessKey
        ])
        let answer = try control("POST", "/__proxy/credentials", body: body)
        guard answer.status == 200 else {
            throw TestSupportError.commandFailed(
                "proxy refused credentials: \(String(decoding: answer.body, as: UTF8.self))")
        }
    }

    /// The model check's findings ("model check: OPERATION: PARAMETER: RULE"), oldest first.
    public func modelViolations() throws -> [String] {
        try requests().filter(\.isModelViolation).map { $0.detail ?? $0.description }
    }

    public func resetLog() throws {
        _ = try control("POST", "/__proxy/reset-log")
    }

    /// Forgets what the proxy learned of streams and stacks (shard counts, busy windows, failed stacks).
    public func resetState() throws {
        _ = try control("POST", "/__proxy/reset-state")
    }

    /// Where the pause (`"pause": {"after_write": N}` in the config) stands.
    public struct PauseStatus: Decodable, Sendable {
        public var paused: Bool
        /// Write requests seen since the last `configure(_:)`.
        public var writes: Int
        public var operation: String?
        public var resource: String?
    }

    public func pauseStatus() throws -> PauseStatus {
        try JSONDecoder().decode(PauseStatus.self, from: control("GET", "/__proxy/pause").body)
    }

    /// Waits until the configured write is held (it has reached moto; its answer has not been sent).
    /// Returns nil when `whileRunning` turns false first (the client finished with fewer writes).
    public func waitForPause(seconds: Double = 60, whileRunning: () -> Bool) throws -> PauseStatus? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let status = try pauseStatus()
            if status.paused { return status }
            if !whileRunning() { return nil }
            Thread.sleep(forTimeInterval: 0.01)
        }
        throw TestSupportError.commandFailed("the proxy never paused within \(seconds) s")
    }

    /// Lets a held write's answer go.
    public func release() throws {
        _ = try control("POST", "/__proxy/release")
    }

    public func stop() {
        Self.kill(process)
        try? FileManager.default.removeItem(at: scratch)
    }

    deinit { stop() }

    /// SIGKILL: children of the test process inherit its blocked signal mask and ignore SIGTERM.
    private static func kill(_ process: Process) {
        if process.isRunning {
            #if canImport(Glibc)
                Glibc.kill(process.processIdentifier, SIGKILL)
            #else
                Darwin.kill(process.processIdentifier, SIGKILL)
            #endif
            process.waitUntilExit()
        }
    }

    /// A blocking HTTP/1.1 exchange with the control API over a loopback socket
    /// (`Connection: close`, read to end of file); no URLSession needed in tests.
    private func control(_ method: String, _ path: String, body: Data = Data()) throws -> (status: Int, body: Data) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestSupportError.socket("socket() failed") }
        defer { close(descriptor) }
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw TestSupportError.socket("cannot connect to the fault proxy on \(port)") }

        var request = Data(
            "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
                .utf8)
        request.append(body)
        try request.withUnsafeBytes { buffer in
            var sent = 0
            while sent < buffer.count {
                let written = send(descriptor, buffer.baseAddress! + sent, buffer.count - sent, 0)
                guard written > 0 else { throw TestSupportError.socket("send() to the fault proxy failed") }
                sent += written
            }
        }
        var response = Data()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = recv(descriptor, &chunk, chunk.count, 0)
            if count == 0 { break }
            guard count > 0 else { throw TestSupportError.socket("recv() from the fault proxy failed") }
            response.append(contentsOf: chunk[0..<count])
        }
        guard let headerEnd = response.range(of: Data("\r\n\r\n".utf8)),
            let statusLine = String(data: response[..<headerEnd.lowerBound], encoding: .utf8)?
                .split(separator: "\r\n").first,
            let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "")
        else { throw TestSupportError.socket("unreadable answer from the fault proxy") }
        return (status, Data(response[headerEnd.upperBound...]))
    }
}
