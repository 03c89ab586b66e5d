import Foundation

/// Serializes a `JSONValue` byte for byte as `JSONEncoder` does with `.sortedKeys` and
/// `.withoutEscapingSlashes` (and `.prettyPrinted`, or slashes escaped, on request), without going through
/// `Encodable`: every request body and every plan fingerprint is serialized, and the
/// encoder's generic machinery cost more CPU per request than signing it.
///
/// Doubles, which AWS inputs almost never carry, are formatted by `JSONEncoder` itself so
/// their spelling (`1e+20`, `-0`) stays the encoder's.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    let pretty: Bool
    /// `/` as `\/`, as `JSONEncoder` writes it without `.withoutEscapingSlashes`.
    let escapesSlashes: Bool

    init(pretty: Bool, escapesSlashes: Bool = false) {
        self.pretty = pretty
        self.escapesSlashes = escapesSlashes
        bytes.reserveCapacity(128)
    }

    mutating func write(_ value: JSONValue, depth: Int = 0) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .int(let number): append(String(number))
        case .double(let number): bytes += Self.encoderSpelling(of: number)
        case .string(let text): writeString(text)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            writeMembers(elements, depth: depth) { writer, element in writer.write(element, depth: depth + 1) }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            // By UTF-8 bytes, not by `<` (which compares canonically equivalent forms equal), as the encoder does.
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            writeMembers(sorted, depth: depth) { writer, member in
                writer.writeString(member.key)
                writer.append(writer.pretty ? " : " : ":")
                writer.write(member.value, depth: depth + 1)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Members separated by commas; pretty output puts each on its own line, and an empty
    /// container as an empty line, as `JSONEncoder` does.
    private mutating func writeMembers<Member>(
        _ members: [Member], depth: Int, _ writeMember: (inout JSONWriter, Member) -> Void
    ) {
        guard pretty else {
            for (index, member) in members.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                writeMember(&self, member)
            }
            return
        }
        bytes.append(UInt8(ascii: "\n"))
        for (index, member) in members.enumerated() {
            if index > 0 { append(",\n") }
            indent(depth + 1)
            writeMember(&self, member)
        }
        bytes.append(UInt8(ascii: "\n"))
        indent(depth)
    }

    private mutating func indent(_ depth: Int) {
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * depth))
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    private mutating func writeString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case UInt8(ascii: "/") where escapesSlashes: append("\\/")
            case 0x08: append("\\b")
            case 0x0c: append("\\f")
            case UInt8(ascii: "\n"): append("\\n")
            case UInt8(ascii: "\r"): append("\\r")
            case UInt8(ascii: "\t"): append("\\t")
            case 0..<0x20:
                let digits = Array("0123456789abcdef".utf8)
                append("\\u00")
                bytes.append(digits[Int(byte >> 4)])
                bytes.append(digits[Int(byte & 0x0f)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func encoderSpelling(of number: Double) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // Only non-finite doubles fail to encode, and no parser of ours produces them.
        return Array((try? encoder.encode(number)) ?? Data("null".utf8))
    }
}
