import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child process started without waiting (the binary under SIGKILL / SIGINT, two applies
/// at once), its output going to files so nobody has to drain a pipe.
public final class BackgroundProcess: @unchecked Sendable {
    private let process: Process
    private let scratch: URL
    private let outURL: URL
    private let errURL: URL

    public init(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        currentDirectory: String? = nil
    ) throws {
        process = Process(executable, arguments, environment: environment, currentDirectory: currentDirectory)
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-bg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        outURL = scratch.appendingPathComponent("stdout")
        errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Sends `signal` (SIGKILL, SIGINT, ...) to the process.
    public func send(_ signalNumber: Int32) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, signalNumber)
    }

    /// Output so far (the process may still be running).
    public var stdout: String { (try? String(contentsOf: outURL, encoding: .utf8)) ?? "" }
    public var stderr: String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }

    /// Waits up to `seconds` for the process to end; on timeout kills it and throws.
    /// `signaled` is the signal that ended it, if one did.
    public func wait(seconds: Double = 120) throws -> (result: ProcessResult, signaled: Int32?) {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning {
            if Date() > deadline {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw TestSupportError.commandFailed("process \(pid) did not end within \(seconds) s: \(stderr)")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.waitUntilExit()
        let signaled = process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil
        let result = ProcessResult(exitCode: process.terminationStatus, stdout: stdout, stderr: stderr)
        return (result, signaled)
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: scratch)
    }
}
