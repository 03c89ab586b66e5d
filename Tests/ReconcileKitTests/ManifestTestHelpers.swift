import Testing

@testable import ReconcileKit

/// Loads manifest text and returns the diagnostics (empty when valid).
func diagnostics(of text: String, file: String = "test.yaml") -> [Diagnostic] {
    do {
        _ = try ManifestLoader.load(text: text, file: file)
        return []
    } catch {
        return error.diagnostics
    }
}

/// Expects exactly one diagnostic, at `line:column`, whose message contains `fragment`.
func expectSingleError(
    _ text: String, at line: Int, _ column: Int, _ fragment: String,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    let found = diagnostics(of: text)
    #expect(
        found.count == 1, "expected one diagnostic, got \(found.map { $0.rendered(snippet: false) })",
        sourceLocation: sourceLocation)
    guard let first = found.first else { return }
    #expect(
        "\(first.location.line):\(first.location.column)" == "\(line):\(column)",
        "\(first.rendered(snippet: false))", sourceLocation: sourceLocation)
    #expect(first.message.contains(fragment), "\(first.message)", sourceLocation: sourceLocation)
}

/// A valid stream document, for building up cases.
let streamHeader = """
    apiVersion: reconcile/v1
    kind: Stream
    metadata:
      name: s1
    spec:

    """
