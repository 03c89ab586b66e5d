import Foundation
import ReconcileKit

#if canImport(Glibc)
    import Glibc
#endif

extension GlobalOptions {
    /// Styling for standard output: colour only where `Terminal` allows it.
    var outputStyle: TextStyle {
        TextStyle(colored: Terminal.allowsColor(on: .standardOutput, noColorFlag: noColor))
    }

    var standardInputIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }
}
