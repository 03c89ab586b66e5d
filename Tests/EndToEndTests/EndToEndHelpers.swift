import Foundation
import TestSupport

/// A fresh temporary folder, removed by `cleanUp()`.
struct ScratchFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("reconcile-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var path: String { url.path }

    @discardableResult
    func write(_ relativePath: String, _ text: String) throws -> String {
        try write(relativePath, Data(text.utf8))
    }

    @discardableResult
    func write(_ relativePath: String, _ data: Data) throws -> String {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
        return file.path
    }

    func cleanUp() {
        // chmod 000 leftovers must be made removable again.
        if let items = FileManager.default.enumerator(atPath: path) {
            for case let item as String in items {
                try? FileManager.default.setAttributes(
                    [.posixPermissions: 0o755], ofItemAtPath: url.appendingPathComponent(item).path)
            }
        }
        try? FileManager.default.removeItem(at: url)
    }
}

/// Runs the built `reconcile` binary with colour forced off by the environment where asked.
func reconcile(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws
    -> ProcessResult
{
    try Subprocess.run(PackagePaths.reconcileBinary, arguments, environment: environment, currentDirectory: directory)
}

let validStreamManifest = """
    apiVersion: reconcile/v1
    kind: Stream
    metadata:
      name: ok-stream
    spec:
      shardCount: 1

    """
