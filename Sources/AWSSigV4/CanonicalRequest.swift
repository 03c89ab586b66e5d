import Foundation

/// The pieces of a SigV4 canonical request: path, query string and headers.
enum CanonicalRequest {
    /// Percent-encodes every byte except the RFC 3986 unreserved characters (and `/` when asked).
    static func uriEncode(_ text: String, keepSlash: Bool) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepSlash:
                out.append("/")
            default:
                let digits = Array("0123456789ABCDEF")
                out.append("%")
                out.append(digits[Int(byte >> 4)])
                out.append(digits[Int(byte & 0x0f)])
            }
        }
        return out
    }

    /// Decodes `%XX` escapes; malformed escapes are kept literally (and then re-encoded).
    static func percentDecode(_ text: String) -> String {
        text.removingPercentEncoding ?? text
    }

    /// The path, normalized (dot segments removed, repeated slashes collapsed) when asked, then encoded.
    static func canonicalPath(_ path: String, normalize: Bool) -> String {
        let raw = path.isEmpty ? "/" : path
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
        return pairs
            .sorted { $0.0 == $1.0 ? $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) : $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// Lower-cased names sorted, values trimmed with inner whitespace runs collapsed to one
    /// space, repeated headers joined with commas in their original order.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> (block: String, signedHeaders: String) {
        var valuesByName: [String: [String]] = [:]
        for header in headers {
            valuesByName[header.name.lowercased(), default: []].append(collapseWhitespace(header.value))
        }
        let names = valuesByName.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let block = names.map { "\($0):\(valuesByName[$0, default: []].joined(separator: ","))\n" }.joined()
        return (block, names.joined(separator: ";"))
    }

    static func collapseWhitespace(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
    }
}
