/// A value read from a manifest together with where it was written.
struct Located<Value: Sendable & Hashable>: Sendable, Hashable {
    var value: Value
    var location: SourceLocation
}

/// Reads the keys of one manifest mapping, reporting type errors at the value and
/// unknown keys at the key (with a suggestion).
struct FieldReader {
    /// Dotted path of the mapping in messages (`spec`, `spec.encryption`); empty at the top.
    let path: String
    let node: YAMLNode
    private let pairs: [YAMLPair]

    /// Nil (after reporting) when `node` is not a mapping.
    init?(_ node: YAMLNode, path: String, diagnostics: inout DiagnosticCollector) {
        guard let pairs = node.mapping else {
            diagnostics.error(
                at: node.location,
                "\(path.isEmpty ? "a manifest document" : path) must be a mapping, found \(node.typeDescription)")
            return nil
        }
        self.path = path
        self.node = node
        self.pairs = pairs
    }

    func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func pair(_ key: String) -> YAMLPair? { pairs.first { $0.key.scalar?.text == key } }

    func value(_ key: String) -> YAMLNode? { pair(key)?.value }

    /// The value, or an error at the mapping when the key is missing.
    func required(_ key: String, diagnostics: inout DiagnosticCollector) -> YAMLNode? {
        if let value = value(key) { return value }
        diagnostics.error(at: node.location, "missing required key '\(fieldPath(key))'")
        return nil
    }

    /// Reports every key not in `allowed`; `misplaced` gives a specific reason for keys
    /// that exist elsewhere.
    func rejectUnknownKeys(allowed: [String], misplaced: [String: String] = [:], diagnostics: inout DiagnosticCollector)
    {
        for pair in pairs {
            guard let key = pair.key.scalar?.text else {
                diagnostics.error(
                    at: pair.key.location, "keys in \(path.isEmpty ? "a manifest" : path) must be strings")
                continue
            }
            if allowed.contains(key) { continue }
            if let reason = misplaced[key] {
                diagnostics.error(at: pair.key.location, reason)
            } else {
                let expected = allowed.map { "'\($0)'" }.joined(separator: ", ")
                diagnostics.error(
                    at: pair.key.location,
                    "unknown key '\(fieldPath(key))'\(Suggestion.hint(for: key, among: allowed)) (expected one of \(expected))"
                )
            }
        }
    }

    // MARK: Typed values

    /// Any non-null scalar's text: manifests often hold names like `2024` unquoted.
    func string(_ key: String, diagnostics: inout DiagnosticCollector) -> Located<String>? {
        value(key).flatMap { Self.string($0, path: fieldPath(key), diagnostics: &diagnostics) }
    }

    static func string(_ node: YAMLNode, path: String, diagnostics: inout DiagnosticCollector) -> Located<String>? {
        guard let scalar = node.scalar, scalar.resolvedType != .null else {
            diagnostics.error(at: node.location, "\(path) must be a string, found \(node.typeDescription)")
            return nil
        }
        return Located(value: scalar.text, location: node.location)
    }

    func integer(_ key: String, in range: ClosedRange<Int>, diagnostics: inout DiagnosticCollector) -> Located<Int>? {
        guard let node = value(key) else { return nil }
        guard let scalar = node.scalar, scalar.resolvedType == .int, let number = scalar.integerValue else {
            let found = node.scalar.map { "\($0.resolvedType) ('\($0.text)')" } ?? node.typeDescription
            diagnostics.error(at: node.location, "\(fieldPath(key)) must be an integer, found \(found)")
            return nil
        }
        guard range.contains(number) else {
            diagnostics.error(
                at: node.location,
                "\(fieldPath(key)) must be between \(range.lowerBound) and \(range.upperBound), found \(number)")
            return nil
        }
        return Located(value: number, location: node.location)
    }

    func bool(_ key: String, diagnostics: inout DiagnosticCollector) -> Bool? {
        guard let node = value(key) else { return nil }
        guard let scalar = node.scalar, scalar.resolvedType == .bool, let flag = scalar.boolValue else {
            diagnostics.error(
                at: node.location, "\(fieldPath(key)) must be true or false, found \(node.typeDescription)")
            return nil
        }
        return flag
    }

    func oneOf(_ key: String, _ allowed: [String], diagnostics: inout DiagnosticCollector) -> Located<String>? {
        guard let node = value(key) else { return nil }
        return Self.oneOf(node, allowed, path: fieldPath(key), diagnostics: &diagnostics)
    }

    static func oneOf(_ node: YAMLNode, _ allowed: [String], path: String, diagnostics: inout DiagnosticCollector)
        -> Located<String>?
    {
        guard let text = string(node, path: path, diagnostics: &diagnostics) else { return nil }
        guard allowed.contains(text.value) else {
            let expected = allowed.joined(separator: ", ")
            diagnostics.error(
                at: node.location,
                "\(path) must be one of \(expected), found '\(text.value)'\(Suggestion.hint(for: text.value, among: allowed))"
            )
            return nil
        }
        return text
    }

    func list(_ key: String, diagnostics: inout DiagnosticCollector) -> [YAMLNode]? {
        guard let node = value(key) else { return nil }
        if node.isNull { return [] }
        guard let items = node.sequence else {
            diagnostics.error(at: node.location, "\(fieldPath(key)) must be a list, found \(node.typeDescription)")
            return nil
        }
        return items
    }

    /// A `key: value` mapping of strings (tags, parameters), each entry located.
    func stringMap(_ key: String, diagnostics: inout DiagnosticCollector) -> [(
        key: Located<String>, value: Located<String>
    )]? {
        guard let node = value(key) else { return nil }
        if node.isNull { return [] }
        guard let pairs = node.mapping else {
            diagnostics.error(at: node.location, "\(fieldPath(key)) must be a mapping, found \(node.typeDescription)")
            return nil
        }
        var entries: [(key: Located<String>, value: Located<String>)] = []
        for pair in pairs {
            guard let name = Self.string(pair.key, path: "a key of \(fieldPath(key))", diagnostics: &diagnostics) else {
                continue
            }
            guard let scalar = pair.value.scalar else {
                diagnostics.error(
                    at: pair.value.location,
                    "\(fieldPath(key)).\(name.value) must be a string, found \(pair.value.typeDescription)")
                continue
            }
            // A null written as `~`/`null` is refused; an empty value must be quoted ('').
            if scalar.resolvedType == .null {
                diagnostics.error(
                    at: pair.value.location,
                    "\(fieldPath(key)).\(name.value) has no value; write '' for an empty string")
                continue
            }
            entries.append((name, Located(value: scalar.text, location: pair.value.location)))
        }
        return entries
    }
}
