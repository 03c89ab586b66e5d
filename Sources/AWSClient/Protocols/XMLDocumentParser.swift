import Foundation

/// Parses an XML document into `XMLNode`s in one pass over its UTF-8 bytes.
///
/// Our own reader rather than the system XML library, whose start-up cost (loading libxml2 and
/// the system ICU) every run would pay. It reads well-formed XML 1.0 without entity declarations,
/// which is all AWS Query-protocol answers use. Elements keep their local name (no prefix);
/// attributes are checked and dropped; a leaf keeps its text exactly (a TemplateBody may begin
/// with spaces) while a container's text, only formatting between children, is trimmed.
enum XMLDocumentParser {
    static func parse(_ bytes: [UInt8]) throws -> XMLNode {
        var reader = TreeReader(scanner: XMLScanner(bytes))
        return try reader.document()
    }
}

/// Builds the tree with a stack of open elements, each gathering its text as UTF-8.
private struct TreeReader {
    struct OpenElement {
        var node: XMLNode
        var qualifiedName: String
        var offset: Int
        var text: [UInt8] = []
    }

    var scanner: XMLScanner
    var open: [OpenElement] = []

    mutating func document() throws(XMLParseError) -> XMLNode {
        try skipMisc(doctypeAllowed: true)
        guard scanner.consume("<") else {
            throw scanner.error(scanner.isAtEnd ? "no root element" : "text before the root element")
        }
        var root = try startTag()
        while root == nil { root = try content() }
        try skipMisc(doctypeAllowed: false)
        guard scanner.isAtEnd, let root else { throw scanner.error("content after the root element") }
        return root
    }

    /// White space, comments and processing instructions around the root; a DOCTYPE before it.
    mutating func skipMisc(doctypeAllowed: Bool) throws(XMLParseError) {
        var doctypeAllowed = doctypeAllowed
        while true {
            scanner.skipWhitespace()
            if scanner.consume("<?") {
                try scanner.skipProcessingInstruction()
            } else if scanner.consume("<!--") {
                try scanner.skipComment()
            } else if doctypeAllowed, scanner.consume("<!DOCTYPE") {
                try scanner.skipDoctype()
                doctypeAllowed = false
            } else {
                return
            }
        }
    }

    /// One piece of an element's content; the root once its end tag is read, else nil.
    mutating func content() throws(XMLParseError) -> XMLNode? {
        guard let byte = scanner.current else {
            let name = open.last?.qualifiedName ?? ""
            throw scanner.error("<\(name)> is not closed", at: open.last?.offset)
        }
        if byte != UInt8(ascii: "<") {
            try text()
        } else if scanner.consume("</") {
            return try endTag()
        } else if scanner.consume("<!--") {
            try scanner.skipComment()
        } else if scanner.consume("<![CDATA[") {
            // Byte for byte, CR included, as libxml2 gave it.
            appendText(try scanner.take(until: "]]>", in: "CDATA section"))
        } else if scanner.consume("<?") {
            try scanner.skipProcessingInstruction()
        } else if scanner.consume("<!") {
            throw scanner.error("unexpected markup declaration in an element", at: scanner.position - 2)
        } else {
            scanner.position += 1
            return try startTag()
        }
        return nil
    }

    /// After `<`: the tag's name and attributes; the root when it is self-closing.
    mutating func startTag() throws(XMLParseError) -> XMLNode? {
        let offset = scanner.position - 1
        let name = try scanner.name()
        let localName = name.split(separator: ":").last.map(String.init) ?? name
        var attributes: [String] = []
        while true {
            let spaced = scanner.skipWhitespace()
            let selfClosing = scanner.consume("/>")
            if selfClosing || scanner.consume(">") {
                open.append(OpenElement(node: XMLNode(name: localName), qualifiedName: name, offset: offset))
                return selfClosing ? try close() : nil
            }
            guard spaced else { throw scanner.error("expected white space, '>' or '/>' in <\(name)>") }
            let attributeOffset = scanner.position
            let attribute = try scanner.name()
            guard !attributes.contains(attribute) else {
                throw scanner.error("attribute \(attribute) repeated in <\(name)>", at: attributeOffset)
            }
            attributes.append(attribute)
            scanner.skipWhitespace()
            try scanner.expect("=", "after attribute \(attribute)")
            scanner.skipWhitespace()
            try scanner.skipAttributeValue()
        }
    }

    /// After `</`: the end tag, which must close the innermost open element.
    mutating func endTag() throws(XMLParseError) -> XMLNode? {
        let offset = scanner.position - 2
        let name = try scanner.name()
        scanner.skipWhitespace()
        try scanner.expect(">", "to end </\(name)>")
        guard let element = open.last, element.qualifiedName == name else {
            throw scanner.error("</\(name)> does not close <\(open.last?.qualifiedName ?? "")>", at: offset)
        }
        return try close()
    }

    /// Ends the innermost element: its text is set and it joins its parent, or is the root.
    mutating func close() throws(XMLParseError) -> XMLNode? {
        guard var element = open.popLast() else { throw scanner.error("an end tag with no open element") }
        let text = try scanner.string(element.text[...], at: element.offset)
        element.node.text =
            element.node.children.isEmpty ? text : text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !open.isEmpty else { return element.node }
        open[open.count - 1].node.children.append(element.node)
        return nil
    }

    /// Character data up to the next `<`, with references decoded and line ends normalised.
    mutating func text() throws(XMLParseError) {
        var decoded: [UInt8] = []
        while let byte = scanner.current, byte != UInt8(ascii: "<") {
            switch byte {
            case UInt8(ascii: "&"):
                try scanner.reference(into: &decoded)
                continue
            case 0x0D:
                decoded.append(0x0A)
                if scanner.position + 1 < scanner.bytes.count, scanner.bytes[scanner.position + 1] == 0x0A {
                    scanner.position += 1
                }
            case UInt8(ascii: ">") where scanner.bytes[..<scanner.position].suffix(2).elementsEqual("]]".utf8):
                throw scanner.error("']]>' outside a CDATA section")
            case 0x00..<0x20 where byte != 0x09 && byte != 0x0A:
                throw scanner.error("control character \(byte) in text")
            default:
                decoded.append(byte)
            }
            scanner.position += 1
        }
        appendText(decoded)
    }

    mutating func appendText<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
        guard !open.isEmpty else { return }
        open[open.count - 1].text.append(contentsOf: bytes)
    }
}
