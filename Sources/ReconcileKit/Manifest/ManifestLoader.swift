import Foundation

/// Loads and validates manifests (SPEC 1): the one entry point the commands use.
///
/// Every problem in every file is gathered and thrown together, each located at the
/// offending value (or key) with the path as the user gave it
/// (`manifests/streams.yaml:12:5`).
public enum ManifestLoader {
    /// Loads the manifests under `paths` (relative paths resolved against
    /// `currentDirectory`; none: `manifests` if it exists, else the current folder).
    public static func load(
        paths: [String], currentDirectory: String, limits: ManifestLimits = .standard
    ) throws(ManifestError) -> DesiredState {
        var diagnostics = DiagnosticCollector()
        let files = ManifestFileFinder(currentDirectory: currentDirectory).files(for: paths, diagnostics: &diagnostics)
        var declarations: [Declaration] = []
        for file in files {
            guard let documents = documents(of: file, limits: limits, diagnostics: &diagnostics) else { continue }
            for document in documents {
                if let declaration = DocumentDecoder.decode(document, diagnostics: &diagnostics) {
                    declarations.append(declaration)
                }
            }
        }
        let checker = ManifestCrossChecker(declarations, diagnostics: &diagnostics)
        let desired = checker.desiredState(diagnostics: &diagnostics)
        guard diagnostics.isEmpty else { throw ManifestError(diagnostics: diagnostics.diagnostics) }
        return desired
    }

    /// Validates manifest text held in memory (tests, stdin); `file` names it in diagnostics.
    public static func load(text: String, file: String, limits: ManifestLimits = .standard) throws(ManifestError)
        -> DesiredState
    {
        var diagnostics = DiagnosticCollector()
        var declarations: [Declaration] = []
        if let documents = documents(ofBytes: Array(text.utf8), file: file, limits: limits, diagnostics: &diagnostics) {
            for document in documents {
                if let declaration = DocumentDecoder.decode(document, diagnostics: &diagnostics) {
                    declarations.append(declaration)
                }
            }
        }
        let desired = ManifestCrossChecker(declarations, diagnostics: &diagnostics).desiredState(
            diagnostics: &diagnostics)
        guard diagnostics.isEmpty else { throw ManifestError(diagnostics: diagnostics.diagnostics) }
        return desired
    }

    /// Reads a file with a bounded read (never more than the size limit plus one byte).
    private static func documents(of file: ManifestFile, limits: ManifestLimits, diagnostics: inout DiagnosticCollector)
        -> [YAMLNode]?
    {
        let start = SourceLocation(file: file.displayPath, line: 1, column: 1)
        guard let handle = FileHandle(forReadingAtPath: file.absolutePath) else {
            let reason =
                FileManager.default.isReadableFile(atPath: file.absolutePath) ? "cannot open file" : "permission denied"
            diagnostics.error(at: start, "cannot read manifest: \(reason)")
            return nil
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: limits.maximumFileSize + 1) ?? Data()
        } catch {
            diagnostics.error(at: start, "cannot read manifest: \(error.localizedDescription)")
            return nil
        }
        guard data.count <= limits.maximumFileSize else {
            diagnostics.error(
                at: start,
                "file is larger than \(limits.maximumFileSize / (1024 * 1024)) MiB; manifests are never that big")
            return nil
        }
        return documents(ofBytes: [UInt8](data), file: file.displayPath, limits: limits, diagnostics: &diagnostics)
    }

    private static func documents(
        ofBytes bytes: [UInt8], file: String, limits: ManifestLimits, diagnostics: inout DiagnosticCollector
    ) -> [YAMLNode]? {
        if let finding = YAMLSourceScreen(maximumDepth: limits.maximumDepth).check(bytes) {
            diagnostics.error(
                at: SourceLocation(file: file, line: finding.line, column: finding.column), finding.message)
            return nil
        }
        let text = String(decoding: bytes, as: UTF8.self)
        diagnostics.register(source: text, for: file)
        do {
            return try YAMLComposer(file: file, limits: limits).documents(in: text)
        } catch {
            diagnostics.error(at: SourceLocation(file: file, line: error.line, column: error.column), error.message)
            return nil
        }
    }
}
