import Foundation
import ReconcileKit

#if canImport(Glibc)
import Glibc
#endif

extension GlobalOptions {
    /// Colour only on a terminal, and never with `--no-color` or a non-empty `NO_COLOR`.
    var outputStyle: TextStyle {
        let noColorVariable = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return TextStyle(colored: !noColor && !noColorVariable && isatty(STDOUT_FILENO) == 1)
    }

    var standardInputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
}
