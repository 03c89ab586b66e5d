import ArgumentParser
import Foundation
import ReconcileKit

extension ManifestPaths {
    /// Loads and validates the manifests from the current folder; on failure prints every
    /// diagnostic to standard error and exits 1, before any AWS call.
    func loadDesiredState(global: GlobalOptions) throws -> DesiredState {
        do {
            return try ManifestLoader.load(paths: paths, currentDirectory: FileManager.default.currentDirectoryPath)
        } catch {
            let colour = Terminal.allowsColor(on: .standardError, noColorFlag: global.noColor)
            DiagnosticPrinter(style: TextStyle(colored: colour)).print(error.diagnostics)
            throw ExitCode(1)
        }
    }
}
