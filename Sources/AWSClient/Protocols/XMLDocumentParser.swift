import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Why an XML body could not be read.
struct XMLParseError: Error, Sendable {
    var reason: String
}

/// Parses an XML document into `XMLNode`s with Foundation's event parser.
enum XMLDocumentParser {
    static func parse(_ bytes: [UInt8]) throws -> XMLNode {
        let parser = XMLParser(data: Data(bytes))
        let builder = TreeBuilder()
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw XMLParseError(reason: parser.parserError.map { String(describing: $0) } ?? "no root element")
        }
        return root
    }

    /// Builds the tree from parser events; used on one thread for one document only.
    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var stack: [XMLNode] = []
        var texts: [String] = []
        var root: XMLNode?

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let localName = elementName.split(separator: ":").last.map(String.init) ?? elementName
            stack.append(XMLNode(name: localName))
            texts.append("")
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !texts.isEmpty else { return }
            texts[texts.count - 1] += string
        }

        func parser(_ parser: XMLParser, foundCDATA block: Data) {
            guard !texts.isEmpty else { return }
            texts[texts.count - 1] += String(decoding: block, as: UTF8.self)
        }

        func parser(
            _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
        ) {
            guard var node = stack.popLast(), let text = texts.popLast() else { return }
            // Leaf elements keep their text exactly (a TemplateBody may begin with spaces);
            // containers only hold formatting whitespace.
            node.text = node.children.isEmpty ? text : text.trimmingCharacters(in: .whitespacesAndNewlines)
            if stack.isEmpty {
                root = node
            } else {
                stack[stack.count - 1].children.append(node)
            }
        }
    }
}
