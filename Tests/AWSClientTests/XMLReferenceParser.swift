import Foundation

@testable import AWSClient

#if canImport(FoundationXML)
    import class FoundationXML.XMLParser
    import protocol FoundationXML.XMLParserDelegate
#endif

/// The tree Foundation's event parser (libxml2) gives, built the way reconcile's parser did before it
/// read XML itself: the reference the native parser is compared with.
enum XMLReferenceParser {
    /// The tree, or nil when Foundation rejects the document.
    static func parse(_ bytes: [UInt8]) -> XMLNode? {
        let parser = XMLParser(data: Data(bytes))
        let builder = TreeBuilder()
        parser.delegate = builder
        guard parser.parse() else { return nil }
        return builder.root
    }

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
            node.text = node.children.isEmpty ? text : text.trimmingCharacters(in: .whitespacesAndNewlines)
            if stack.isEmpty {
                root = node
            } else {
                stack[stack.count - 1].children.append(node)
            }
        }
    }
}
