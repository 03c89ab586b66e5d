import Yams

/// Parses a manifest file's text into located `YAMLNode` documents.
///
/// Yams' nodes are walked into `YAMLNode` at once (they are not `Sendable`), counting
/// nodes and depth as aliases are expanded so an alias bomb stops at the limit instead
/// of consuming memory and time.
struct YAMLComposer {
    struct Failure: Error, Sendable, Hashable {
        var line: Int
        var column: Int
        var message: String
    }

    let file: String
    let limits: ManifestLimits

    /// Every non-empty document in `text`, in order.
    func documents(in text: String) throws(Failure) -> [YAMLNode] {
        var documents: [YAMLNode] = []
        var budget = limits.maximumNodes
        do {
            // The basic resolver: nodes are only read as text here (the loader types fields itself),
            // and the default one runs a regular expression per plain scalar.
            let parser = try Parser(yaml: text, resolver: .basic)
            while let root = try parser.nextRoot() {
                let document = try convert(root, depth: 1, budget: &budget)
                if !document.isNull { documents.append(document) }
            }
        } catch let failure as Failure {
            throw failure
        } catch let error as YamlError {
            throw Self.failure(from: error, in: text)
        } catch {
            throw Failure(line: 1, column: 1, message: "cannot parse YAML: \(error)")
        }
        return documents
    }

    private func location(_ mark: Mark?) -> SourceLocation {
        SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    /// Converts depth first, counting each node against the budget and checking its depth
    /// before its children are converted, so an alias bomb stops at the limit, at the first
    /// node past it, without recursing or allocating beyond the limits.
    private func convert(_ node: Node, depth: Int, budget: inout Int) throws(Failure) -> YAMLNode {
        budget -= 1
        if budget < 0 || depth > limits.maximumDepth {
            let mark = node.mark
            throw Failure(
                line: mark?.line ?? 1, column: mark?.column ?? 1,
                message: budget < 0
                    ? "the document expands to more than \(limits.maximumNodes) YAML nodes (alias expansion?)"
                    : "nesting is deeper than \(limits.maximumDepth) levels (after alias expansion)")
        }
        switch node {
        case .scalar(let scalar):
            // Yams resolves implicit tags in place when it hashes mapping keys; keys are
            // only ever read as text, so a resolved tag there changes nothing.
            return YAMLNode(
                .scalar(
                    YAMLScalar(text: scalar.string, isPlain: scalar.style == .plain, tag: Self.explicitTag(scalar.tag))),
                at: location(scalar.mark))
        case .alias(let alias):
            return YAMLNode(.scalar(YAMLScalar(text: "*\(alias.anchor)", isPlain: false)), at: location(alias.mark))
        case .sequence(let sequence):
            var items: [YAMLNode] = []
            items.reserveCapacity(sequence.count)
            for item in sequence { items.append(try convert(item, depth: depth + 1, budget: &budget)) }
            return YAMLNode(
                .sequence(items), at: location(sequence.mark), collectionTag: Self.explicitTag(sequence.tag))
        case .mapping(let mapping):
            var pairs: [YAMLPair] = []
            pairs.reserveCapacity(mapping.count)
            for (key, value) in mapping {
                let key = try convert(key, depth: depth + 1, budget: &budget)
                pairs.append(YAMLPair(key: key, value: try convert(value, depth: depth + 1, budget: &budget)))
            }
            return YAMLNode(.mapping(pairs), at: location(mapping.mark), collectionTag: Self.explicitTag(mapping.tag))
        }
    }

    private static func explicitTag(_ tag: Tag) -> String? {
        let name = tag.description
        return name.isEmpty || name == "!" ? nil : name
    }

    private static func failure(from error: YamlError, in text: String) -> Failure {
        func describe(_ context: YamlError.Context?, _ problem: String) -> String {
            guard let context else { return problem }
            return "\(problem) (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
        }
        switch error {
        case .scanner(let context, let problem, let mark, _):
            return Failure(
                line: mark.line, column: mark.column, message: "YAML syntax error: \(describe(context, problem))")
        case .parser(let context, let problem, let mark, _):
            return Failure(
                line: mark.line, column: mark.column, message: "YAML syntax error: \(describe(context, problem))")
        case .composer(let context, let problem, let mark, _):
            return Failure(line: mark.line, column: mark.column, message: "YAML error: \(describe(context, problem))")
        case .reader(let problem, let offset, _, _):
            let (line, column) = lineAndColumn(ofCharacterOffset: offset ?? 0, in: text)
            return Failure(line: line, column: column, message: "cannot read YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? "?"
            let first = context.mark
            let second = secondOccurrence(ofKey: key, after: first, in: text) ?? (first.line, first.column)
            return Failure(
                line: second.line, column: second.column,
                message: "duplicate key '\(key)' (first at line \(first.line), column \(first.column))")
        default:
            return Failure(line: 1, column: 1, message: "cannot parse YAML: \(error)")
        }
    }

    /// Yams reports a duplicated key at its first occurrence; the mistake is the later
    /// one, at the same column further down (block style) or on the same line (flow style).
    private static func secondOccurrence(ofKey key: String, after first: Mark, in text: String) -> (
        line: Int, column: Int
    )? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line <= lines.count else { return nil }
        for lineIndex in first.line..<lines.count {
            let characters = Array(lines[lineIndex].unicodeScalars)
            let start = first.column - 1
            guard start < characters.count else { continue }
            let indentation = characters[..<start]
            if !indentation.allSatisfy({ $0 == " " || $0 == "-" }) { continue }
            let rest = String(String.UnicodeScalarView(characters[start...]))
            for candidate in [key, "\"\(key)\"", "'\(key)'"] where rest.hasPrefix(candidate + ":") {
                return (lineIndex + 1, first.column)
            }
        }
        let firstLine = Array(lines[first.line - 1].unicodeScalars)
        let after = first.column - 1 + key.unicodeScalars.count
        if after < firstLine.count {
            let rest = String(String.UnicodeScalarView(firstLine[after...]))
            if let range = rest.range(of: key + ":") {
                let offset = rest.unicodeScalars.distance(from: rest.unicodeScalars.startIndex, to: range.lowerBound)
                return (first.line, after + offset + 1)
            }
        }
        return nil
    }

    private static func lineAndColumn(ofCharacterOffset offset: Int, in text: String) -> (Int, Int) {
        var line = 1
        var column = 1
        for (index, character) in text.enumerated() {
            if index >= offset { break }
            if character == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}
