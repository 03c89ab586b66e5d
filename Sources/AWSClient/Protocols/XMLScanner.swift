/// Why an XML body could not be read, and where.
struct XMLParseError: Error, Sendable, CustomStringConvertible {
    var reason: String
    /// The offset of the offending byte in the document.
    var offset: Int

    var description: String { "invalid XML at byte \(offset): \(reason)" }
}

/// A cursor over the UTF-8 bytes of an XML document, with the lexical pieces of XML 1.0
/// that AWS Query-protocol answers use. Markup that carries no data (comments, processing
/// instructions, a document type declaration) is skipped, never interpreted.
struct XMLScanner {
    let bytes: [UInt8]
    /// Where the document begins, after any UTF-8 byte order mark.
    let documentStart: Int
    var position: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        documentStart = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        position = documentStart
    }

    var isAtEnd: Bool { position >= bytes.count }
    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    func error(_ reason: String, at offset: Int? = nil) -> XMLParseError {
        XMLParseError(reason: reason, offset: offset ?? position)
    }

    /// Consumes `literal` when the bytes continue with it.
    mutating func consume(_ literal: String) -> Bool {
        guard bytes[position...].starts(with: literal.utf8) else { return false }
        position += literal.utf8.count
        return true
    }

    mutating func expect(_ literal: String, _ context: String) throws(XMLParseError) {
        guard consume(literal) else { throw error("expected '\(literal)' \(context)") }
    }

    /// Skips XML white space (space, tab, CR, LF) and tells whether there was any.
    @discardableResult
    mutating func skipWhitespace() -> Bool {
        let start = position
        while let byte = current, Self.isWhitespace(byte) { position += 1 }
        return position > start
    }

    /// The bytes before `terminator`, consuming both.
    mutating func take(until terminator: String, in construct: String) throws(XMLParseError) -> ArraySlice<UInt8> {
        let start = position
        while position < bytes.count {
            if bytes[position...].starts(with: terminator.utf8) {
                defer { position += terminator.utf8.count }
                return bytes[start..<position]
            }
            position += 1
        }
        throw error("unterminated \(construct)", at: start)
    }

    /// An element or attribute name, prefix included (`a:Name`).
    mutating func name() throws(XMLParseError) -> String {
        let start = position
        while let byte = current, Self.isNameByte(byte, first: position == start) { position += 1 }
        guard position > start else { throw error("expected a name") }
        return try string(bytes[start..<position], at: start)
    }

    func string(_ slice: ArraySlice<UInt8>, at offset: Int) throws(XMLParseError) -> String {
        guard let text = String(validating: slice, as: UTF8.self) else { throw error("invalid UTF-8", at: offset) }
        return text
    }

    /// After `<!--`: the comment, which may not contain `--`.
    mutating func skipComment() throws(XMLParseError) {
        _ = try take(until: "--", in: "comment")
        try expect(">", "after '--' in a comment")
    }

    /// After `<?`: a processing instruction; the XML declaration only at the very start.
    mutating func skipProcessingInstruction() throws(XMLParseError) {
        let start = position - 2
        let target = try name()
        if target.lowercased() == "xml" && start > documentStart {
            throw error("the XML declaration is only allowed at the start", at: start)
        }
        _ = try take(until: "?>", in: "processing instruction")
    }

    /// After `<!DOCTYPE`: the declaration, with any internal subset in brackets. Its entity
    /// declarations are not read: AWS answers have none, and external ones are never fetched.
    mutating func skipDoctype() throws(XMLParseError) {
        let start = position
        var quote: UInt8?
        var inSubset = false
        while let byte = current {
            position += 1
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]") {
                inSubset = byte == UInt8(ascii: "[")
            } else if byte == UInt8(ascii: ">") && !inSubset {
                return
            }
        }
        throw error("unterminated document type declaration", at: start)
    }

    /// An attribute value in single or double quotes, checked and then dropped (no caller reads attributes).
    mutating func skipAttributeValue() throws(XMLParseError) {
        guard let quote = current, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
            throw error("expected a quoted attribute value")
        }
        let start = position
        position += 1
        var decoded: [UInt8] = []
        while let byte = current, byte != quote {
            if byte == UInt8(ascii: "<") { throw error("'<' in an attribute value") }
            if byte == UInt8(ascii: "&") { try reference(into: &decoded) } else { position += 1 }
        }
        guard !isAtEnd else { throw error("unterminated attribute value", at: start) }
        position += 1
    }

    /// At `&`: a predefined entity or a character reference, appended to `out` as UTF-8.
    mutating func reference(into out: inout [UInt8]) throws(XMLParseError) {
        let start = position
        position += 1
        if consume("#") {
            let radix = consume("x") ? 16 : 10
            let digitsStart = position
            while let byte = current, Self.isDigit(byte, radix: radix) { position += 1 }
            let digits = String(decoding: bytes[digitsStart..<position], as: UTF8.self)
            guard consume(";"), let value = UInt32(digits, radix: radix), Self.isCharacter(value),
                let scalar = Unicode.Scalar(value)
            else { throw error("invalid character reference", at: start) }
            out.append(contentsOf: String(Character(scalar)).utf8)
            return
        }
        let name = (try? self.name()) ?? ""
        guard consume(";"), let byte = Self.predefinedEntities[name] else {
            throw error("unknown entity '&\(name);'", at: start)
        }
        out.append(byte)
    }

    private static let predefinedEntities: [String: UInt8] = [
        "lt": UInt8(ascii: "<"), "gt": UInt8(ascii: ">"), "amp": UInt8(ascii: "&"),
        "quot": UInt8(ascii: "\""), "apos": UInt8(ascii: "'")
    ]

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// Name bytes of XML 1.0, with every non-ASCII byte accepted (UTF-8 is checked separately).
    static func isNameByte(_ byte: UInt8, first: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"),
            UInt8(ascii: ":"), 0x80...:
            return true
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."):
            return !first
        default:
            return false
        }
    }

    private static func isDigit(_ byte: UInt8, radix: Int) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return true
        case UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): return radix == 16
        default: return false
        }
    }

    /// The `Char` production of XML 1.0: what a character reference may name.
    private static func isCharacter(_ value: UInt32) -> Bool {
        switch value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x1_0000...0x10_FFFF: return true
        default: return false
        }
    }
}
