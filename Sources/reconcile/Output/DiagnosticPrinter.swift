import ReconcileKit

/// Prints manifest diagnostics the way compilers do: `file:line:col: error: message`,
/// the source line and a caret, then a count.
struct DiagnosticPrinter {
    let style: TextStyle
    var stream: OutputStream = .standardError

    func print(_ diagnostics: [Diagnostic]) {
        var text = ""
        for diagnostic in diagnostics {
            text += render(diagnostic) + "\n"
        }
        let errors = diagnostics.filter { $0.severity == .error }.count
        let files = Set(diagnostics.map(\.location.file)).count
        text += "\(errors) \(errors == 1 ? "error" : "errors") in \(files) \(files == 1 ? "file" : "files").\n"
        stream.write(text)
    }

    func render(_ diagnostic: Diagnostic) -> String {
        let plain = diagnostic.rendered()
        guard style.colored else { return plain }
        let label = "\(diagnostic.severity.rawValue):"
        let coloured = diagnostic.severity == .error ? style.red(label) : style.yellow(label)
        let prefix = "\(diagnostic.location): "
        return style.bold(prefix) + coloured + plain.dropFirst(prefix.count + label.count)
    }
}
