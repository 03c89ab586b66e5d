import AWSClient
import Formats
import Foundation

/// A YAML value with mapping keys in a chosen order (manifests read best as
/// apiVersion, kind, metadata, spec).
public indirect enum YAMLValue: Sendable, Hashable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    case list([YAMLValue])
    case map([(String, YAMLValue)])

    public static func == (lhs: YAMLValue, rhs: YAMLValue) -> Bool { YAMLWriter.render(lhs) == YAMLWriter.render(rhs) }
    public func hash(into hasher: inout Hasher) { hasher.combine(YAMLWriter.render(self)) }

    /// JSON objects become mappings with sorted keys.
    public init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .int(let value): self = .int(value)
        case .double(let value): self = .double(value)
        case .string(let value): self = .string(value)
        case .array(let items): self = .list(items.map(YAMLValue.init))
        case .object(let members): self = .map(members.sorted { $0.key < $1.key }.map { ($0.key, YAMLValue($0.value)) })
        }
    }
}

/// Block-style YAML. Strings that a YAML reader could take for something else (numbers,
/// booleans, null, leading indicators, `: ` or ` #` inside) are written double-quoted
/// with JSON escapes, which YAML reads back exactly.
public enum YAMLWriter {
    public static func render(_ value: YAMLValue) -> String {
        var lines: [String] = []
        write(value, indent: 0, into: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    static func write(_ value: YAMLValue, indent: Int, into lines: inout [String]) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .map(let entries) where !entries.isEmpty:
            for (key, entry) in entries {
                if let inline = inline(entry) {
                    lines.append("\(pad)\(scalar(key)): \(inline)")
                } else {
                    lines.append("\(pad)\(scalar(key)):")
                    // Lists under a key sit at the key's indentation, as kubectl writes them.
                    if case .list = entry {
                        write(entry, indent: indent, into: &lines)
                    } else {
                        write(entry, indent: indent + 2, into: &lines)
                    }
                }
            }
        case .list(let items) where !items.isEmpty:
            for item in items {
                if let inline = inline(item) {
                    lines.append("\(pad)- \(inline)")
                } else {
                    var nested: [String] = []
                    write(item, indent: indent + 2, into: &nested)
                    if var first = nested.first {
                        first = "\(pad)- " + first.dropFirst(indent + 2)
                        lines.append(first)
                        lines += nested.dropFirst()
                    }
                }
            }
        default:
            lines.append(pad + (inline(value) ?? ""))
        }
    }

    /// The one-line form of scalars and empty collections; nil for the others.
    static func inline(_ value: YAMLValue) -> String? {
        switch value {
        case .string(let text): return scalar(text)
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .list(let items): return items.isEmpty ? "[]" : nil
        case .map(let entries): return entries.isEmpty ? "{}" : nil
        }
    }

    static let plainSafe = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_./:@ ()+,=*"))
    static let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~", ""]

    static func scalar(_ text: String) -> String {
        let looksLikeNumber = Double(text) != nil || Int(text) != nil || text.hasPrefix("0x") || text.hasPrefix("0o")
        let safe =
            !text.isEmpty && text.unicodeScalars.allSatisfy { plainSafe.contains($0) && $0.isASCII }
            && !reserved.contains(text.lowercased()) && !looksLikeNumber
            && !text.hasPrefix(" ") && !text.hasSuffix(" ") && !text.hasPrefix("-") && !text.hasPrefix(":")
            && !text.contains(": ") && !text.hasSuffix(":") && !text.contains(" #") && !text.hasPrefix("*")
        if safe { return text }
        return JSONValue.string(text).serializedString()
    }
}
