/// Gathers diagnostics across files, attaching the offending source line to each.
struct DiagnosticCollector {
    private(set) var diagnostics: [Diagnostic] = []
    private var sourceLines: [String: [Substring]] = [:]

    /// Registers a file's text so diagnostics in it can show the offending line.
    mutating func register(source text: String, for file: String) {
        sourceLines[file] = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    mutating func error(at location: SourceLocation, _ message: String) {
        var sourceLine: String? = nil
        if let lines = sourceLines[location.file], location.line >= 1, location.line <= lines.count {
            var line = String(lines[location.line - 1])
            if line.hasSuffix("\r") { line.removeLast() }
            if line.hasPrefix("\u{FEFF}") { line.removeFirst() }
            sourceLine = line
        }
        diagnostics.append(Diagnostic(.error, at: location, message, sourceLine: sourceLine))
    }

    var isEmpty: Bool { diagnostics.isEmpty }
}
