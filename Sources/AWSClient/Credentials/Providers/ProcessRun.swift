import Foundation

/// Runs a program without a shell, its stdout and stderr going to temporary files (a pipe would
/// block if the program left a child holding it), killing it after a timeout.
enum ProcessRun {
    struct Result: Sendable {
        var status: Int32
        var stdout: Data
        var stderr: Data
        var timedOut: Bool
    }

    /// A bare name is looked up on PATH (through `/usr/bin/env`), as Python's `subprocess` does.
    static func run(program: String, arguments: [String], timeout: Duration) async throws -> Result {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "reconcile-process-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil, attributes: [.posixPermissions: 0o600])
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil, attributes: [.posixPermissions: 0o600])
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
        }
        let process = Process()
        if program.contains("/") {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [program] + arguments
        }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let watched = WatchedProcess(process)
        let timedOut = await watched.wait(timeout: timeout)
        // After a kill Foundation may still see the process as running (a grandchild can keep its
        // termination socket open), and reading its status then would trap.
        let status = timedOut ? -1 : process.terminationStatus
        return Result(
            status: status, stdout: (try? Data(contentsOf: outURL)) ?? Data(),
            stderr: (try? Data(contentsOf: errURL)) ?? Data(), timedOut: timedOut)
    }
}

/// A running process waited for on a Dispatch thread (waiting blocks), killed at the timeout.
/// Whichever comes first, the exit or the timeout, ends the wait.
private final class WatchedProcess: @unchecked Sendable {
    private let process: Process
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Bool, Never>?

    init(_ process: Process) { self.process = process }

    /// true when the process was killed at the timeout.
    func wait(timeout: Duration) async -> Bool {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        return await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            lock.withLock { self.continuation = continuation }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
                guard process.isRunning else { return }
                // SIGKILL: a shell defers SIGTERM until its foreground child ends, and a blocked
                // signal mask may be inherited.
                kill(process.processIdentifier, SIGKILL)
                finish(timedOut: true)
            }
            DispatchQueue.global().async { [self] in
                process.waitUntilExit()
                finish(timedOut: false)
            }
        }
    }

    private func finish(timedOut: Bool) {
        let waiting = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(returning: timedOut)
    }
}
