import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A manifest file to read: the path shown in diagnostics (as the user gave it, or
/// relative to it) and the path to open.
public struct ManifestFile: Sendable, Hashable {
    public var displayPath: String
    public var absolutePath: String
}

/// Expands manifest paths (SPEC 1): files as given, folders recursively (`*.yaml`,
/// `*.yml`, hidden entries skipped, sorted). A symbolic link back into a folder being
/// walked is reported instead of followed forever.
struct ManifestFileFinder {
    let currentDirectory: String

    /// No paths: `manifests` if that folder exists, else the current folder.
    func defaultPaths() -> [String] {
        isDirectory(absolute("manifests")) ? ["manifests"] : ["."]
    }

    func files(for paths: [String], diagnostics: inout DiagnosticCollector) -> [ManifestFile] {
        var files: [ManifestFile] = []
        for path in paths.isEmpty ? defaultPaths() : paths {
            let absolutePath = absolute(path)
            let location = SourceLocation(file: path, line: 1, column: 1)
            var status = stat()
            guard stat(absolutePath, &status) == 0 else {
                diagnostics.error(at: location, "cannot read manifest path: \(String(cString: strerror(errno)))")
                continue
            }
            if status.st_mode & S_IFMT == S_IFDIR {
                let before = files.count
                walk(
                    directory: absolutePath, display: path == "." ? "" : path, ancestors: [], into: &files,
                    diagnostics: &diagnostics)
                if files.count == before {
                    diagnostics.error(at: location, "no manifest files (*.yaml, *.yml) in this folder")
                }
            } else {
                files.append(ManifestFile(displayPath: path, absolutePath: absolutePath))
            }
        }
        return files
    }

    private func walk(
        directory: String, display: String, ancestors: Set<String>, into files: inout [ManifestFile],
        diagnostics: inout DiagnosticCollector
    ) {
        let shown = display.isEmpty ? "." : display
        guard let canonical = realPath(directory) else {
            diagnostics.error(
                at: SourceLocation(file: shown, line: 1, column: 1),
                "cannot read folder: \(String(cString: strerror(errno)))")
            return
        }
        if ancestors.contains(canonical) {
            diagnostics.error(
                at: SourceLocation(file: shown, line: 1, column: 1),
                "symbolic link loop: this folder leads back to '\(canonical)', which is already being read")
            return
        }
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            diagnostics.error(
                at: SourceLocation(file: shown, line: 1, column: 1),
                "cannot read folder: \(String(cString: strerror(EACCES)))")
            return
        }
        let nested = ancestors.union([canonical])
        for entry in entries where !entry.hasPrefix(".") {
            let path = directory.hasSuffix("/") ? directory + entry : directory + "/" + entry
            let entryDisplay =
                display.isEmpty ? entry : (display.hasSuffix("/") ? display + entry : display + "/" + entry)
            var status = stat()
            guard stat(path, &status) == 0 else {
                // A dangling link or a link loop (ELOOP) that is not a manifest is no concern.
                if entry.hasSuffix(".yaml") || entry.hasSuffix(".yml") {
                    diagnostics.error(
                        at: SourceLocation(file: entryDisplay, line: 1, column: 1),
                        "cannot read manifest: \(String(cString: strerror(errno)))")
                } else if errno == ELOOP {
                    diagnostics.error(
                        at: SourceLocation(file: entryDisplay, line: 1, column: 1),
                        "symbolic link loop: \(String(cString: strerror(errno)))")
                }
                continue
            }
            if status.st_mode & S_IFMT == S_IFDIR {
                walk(directory: path, display: entryDisplay, ancestors: nested, into: &files, diagnostics: &diagnostics)
            } else if entry.hasSuffix(".yaml") || entry.hasSuffix(".yml") {
                files.append(ManifestFile(displayPath: entryDisplay, absolutePath: path))
            }
        }
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/")
            ? path : (currentDirectory.hasSuffix("/") ? currentDirectory + path : currentDirectory + "/" + path)
    }

    private func isDirectory(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    private func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
