import Foundation

/// The result of running a child process to completion.
public struct ProcessResult: Sendable {
    public var exitCode: Int32
    public var stdout: String
    public var stderr: String
    public var output: String { stdout + stderr }
}

extension Process {
    /// A child not yet started: a bare name is looked up on PATH (through `/usr/bin/env`), and
    /// `environment` is merged over the inherited one.
    convenience init(
        _ executable: String, _ arguments: [String], environment: [String: String], currentDirectory: String?
    ) {
        self.init()
        executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
        self.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
        var variables = ProcessInfo.processInfo.environment
        variables.merge(environment) { _, new in new }
        self.environment = variables
        if let currentDirectory { currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
    }
}

/// Runs commands the way a user would: real binary, real arguments, captured output.
public enum Subprocess {
    /// Runs `executable` with `arguments`, merging `environment` over the inherited one.
    /// Standard input is empty (not a terminal), as in CI.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        currentDirectory: String? = nil, input: String? = nil
    ) throws -> ProcessResult {
        let process = Process(executable, arguments, environment: environment, currentDirectory: currentDirectory)
        // Files, not pipes: a long-lived child started concurrently (moto) could inherit a
        // pipe's write end and the read would never see end-of-file.
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("reconcile-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        let inURL = scratch.appendingPathComponent("stdin")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: inURL.path, contents: Data((input ?? "").utf8))
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        let inHandle = try FileHandle(forReadingFrom: inURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
            try? inHandle.close()
        }
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = inHandle
        try process.run()
        process.waitUntilExit()
        return ProcessResult(
            exitCode: process.terminationStatus,
            stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    /// Runs a Python snippet (boto3 checks); fails the call when python exits non-zero.
    public static func python(_ script: String, environment: [String: String] = [:]) throws -> String {
        let result = try run("python3", ["-c", script], environment: environment)
        guard result.exitCode == 0 else {
            throw TestSupportError.commandFailed("python3 failed (\(result.exitCode)): \(result.stderr)")
        }
        return result.stdout
    }
}

/// Paths of the package under test.
public enum PackagePaths {
    /// The package root, found from this source file's location (Tests/TestSupport/…).
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The built `reconcile` binary; `swift build` puts it in the debug bin folder next to the tests.
    public static var reconcileBinary: String {
        if let override = ProcessInfo.processInfo.environment["RECONCILE_BINARY"], !override.isEmpty {
            return override
        }
        // The test bundle lives in the same bin path as the executable.
        let bundle = Bundle.main.bundleURL
        let candidates = [
            bundle.appendingPathComponent("reconcile").path,
            bundle.deletingLastPathComponent().appendingPathComponent("reconcile").path
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? root.appendingPathComponent(".build/debug/reconcile").path
    }
}
