/// Checks a manifest's raw bytes before they reach the YAML parser.
///
/// Yams builds its node tree recursively, so 20,000 nested `[` would overflow the
/// stack before we see a single node; and it hashes mapping keys, so an alias bomb used
/// as a key would take exponential time. This single linear pass rejects binary or
/// non-UTF-8 content, nesting beyond the limit (flow brackets plus block indentation,
/// a slight over-estimate at worst), and non-scalar or alias mapping keys, which no
/// manifest needs.
struct YAMLSourceScreen {
    struct Finding: Error, Sendable, Hashable {
        var line: Int
        var column: Int
        var message: String
    }

    let maximumDepth: Int

    /// Returns the first problem found, or nil when the bytes may be parsed.
    func check(_ bytes: [UInt8]) -> Finding? {
        if let finding = checkEncoding(bytes) { return finding }
        return checkStructure(bytes)
    }

    /// NUL bytes mean binary content; anything else must be valid UTF-8.
    private func checkEncoding(_ bytes: [UInt8]) -> Finding? {
        var line = 1
        var lineStart = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0 {
                return Finding(
                    line: line, column: index - lineStart + 1,
                    message: "file holds binary content (a NUL byte), not YAML text")
            }
            if byte == 0x0A {
                line += 1
                lineStart = index + 1
                index += 1
                continue
            }
            if byte < 0x80 {
                index += 1
                continue
            }
            let length: Int
            switch byte {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: length = 0
            }
            var valid = length > 0 && index + length <= bytes.count
            if valid {
                for offset in 1..<length where bytes[index + offset] & 0xC0 != 0x80 { valid = false }
            }
            if valid && length == 3 {
                let second = bytes[index + 1]
                if (byte == 0xE0 && second < 0xA0) || (byte == 0xED && second > 0x9F) { valid = false }
            }
            if valid && length == 4 {
                let second = bytes[index + 1]
                if (byte == 0xF0 && second < 0x90) || (byte == 0xF4 && second > 0x8F) { valid = false }
            }
            guard valid else {
                return Finding(
                    line: line, column: index - lineStart + 1,
                    message: "file is not valid UTF-8 text (byte 0x\(String(byte, radix: 16, uppercase: true)))")
            }
            index += length
        }
        return nil
    }

    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")

    private func isTokenBoundary(_ byte: UInt8?) -> Bool {
        guard let byte else { return true }
        return byte == Self.space || byte == Self.tab || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{")
            || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "?")
    }

    private func isAnchorCharacter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "_") || byte >= 0x80
    }

    // Quote, comment and bracket tracking is a deliberately small subset of YAML's
    // grammar; it errs towards counting more depth, never less.
    private func checkStructure(_ bytes: [UInt8]) -> Finding? {
        var indentStack: [Int] = []
        var flowDepth = 0
        var quote: UInt8? = nil
        var blockScalarParentIndent: Int? = nil
        var lineNumber = 0
        var lineStart = 0
        while lineStart <= bytes.count {
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != 0x0A { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            var indent = 0
            while lineStart + indent < lineEnd && bytes[lineStart + indent] == Self.space { indent += 1 }
            let firstContent = lineStart + indent
            let isBlank =
                firstContent >= lineEnd || bytes[firstContent] == 0x0D
                || bytes[firstContent] == UInt8(ascii: "#")
            if let parentIndent = blockScalarParentIndent {
                if isBlank || indent > parentIndent { continue }
                blockScalarParentIndent = nil
            }
            var position = firstContent
            var blockDepth = indentStack.count
            if quote == nil && flowDepth == 0 && !isBlank {
                while let top = indentStack.last, top >= indent { indentStack.removeLast() }
                indentStack.append(indent)
                // `- - - x` nests a list per dash on one line.
                var dashes = 0
                while position < lineEnd, bytes[position] == UInt8(ascii: "-") || bytes[position] == UInt8(ascii: "?"),
                    position + 1 >= lineEnd || bytes[position + 1] == Self.space
                {
                    if bytes[position] == UInt8(ascii: "?") {
                        return Finding(
                            line: lineNumber, column: position - lineStart + 1,
                            message: "complex mapping keys ('? ') are not supported in manifests")
                    }
                    dashes += 1
                    position += 1
                    while position < lineEnd && bytes[position] == Self.space { position += 1 }
                }
                blockDepth = indentStack.count + dashes
                if blockDepth > maximumDepth {
                    return depthFinding(line: lineNumber, column: indent + 1)
                }
            }
            var lastToken: (start: Int, end: Int)? = nil
            var previous: UInt8? = position > lineStart ? bytes[position - 1] : nil
            while position < lineEnd {
                let byte = bytes[position]
                if let open = quote {
                    if open == UInt8(ascii: "\"") && byte == UInt8(ascii: "\\") {
                        position += 2
                        continue
                    }
                    if byte == open {
                        if open == UInt8(ascii: "'") && position + 1 < lineEnd && bytes[position + 1] == open {
                            position += 2
                            continue
                        }
                        quote = nil
                    }
                    previous = byte
                    position += 1
                    continue
                }
                let atTokenStart = previous == nil || isTokenBoundary(previous)
                switch byte {
                case UInt8(ascii: "#") where previous == nil || previous == Self.space || previous == Self.tab:
                    position = lineEnd
                    continue
                case UInt8(ascii: "'") where atTokenStart, UInt8(ascii: "\"") where atTokenStart:
                    quote = byte
                case UInt8(ascii: "[") where atTokenStart, UInt8(ascii: "{") where atTokenStart:
                    flowDepth += 1
                    if blockDepth + flowDepth > maximumDepth {
                        return depthFinding(line: lineNumber, column: position - lineStart + 1)
                    }
                case UInt8(ascii: "]") where flowDepth > 0, UInt8(ascii: "}") where flowDepth > 0:
                    flowDepth -= 1
                    if followedByKeyIndicator(bytes, from: position + 1, to: lineEnd) {
                        return Finding(
                            line: lineNumber, column: position - lineStart + 1,
                            message: "a list or mapping used as a mapping key is not supported in manifests")
                    }
                case UInt8(ascii: "*") where atTokenStart:
                    var end = position + 1
                    while end < lineEnd && isAnchorCharacter(bytes[end]) { end += 1 }
                    if end > position + 1 && followedByKeyIndicator(bytes, from: end, to: lineEnd) {
                        return Finding(
                            line: lineNumber, column: position - lineStart + 1,
                            message: "an alias used as a mapping key is not supported in manifests")
                    }
                default:
                    break
                }
                if byte != Self.space && byte != Self.tab && byte != 0x0D {
                    if let token = lastToken, token.end == position {
                        lastToken = (token.start, position + 1)
                    } else {
                        lastToken = (position, position + 1)
                    }
                }
                previous = byte
                position += 1
            }
            if quote == nil, flowDepth == 0, let token = lastToken,
                isBlockScalarIndicator(bytes[token.start..<token.end]),
                introducesValue(bytes, before: token.start, lineStart: lineStart)
            {
                blockScalarParentIndent = indent
            }
            if lineEnd >= bytes.count { break }
        }
        return nil
    }

    private func followedByKeyIndicator(_ bytes: [UInt8], from start: Int, to end: Int) -> Bool {
        var index = start
        while index < end && bytes[index] == Self.space { index += 1 }
        guard index < end, bytes[index] == UInt8(ascii: ":") else { return false }
        return index + 1 >= end || bytes[index + 1] == Self.space || bytes[index + 1] == 0x0D
            || bytes[index + 1] == UInt8(ascii: ",")
    }

    /// A block scalar indicator follows `key:`, `- ` or starts the line; `a |` elsewhere
    /// is plain text and must not hide the lines after it from the depth count.
    private func introducesValue(_ bytes: [UInt8], before start: Int, lineStart: Int) -> Bool {
        var index = start - 1
        while index >= lineStart && (bytes[index] == Self.space || bytes[index] == Self.tab) { index -= 1 }
        guard index >= lineStart else { return true }
        return bytes[index] == UInt8(ascii: ":") || bytes[index] == UInt8(ascii: "-")
    }

    /// `|`, `>`, `|-`, `>+2` … as the last token of a line start a block scalar.
    private func isBlockScalarIndicator(_ token: ArraySlice<UInt8>) -> Bool {
        guard let first = token.first, first == UInt8(ascii: "|") || first == UInt8(ascii: ">") else { return false }
        return token.dropFirst().allSatisfy {
            $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "+") || ($0 >= UInt8(ascii: "1") && $0 <= UInt8(ascii: "9"))
        }
    }

    private func depthFinding(line: Int, column: Int) -> Finding {
        Finding(
            line: line, column: column,
            message: "nesting is deeper than \(maximumDepth) levels; manifests never need that")
    }
}
