import Foundation

/// The pieces of a SigV4 canonical request: path, query string and headers.
enum CanonicalRequest {
    static func uriEncode(_ text: String, keepSlash: Bool) -> String {
        PercentEncoding.encode(text, keepSlash: keepSlash)
    }

    /// Decodes `%XX` escapes; malformed escapes are kept literally (and then re-encoded).
    static func percentDecode(_ text: String) -> String {
        text.removingPercentEncoding ?? text
    }

    /// The path, normalized (dot segments removed, repeated slashes collapsed) when asked, then encoded.
    static func canonicalPath(_ path: String, normalize: Bool) -> String {
        // Every JSON and query API call goes to "/", which is already canonical.
        if path.isEmpty || path == "/" { return "/" }
        let raw = path
        guard normalize else { return uriEncode(raw, keepSlash: true) }
        var segments: [Substring] = []
        let parts = raw.split(separator: "/", omittingEmptySubsequences: false)
        for part in parts {
            switch part {
            case "", ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(part)
            }
        }
        var normalized = "/" + segments.joined(separator: "/")
        let endsWithSlash = raw.hasSuffix("/") || raw.hasSuffix("/.") || raw.hasSuffix("/..")
        if endsWithSlash && !segments.isEmpty { normalized += "/" }
        return uriEncode(normalized, keepSlash: true)
    }

    /// Query parameters decoded, re-encoded strictly, and sorted by name then value.
    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        let pairs: [(String, String)] = query.split(separator: "&").map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = uriEncode(percentDecode(String(parts[0])), keepSlash: false)
            let value = parts.count > 1 ? uriEncode(percentDecode(String(parts[1])), keepSlash: false) : ""
            return (name, value)
        }
        return
            pairs
            .sorted {
                $0.0 == $1.0
                    ? $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) : $0.0.utf8.lexicographicallyPrecedes($1.0.utf8)
            }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// Lower-cased names sorted, values trimmed with inner whitespace runs collapsed to one
    /// space, repeated headers joined with commas in their original order.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> (block: String, signedHeaders: String) {
        let entries = headers.enumerated()
            .map {
                (name: $0.element.name.lowercased(), value: collapseWhitespace($0.element.value), position: $0.offset)
            }
            .sorted {
                $0.name == $1.name ? $0.position < $1.position : $0.name.utf8.lexicographicallyPrecedes($1.name.utf8)
            }
        var block = ""
        var signedHeaders = ""
        block.reserveCapacity(entries.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count + 2 })
        var previousName: String?
        for entry in entries {
            if previousName == entry.name {
                block.removeLast()  // the newline: a repeated header continues the line
                block.append(",")
            } else {
                if previousName != nil { signedHeaders.append(";") }
                signedHeaders.append(entry.name)
                block.append(entry.name)
                block.append(":")
                previousName = entry.name
            }
            block.append(entry.value)
            block.append("\n")
        }
        return (block, signedHeaders)
    }

    static func collapseWhitespace(_ value: String) -> String {
        guard needsCollapsing(value) else { return value }
        return value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(
            separator: " ")
    }

    /// Most header values have no run of spaces, no tab or line break and no padding; those
    /// are already canonical and skip the split and join.
    private static func needsCollapsing(_ value: String) -> Bool {
        var previousWasSpace = true  // so a leading space counts as a run
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): return true
            case UInt8(ascii: " "):
                if previousWasSpace { return true }
                previousWasSpace = true
            default: previousWasSpace = false
            }
        }
        return previousWasSpace && !value.isEmpty  // a trailing space
    }
}
